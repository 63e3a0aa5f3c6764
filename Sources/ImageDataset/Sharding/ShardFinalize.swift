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
/// writes them into a directory, and `manifest.json`. A plan with splits writes that
/// directory per split, `OUT/NAME/`, with `OUT/splits.csv` and `OUT/stats.json`, as
/// `normtool convert --split … --format dir` does. Every part's checksum and plan are
/// checked first; parts are hard-linked (moved, not copied) where the file system allows.
/// Like `convert`, the directory appears whole or not at all.
public enum ShardFinalize {
  /// What finalize wrote.
  public struct Report: Sendable {
    /// The dataset directory (the folder of split directories with splits).
    public var output: URL
    /// Rows of `x` (of every split).
    public var images: Int
    /// The shape of `x` (rows of every split, with splits).
    public var shape: [Int]
    /// The dtype of `x`.
    public var dtype: DType
    /// Files of the stack (0 with `single`), of every split.
    public var stackFiles: Int
    /// Parts linked rather than copied.
    public var linked: Int
    /// The statistics recorded in `stats.json` (the top one, with splits).
    public var statistics: StatisticsReport
    /// The splits written, in the plan's order, and the images of each; empty without splits.
    public var splits: [(name: String, images: Int)] = []
    /// The images left out by `--on-error skip`, in the order convert lists them.
    public var skipped: [SkippedImage] = []
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
    if !plan.dataset.splits.isEmpty { return try finalizeSplits(plan: plan, run: run, output: output, single: single) }
    let options = plan.options
    try OutputPathCheck(
      outputs: [OutputPathCheck.Output(url: output, isDirectory: true, option: "OUT")],
      inputFolder: URL(fileURLWithPath: plan.folder), statisticsFile: nil
    ).run()
    let pass: ShardPass = plan.needsStatisticsPass ? .write : .all
    let markers = try ShardParts.verifiedMarkers(plan: plan, run: run, pass: pass)
    let summary = try summary(plan: plan, run: run)
    let measured =
      plan.needsStatisticsPass
      ? try ShardMerge.read(run: run, plan: plan) : try ShardMerge.sum(markers, plan: plan, run: run)
    let whitening = try ShardCovariance.whitening(run: run, plan: plan, merged: measured)
    let left = Set(markers.flatMap { $0.skipped ?? [] }.map(\.entry))
    let kept = plan.dataset.entries.indices.filter { !left.contains($0) }.map { plan.dataset.entries[$0] }
    if kept.isEmpty {
      throw .allImagesSkipped(folder: URL(fileURLWithPath: plan.dataset.root).path, skipped: left.count)
    }
    // The images the statistics cover: every kept one, or `--stats sample:K`'s sample.
    let statistics = report(
      plan: plan, moments: measured.moments, images: plan.sample == nil ? kept.count : measured.images,
      whitening: whitening)
    let rowShape =
      whitening.map {
        Whitener.rowShape(
          method: $0.method, scope: $0.scope, width: measured.width, height: measured.height,
          channels: options.channels, layout: options.layout)
      }
      ?? (options.layout == .nhwc
        ? [measured.height, measured.width, options.channels] : [options.channels, measured.height, measured.width])
    // A shard whose every image was left out (`--on-error skip`) has no part.
    var pieces: [Piece] = []
    for marker in markers {
      guard let part = marker.part else { continue }
      pieces.append(
        Piece(
          shard: marker.index, url: ShardParts.folder(in: run).appendingPathComponent(part),
          start: pieces.reduce(0) { $0 + $1.rows }, rows: marker.images - (marker.skipped?.count ?? 0),
          checksum: marker.checksum))
    }
    let transaction = OutputTransaction()
    let linked: Int
    do throws(ConversionError) {
      let writer = try DatasetWriter(output: output, compress: false, transaction: transaction)
      linked = try writeDataset(
        pieces, rowShape: rowShape, single: single, split: nil,
        members: members(
          plan: plan, entries: kept, statistics: statistics, groups: markers.flatMap { $0.groups ?? [] },
          skipped: summary.skipped.map(\.file), whitening: whitening),
        plan: plan, writer: writer)
      for (name, data) in summaryFiles(summary)
        + exportFiles(plan: plan, height: measured.height, width: measured.width, statistics: statistics.statistics)
      {
        try writer.writeMember(name, data)
      }
      try transaction.commit()
    } catch {
      transaction.abort()
      throw error
    }
    return Report(
      output: output, images: kept.count, shape: [kept.count] + rowShape, dtype: options.resolvedDType,
      stackFiles: single ? 0 : pieces.count, linked: linked, statistics: statistics, skipped: summary.skipped)
  }

