import Foundation
import NDArray
import NPYIO

/// The three output forms of docs/design.md §5, chosen by the output path's extension.
public enum OutputKind: Sendable, Equatable {
  /// `OUT.npy`: `x` alone (`numpy.save`).
  case npy
  /// `OUT.npz`: `x`, `y`, `classes`, `files`, `skipped`, `mean`, `std`
  /// (`numpy.savez` / `numpy.savez_compressed`).
  case npz
  /// `OUT/`: the same members as separate `.npy` files plus `stats.json`.
  case directory

  /// The kind for `url`: by extension, `.npy` or `.npz` (any case), else a directory.
  public init(_ url: URL) {
    switch url.pathExtension.lowercased() {
    case "npy": self = .npy
    case "npz": self = .npz
    default: self = .directory
    }
  }
}

/// What goes beside `x`.
struct DatasetMembers {
  var labels: LabelArray
  var classes: [String]
  var files: [String]
  var skipped: [String]
  /// Duplicates left out by `--dedupe keep-first` (the `dropped` member, when any).
  var dropped: [String] = []
  /// The statistics that normalized `x`; nil when none did (`--normalize none|scale`), and
  /// then the `mean` and `std` members are left out.
  var mean: NDArray<Double>?
  var std: NDArray<Double>?
  var statistics: StatisticsReport
  /// The whitening that transformed `x` (`--whiten`): members `whitening`,
  /// `whitening_eigenvalues`, `whitening_mean`.
  var whitening: WhiteningMatrix? = nil
}

/// Writes one dataset under a temporary name staged in an ``OutputTransaction``, which
/// renames it into place together with the run's other outputs; ``abort()`` (or a failure)
/// removes what this writer made.
///
/// Rows go to one ``NPYRowWriter``: for `.npz`, straight into member `x` of the archive (an
/// ``NPZWriter`` temporary file, registered with `InterruptCleanup` by NPYIO, with no
/// temporary `.npy` copy); otherwise into `x.npy` (an ``NPYStreamWriter``).
final class DatasetWriter {
  /// What a dataset directory (or an `--export` folder) may hold, and so may be replaced:
  /// `convert`'s members and side files, and the npy stack `x/` with `manifest.json` that
  /// `normtool shard finalize` writes.
  static let directoryMembers: Set<String> = Set(
    [
      "x.npy", "y.npy", "classes.npy", "files.npy",
      "skipped.npy", "dropped.npy", "mean.npy", "std.npy", "stats.json", "x", "manifest.json",
      "whitening.npy", "whitening_eigenvalues.npy", "whitening_mean.npy",
      SideFiles.summaryName, SideFiles.duplicatesName,
    ] + ExportTarget.allCases.map(\.fileName))
  let output: URL
  let kind: OutputKind
  let compress: Bool
  private let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  /// The staged name of the output: the file for `.npy`/`.npz`, the folder for a directory.
  let staged: URL
  /// Where `x.npy` is written for `.npy` and directory outputs (unused for `.npz`).
  private var xURL: URL
  /// Where the rows of `x` go: `x.npy`, or member `x` of ``archive``.
  private var x: (any NPYRowWriter)?
  /// The archive, for `.npz` output.
  private var archive: NPZWriter?
  private var finished = false

  /// A writer for `output`, staged in `transaction`. The output path has passed
  /// ``OutputPathCheck``.
  init(output: URL, compress: Bool, transaction: OutputTransaction) throws(ConversionError) {
    self.output = output
    self.kind = OutputKind(output)
    self.compress = compress
    switch kind {
    case .npy, .npz:
      staged = try transaction.stage(output)
      xURL = staged
    case .directory:
      try DatasetWriter.checkReplaceable(directory: output)
      staged = try transaction.stage(output, directory: true)
      xURL = staged.appendingPathComponent("x.npy")
    }
  }

  deinit { if !finished { abort() } }

