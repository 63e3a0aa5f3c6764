import Foundation
import NDArray
import NPYIO
import _FileSystem

/// `normtool shard finalize RUN OUT [--single]`: the dataset directory from a run's parts.
///
/// `OUT/x/0.npy … OUT/x/{K-1}.npy` plus `OUT/x/info` form a Dask npy stack
/// (`dask.array.from_npy_stack`), each file `np.save` of its rows of the single-machine
/// `x`; with `single`, one `OUT/x.npy` byte-identical to `normtool convert`'s. Beside it,
/// `y.npy`, `files.npy`, `classes.npy`, `mean.npy`, `std.npy` and `stats.json` as `convert`
/// writes them into a directory, and `manifest.json`. Every part's checksum and plan are
/// checked first; parts are hard-linked (moved, not copied) where the file system allows.
/// Like `convert`, the directory appears whole or not at all.
public enum ShardFinalize {
  /// What finalize wrote.
  public struct Report: Sendable {
    /// The dataset directory.
    public var output: URL
    /// Rows of `x`.
    public var images: Int
    /// The shape of `x`.
    public var shape: [Int]
    /// The dtype of `x`.
    public var dtype: DType
    /// Files of the stack (0 with `single`).
    public var stackFiles: Int
    /// Parts linked rather than copied.
    public var linked: Int
    /// The statistics recorded in `stats.json`.
    public var statistics: StatisticsReport
  }

  /// `OUT/manifest.json`'s `format`.
  public static let manifestFormat = "normtool-sharded-dataset"