  /// One part of a dataset's `x`: shard `shard`'s rows `start ..< start + rows` of it.
  struct Piece {
    /// The shard that wrote it.
    var shard: Int
    /// The part file in `RUN/parts`.
    var url: URL
    /// Its first row in the dataset's `x`.
    var start: Int
    /// Its rows.
    var rows: Int
    /// Its CRC-32, as the marker records it.
    var checksum: String
  }

  /// Writes the dataset directory `writer` stages: `x` from `pieces` (an npy stack of
  /// hard links or copies, or one `x.npy` when `single`), `members`, and `manifest.json`.
  /// Returns how many parts were linked. On failure the writer's files are removed; the
  /// caller aborts its transaction.
  static func writeDataset(
    _ pieces: [Piece], rowShape: [Int], single: Bool, split: String?, members: DatasetMembers, plan: ShardPlan,
    writer: DatasetWriter
  ) throws(ConversionError) -> Int {
    let dtype = plan.options.resolvedDType
    var linked = 0
    do {
      if single {
        try writer.start(dtype: dtype, rowShape: rowShape)
        for piece in pieces { try appendRows(of: piece.url, to: writer) }
      } else {
        let stack = writer.staged.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: stack, withIntermediateDirectories: false)
        for (index, piece) in pieces.enumerated() {
          let destination = stack.appendingPathComponent("\(index).npy")
          do throws(FileError) {
            try PlatformFileCalls.link(piece.url.path, as: destination.path)
            linked += 1
          } catch {
            try FileManager.default.copyItem(at: piece.url, to: destination)
          }
        }
        let descr = try NPY.readHeader(at: pieces[0].url).descr
        let info = NPYStackInfo(chunks: [pieces.map(\.rows)] + rowShape.map { [$0] }, dtype: descr, axis: 0)
        try info.pickled.write(to: stack.appendingPathComponent("info"), options: .withoutOverwriting)
      }
    } catch let error as ConversionError {
      writer.abort()
      throw error
    } catch {
      writer.abort()
      throw .output(path: writer.output.path, reason: FileSystemReason.text(of: error))
    }
    _ = try writer.finish(members)
    // The members beside x that the dataset folder holds (y, files, classes, skipped, mean,
    // std, stats.json …), as written; the summary and exports, staged after, are not listed.
    let writtenMembers = ((try? FileManager.default.contentsOfDirectory(atPath: writer.staged.path)) ?? [])
      .filter { !["x", "x.npy", "manifest.json"].contains($0) && !$0.hasPrefix(".") }.sorted()
    let rows = pieces.reduce(0) { $0 + $1.rows }
    let files: [JSONValue] =
      single
      ? [.object([("file", .string("x.npy")), ("start", .int(0)), ("rows", .int(rows))])]
      : pieces.enumerated().map { index, piece in
        .object([("file", .string("x/\(index).npy")), ("start", .int(piece.start)), ("rows", .int(piece.rows))])
      }
    let parts = pieces.map { piece in
      JSONValue.object([
        ("shard", .int(piece.shard)), ("start", .int(piece.start)), ("rows", .int(piece.rows)),
        ("crc32", .string(piece.checksum)),
      ])
    }
    var fields: [(String, JSONValue)] = [
      ("format", .string(manifestFormat)), ("version", .int(1)), ("plan", .string(plan.hash)),
    ]
    if let split { fields.append(("split", .string(split))) }
    fields += [
      ("images", .int(rows)), ("dtype", .string(dtype.rawValue)),
      ("shape", .array(([rows] + rowShape).map { .int($0) })), ("layout", .string(plan.options.layout.rawValue)),
      ("files", .array(files)), ("parts", .array(parts)),
      ("members", .array(writtenMembers.map { .string($0) })),
    ]
    do {
      try Data((JSONValue.object(fields).rendered + "\n").utf8).write(
        to: writer.staged.appendingPathComponent("manifest.json"), options: .withoutOverwriting)
    } catch {
      throw .output(path: writer.output.path, reason: FileSystemReason.text(of: error))
    }
    return linked
  }

  /// The members beside `x` of the dataset of `entries`, as `normtool convert` writes them.
  /// `groups`: with `--stats image|batch:N`, the moments of each group of rows normalized
  /// together, whose statistics `mean.npy` and `std.npy` hold one row each. `whitening`:
  /// the matrix that whitened `x` (`--whiten`), written instead of `mean` and `std`.
  static func members(
    plan: ShardPlan, entries: [PlanEntry], statistics: StatisticsReport, groups: [PixelMoments], skipped: [String],
    whitening: WhiteningMatrix? = nil
  ) -> DatasetMembers {
    let options = plan.options
    var mean: NDArray<Double>?, std: NDArray<Double>?
    if options.normalization.usesStatistics && whitening == nil {
      if case .groups = plan.statistics {
        let applied = groups.map { NormalizationStatistics($0, scope: options.scope) }
        let shape = [applied.count, statistics.statistics.entries]
        (mean, std) = (NDArray(applied.flatMap(\.mean), shape: shape), NDArray(applied.flatMap(\.std), shape: shape))
      } else {
        (mean, std) = (NDArray(statistics.statistics.mean), NDArray(statistics.statistics.std))
      }
    }
    return DatasetMembers(
      labels: LabelArray(entries.map(\.labels), classes: plan.classes.count, mode: plan.dataset.resolvedLabelMode),
      classes: plan.classes, files: entries.map(\.path), skipped: skipped, mean: mean, std: std, statistics: statistics,
      whitening: whitening)
  }

  /// The `stats.json` `normtool convert` writes for images whose exact moments are
  /// `moments` (`images` of them): those statistics, applied when the normalization uses
  /// statistics, unless the plan's fixed ones (imagenet, a file, a preset) were applied, or
  /// each group's own (`--stats image|batch:N`: recorded, not applied as one), or a
  /// `whitening` (recorded, not applied; the record names the dataset's `whitening.npy`).
  static func report(
    plan: ShardPlan, moments: PixelMoments, images measured: Int, whitening: WhiteningMatrix? = nil
  ) -> StatisticsReport {
    let options = plan.options
    var applied = NormalizationStatistics(moments, scope: options.scope), images = measured, appliedAsOne = false
    if case .groups = plan.statistics {
    } else if whitening != nil {
      // The whitening applied them; with a stats file's matrix, the file's are recorded.
      if plan.savedWhitening != nil, case .fixed(let fixed?, let covered) = plan.statistics {
        (applied, images) = (fixed, covered)
      }
    } else if options.normalization.usesStatistics {
      appliedAsOne = true
      if case .fixed(let fixed?, let covered) = plan.statistics { (applied, images) = (fixed, covered) }
    }
    var report = StatisticsReport(
      statistics: applied, scope: options.scope, channels: options.channels, images: images,
      applied: appliedAsOne, classes: plan.classes, options: plan.record)
    report.recordTreatment(of: options)
    report.whitening = whitening?.record(file: WhiteningMatrix.memberNames[0] + ".npy")
    return report
  }

  /// The `--export` files (name, bytes) `normtool convert` writes for a run of
  /// `height`×`width` images that applied `statistics` (``ExportTarget``: Hugging Face,
  /// torchvision, Keras, timm); empty without `--export`.
  static func exportFiles(
    plan: ShardPlan, height: Int, width: Int, statistics: NormalizationStatistics
  ) -> [(String, Data)] {
    let options = plan.options
    guard !options.exports.isEmpty else { return [] }
    let context = ExportContext(
      options: options, width: width, height: height, statistics: statistics, classes: plan.classes)
    return options.exports.map { ($0.fileName, Data(context.render($0).utf8)) }
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