  /// A temporary path next to the output, for scratch files.
  func scratchURL(_ purpose: String) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(purpose)-\(tag).tmp")
  }

  /// An existing output directory is replaced only when it holds nothing but our members
  /// (`members`, or a dataset directory's when nil).
  static func checkReplaceable(directory: URL, members: Set<String>? = nil) throws(ConversionError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else {
      throw .output(path: directory.path, reason: "expected a directory name (or .npy/.npz), found an existing file")
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? ["?"]
    let foreign = entries.filter { !(members ?? directoryMembers).contains($0) }
    if !foreign.isEmpty {
      throw .output(
        path: directory.path,
        reason:
          "the directory exists and holds other files (\(foreign.sorted().prefix(3).joined(separator: ", "))); will not replace it"
      )
    }
  }

  /// Starts `x`. `expectedRows` (an upper bound is fine) only picks the deflate mode for `.npz`.
  func start(dtype: DType, rowShape: [Int], expectedRows: Int? = nil) throws(ConversionError) {
    do {
      if kind == .npz {
        let zip = try NPZWriter(url: staged, compression: compress ? .deflate(level: 6) : .stored)
        archive = zip
        x = try zip.beginStreamingMember(
          name: "x", dtype: dtype, rowShape: rowShape,
          expectedRowCount: expectedRows)
      } else {
        x = try NPYStreamWriter(url: xURL, dtype: dtype, rowShape: rowShape)
      }
    } catch {
      abortArchive()
      throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
  }

  func append(_ bytes: [UInt8], rows: Int = 1) throws(ConversionError) {
    let failure = bytes.withUnsafeBytes { raw -> ConversionError? in
      do throws(ConversionError) { try append(rows: raw, count: rows) } catch { return error }
      return nil
    }
    if let failure { throw failure }
  }

  /// Appends `count` rows of raw bytes.
  func append(rows: UnsafeRawBufferPointer, count: Int) throws(ConversionError) {
    do { try x!.append(rawBytes: rows, rowCount: count) } catch {
      throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// Completes `x` and writes the other members under the staged name (the transaction
  /// renames it into place). Returns the size of the output in bytes.
  func finish(_ members: DatasetMembers) throws(ConversionError) -> Int {
    do {
      if let x {
        try x.finish()
        self.x = nil
      }
      switch kind {
      case .npy:
        break
      case .npz:
        let zip = archive!
        do {
          try members.labels.write(name: "y", into: zip)
          try zip.write(name: "classes", strings: members.classes)
          try zip.write(name: "files", strings: members.files)
          if !members.skipped.isEmpty { try zip.write(name: "skipped", strings: members.skipped) }
          if !members.dropped.isEmpty { try zip.write(name: "dropped", strings: members.dropped) }
          if let mean = members.mean { try zip.write(name: "mean", array: mean) }
          if let std = members.std { try zip.write(name: "std", array: std) }
          try members.whitening?.write(into: zip)
          try zip.finish()
          archive = nil
        } catch {
          abortArchive()
          throw error
        }
      case .directory:
        try members.labels.write(to: staged.appendingPathComponent("y.npy"))
        try NPY.write(strings: members.classes, to: staged.appendingPathComponent("classes.npy"))
        try NPY.write(strings: members.files, to: staged.appendingPathComponent("files.npy"))
        if !members.skipped.isEmpty {
          try NPY.write(strings: members.skipped, to: staged.appendingPathComponent("skipped.npy"))
        }
        if !members.dropped.isEmpty {
          try NPY.write(strings: members.dropped, to: staged.appendingPathComponent("dropped.npy"))
        }
        if let mean = members.mean { try NPY.write(mean, to: staged.appendingPathComponent("mean.npy")) }
        if let std = members.std { try NPY.write(std, to: staged.appendingPathComponent("std.npy")) }
        try members.whitening?.write(toFolder: staged)
        try members.statistics.encoded().write(
          to: staged.appendingPathComponent("stats.json"),
          options: .withoutOverwriting)
      }
    } catch let error as ConversionError {
      abort()
      throw error
    } catch {
      abort()
      throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
    finished = true
    return DatasetWriter.size(of: staged)
  }

  /// Writes a side file (summary, duplicates list, export) into a directory output's staged
  /// folder, which the transaction renames into place with the rest.
  func writeMember(_ name: String, _ data: Data) throws(ConversionError) {
    precondition(kind == .directory, "members beside x.npy exist only in a directory output")
    do { try data.write(to: staged.appendingPathComponent(name), options: .withoutOverwriting) } catch {
      throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// Removes every temporary file of this writer (the staged name is the transaction's).
  func abort() {
    finished = true
    abortArchive()
  }

  /// Abandons `x` and removes the `.npz` archive's temporary file (NPZWriter unregisters it
  /// from InterruptCleanup).
  private func abortArchive() {
    x?.abort()
    x = nil
    archive?.abort()
    archive = nil
  }

  static func size(of url: URL) -> Int {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return 0 }
    if !isDirectory.boolValue {
      return (try? manager.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }
    let names = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
    return names.reduce(0) { $0 + size(of: url.appendingPathComponent($1)) }
  }
}