  /// Writes the dataset directory `output` from the parts in `run`.
  ///
  /// - Throws: ``ConversionError`` naming the missing shards, or the first shard from
  ///   another plan or with a wrong checksum, or the output that cannot be written; nothing
  ///   is then left under `output` (an existing dataset there is untouched).
  public static func finalize(run: URL, output: URL, single: Bool) throws(ConversionError) -> Report {
    let plan = try ShardPlan.read(run: run)
    let options = plan.options
    try OutputPathCheck(
      outputs: [OutputPathCheck.Output(url: output, isDirectory: true, option: "OUT")],
      inputFolder: URL(fileURLWithPath: plan.folder), statisticsFile: nil
    ).run()
    let pass: ShardPass = plan.needsStatisticsPass ? .write : .all
    let markers = try ShardParts.verifiedMarkers(plan: plan, run: run, pass: pass)
    let measured =
      plan.needsStatisticsPass
      ? try ShardMerge.read(run: run, plan: plan) : try ShardMerge.sum(markers, plan: plan, run: run)
    let statistics = report(plan: plan, options: options, measured: measured)
    let usesStatistics = options.normalization.usesStatistics
    let parts = markers.map { ShardParts.folder(in: run).appendingPathComponent($0.part!) }
    let rowShape =
      options.layout == .nhwc
      ? [measured.height, measured.width, options.channels] : [options.channels, measured.height, measured.width]
    let dtype = options.resolvedDType

    let transaction = OutputTransaction()
    let writer = try DatasetWriter(output: output, compress: false, transaction: transaction)
    var linked = 0
    var files: [JSONValue] = []
    var partRecords: [JSONValue] = []
    do {
      if single {
        try writer.start(dtype: dtype, rowShape: rowShape)
        for part in parts { try appendRows(of: part, to: writer) }
      } else {
        let stack = writer.staged.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: stack, withIntermediateDirectories: false)
        for (index, part) in parts.enumerated() {
          let destination = stack.appendingPathComponent("\(index).npy")
          do throws(FileError) {
            try PlatformFileCalls.link(part.path, as: destination.path)
            linked += 1
          } catch {
            try FileManager.default.copyItem(at: part, to: destination)
          }
        }
        let descr = try NPY.readHeader(at: parts[0]).descr
        let info = NPYStackInfo(
          chunks: [plan.shards.map(\.count)] + rowShape.map { [$0] }, dtype: descr, axis: 0)
        try info.pickled.write(to: stack.appendingPathComponent("info"), options: .withoutOverwriting)
      }
      for (index, marker) in markers.enumerated() {
        partRecords.append(
          .object([
            ("shard", .int(index)), ("start", .int(plan.shards[index].start)), ("rows", .int(marker.images)),
            ("crc32", .string(marker.checksum)),
          ]))
        if !single {
          files.append(
            .object([
              ("file", .string("x/\(index).npy")), ("start", .int(plan.shards[index].start)),
              ("rows", .int(marker.images)),
            ]))
        }
      }
      if single {
        files = [.object([("file", .string("x.npy")), ("start", .int(0)), ("rows", .int(plan.files.count))])]
      }
    } catch let error as ConversionError {
      writer.abort(); transaction.abort(); throw error
    } catch {
      writer.abort(); transaction.abort()
      throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
    let members = DatasetMembers(
      labels: LabelArray(
        plan.dataset.entries.map(\.labels), classes: plan.classes.count, mode: plan.dataset.resolvedLabelMode),
      classes: plan.classes, files: plan.files, skipped: [],
      mean: usesStatistics ? NDArray(statistics.statistics.mean) : nil,
      std: usesStatistics ? NDArray(statistics.statistics.std) : nil, statistics: statistics)
    _ = try writer.finish(members)
    let shape = [plan.files.count] + rowShape
    let manifest = JSONValue.object([
      ("format", .string(manifestFormat)), ("version", .int(1)), ("plan", .string(plan.hash)),
      ("images", .int(plan.files.count)), ("dtype", .string(dtype.rawValue)),
      ("shape", .array(shape.map { .int($0) })), ("layout", .string(options.layout.rawValue)),
      ("files", .array(files)), ("parts", .array(partRecords)),
      ("members", .array(["y.npy", "files.npy", "classes.npy", "stats.json"].map { .string($0) })),
    ])
    do {
      try Data((manifest.rendered + "\n").utf8).write(
        to: writer.staged.appendingPathComponent("manifest.json"), options: .withoutOverwriting)
    } catch {
      transaction.abort()
      throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
    try transaction.commit()
    return Report(
      output: output, images: plan.files.count, shape: shape, dtype: dtype,
      stackFiles: single ? 0 : parts.count, linked: linked, statistics: statistics)
  }

  /// The `stats.json` `normtool convert` writes for the same images and options.
  static func report(plan: ShardPlan, options: ConversionOptions, measured: ShardMergedStatistics) -> StatisticsReport {
    let dataset = NormalizationStatistics(measured.moments, scope: options.scope)
    var applied = dataset, images = plan.files.count, appliedAsOne = false
    if options.normalization.usesStatistics {
      appliedAsOne = true
      if case .fixed(let fixed?, let covered) = plan.statistics { (applied, images) = (fixed, covered) }
    }
    var report = StatisticsReport(
      statistics: applied, scope: options.scope, channels: options.channels, images: images,
      applied: appliedAsOne, classes: plan.classes, options: plan.record)
    report.recordTreatment(of: options)
    return report
  }

  /// Appends the rows of the `.npy` part at `url` to `writer`, 16 MiB at a time.
  static func appendRows(of url: URL, to writer: DatasetWriter) throws {
    let header = try NPY.readHeader(at: url)
    let rowBytes = header.shape.dropFirst().reduce(header.dataType.itemSize, *)
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(header.dataOffset))
    var remaining = header.shape[0]
    let rowsPerBlock = Swift.max(1, (16 << 20) / Swift.max(rowBytes, 1))
    while remaining > 0 {
      let rows = Swift.min(remaining, rowsPerBlock)
      guard let block = try handle.read(upToCount: rows * rowBytes), block.count == rows * rowBytes else {
        throw ConversionError.statisticsFile(path: url.path, reason: "the part is shorter than its header says")
      }
      let failure = block.withUnsafeBytes { raw -> ConversionError? in
        do throws(ConversionError) { try writer.append(rows: raw, count: rows) } catch { return error }
        return nil
      }
      if let failure { throw failure }
      remaining -= rows
    }
  }
}
