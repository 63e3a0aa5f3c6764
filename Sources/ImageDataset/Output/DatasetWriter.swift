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
  var labels: [Int64]
  var classes: [String]
  var files: [String]
  var skipped: [String]
  var mean: NDArray<Double>
  var std: NDArray<Double>
  var statistics: StatisticsFile
}

/// Writes one dataset atomically: everything goes to temporary names next to the output
/// and is renamed into place by ``finish(_:)``; ``abort()`` (or a failure) removes it all.
///
/// `.npz`: rows stream straight into member `x` of the archive (an ``NPZWriter`` temporary
/// file, registered with `InterruptCleanup` by NPYIO), with no temporary `.npy` copy.
final class DatasetWriter {
  static let directoryMembers: Set<String> = ["x.npy", "y.npy", "classes.npy", "files.npy",
                                              "skipped.npy", "mean.npy", "std.npy", "stats.json"]
  let output: URL
  let kind: OutputKind
  let compress: Bool
  private let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  private var stagingDirectory: URL?
  /// Where `x.npy` is written for `.npy` and directory outputs (unused for `.npz`).
  private var xURL: URL
  private var xWriter: NPYStreamWriter?
  /// The archive and its streamed `x` member, for `.npz` output.
  private var archive: NPZWriter?
  private var xMember: NPZStreamingMember?
  private var finished = false

  init(output: URL, compress: Bool) throws(ConversionError) {
    self.output = output
    self.kind = OutputKind(output)
    self.compress = compress
    let parent = output.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory),
          isDirectory.boolValue else {
      throw .output(path: output.path, reason: "folder \(parent.path) does not exist")
    }
    switch kind {
    case .npy:
      xURL = output
    case .npz:
      xURL = output
    case .directory:
      try DatasetWriter.checkReplaceable(directory: output)
      let staging = parent.appendingPathComponent(".\(output.lastPathComponent).partial-\(tag)")
      InterruptCleanup.register(staging.path)
      do { try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false) }
      catch {
        InterruptCleanup.unregister(staging.path)
        throw .output(path: output.path, reason: "cannot create \(staging.path): \(error.localizedDescription)")
      }
      stagingDirectory = staging
      xURL = staging.appendingPathComponent("x.npy")
    }
  }

  deinit { if !finished { abort() } }

  /// A temporary path next to the output, for scratch files.
  func scratchURL(_ purpose: String) -> URL {
    output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(purpose)-\(tag).tmp")
  }

  /// An existing output directory is replaced only when it holds nothing but our members.
  static func checkReplaceable(directory: URL) throws(ConversionError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else {
      throw .output(path: directory.path, reason: "expected a directory name (or .npy/.npz), found an existing file")
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? ["?"]
    let foreign = entries.filter { !directoryMembers.contains($0) }
    if !foreign.isEmpty {
      throw .output(path: directory.path, reason: "the directory exists and holds other files (\(foreign.sorted().prefix(3).joined(separator: ", "))); will not replace it")
    }
  }

  /// Starts `x`. `expectedRows` (an upper bound is fine) only picks the deflate mode for `.npz`.
  func start(dtype: DType, rowShape: [Int], expectedRows: Int? = nil) throws(ConversionError) {
    do {
      if kind == .npz {
        let zip = try NPZWriter(url: output, compression: compress ? .deflate(level: 6) : .stored)
        archive = zip
        xMember = try zip.beginStreamingMember(name: "x", dtype: dtype, rowShape: rowShape,
                                               expectedRowCount: expectedRows)
      } else {
        xWriter = try NPYStreamWriter(url: xURL, dtype: dtype, rowShape: rowShape)
      }
    } catch {
      abortArchive()
      throw .output(path: output.path, reason: "\(error)")
    }
  }

  var isStarted: Bool { xWriter != nil || xMember != nil }

  func append(_ bytes: [UInt8]) throws(ConversionError) {
    do {
      try bytes.withUnsafeBytes { raw in
        if let xMember { try xMember.append(rawBytes: raw, rowCount: 1) }
        else { try xWriter!.append(rawBytes: raw, rowCount: 1) }
      }
    } catch { throw .output(path: output.path, reason: "\(error)") }
  }

  /// Completes `x`, writes the other members, and moves everything into place.
  /// Returns the size of the output in bytes.
  func finish(_ members: DatasetMembers) throws(ConversionError) -> Int {
    do {
      if let xWriter {
        try xWriter.finish()
        self.xWriter = nil
      }
      switch kind {
      case .npy:
        break
      case .npz:
        let zip = archive!
        do {
          try xMember!.finish()
          xMember = nil
          try zip.write(name: "y", array: NDArray(members.labels))
          try zip.write(name: "classes", strings: members.classes)
          try zip.write(name: "files", strings: members.files)
          if !members.skipped.isEmpty { try zip.write(name: "skipped", strings: members.skipped) }
          try zip.write(name: "mean", array: members.mean)
          try zip.write(name: "std", array: members.std)
          try zip.finish()
          archive = nil
        } catch {
          abortArchive()
          throw error
        }
      case .directory:
        let staging = stagingDirectory!
        try NPY.write(NDArray(members.labels), to: staging.appendingPathComponent("y.npy"))
        try NPY.write(strings: members.classes, to: staging.appendingPathComponent("classes.npy"))
        try NPY.write(strings: members.files, to: staging.appendingPathComponent("files.npy"))
        if !members.skipped.isEmpty {
          try NPY.write(strings: members.skipped, to: staging.appendingPathComponent("skipped.npy"))
        }
        try NPY.write(members.mean, to: staging.appendingPathComponent("mean.npy"))
        try NPY.write(members.std, to: staging.appendingPathComponent("std.npy"))
        try members.statistics.write(to: staging.appendingPathComponent("stats.json"))
        try DatasetWriter.checkReplaceable(directory: output)
        let old = scratchURL("old")
        let hadOld = FileManager.default.fileExists(atPath: output.path)
        if hadOld { try FileManager.default.moveItem(at: output, to: old) }
        do { try FileManager.default.moveItem(at: staging, to: output) } catch {
          if hadOld { try? FileManager.default.moveItem(at: old, to: output) }
          throw error
        }
        stagingDirectory = nil
        InterruptCleanup.unregister(staging.path)
        if hadOld { try? FileManager.default.removeItem(at: old) }
      }
    } catch let error as ConversionError {
      abort()
      throw error
    } catch {
      abort()
      throw .output(path: output.path, reason: "\(error)")
    }
    finished = true
    return DatasetWriter.size(of: output)
  }

  /// Removes every temporary file; the output's name is left as it was.
  func abort() {
    finished = true
    xWriter?.abort()
    xWriter = nil
    abortArchive()
    if let stagingDirectory {
      try? FileManager.default.removeItem(at: stagingDirectory)
      InterruptCleanup.unregister(stagingDirectory.path)
    }
    stagingDirectory = nil
  }

  /// Removes the `.npz` archive's temporary file (NPZWriter unregisters it from InterruptCleanup).
  private func abortArchive() {
    xMember?.abort()
    xMember = nil
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
