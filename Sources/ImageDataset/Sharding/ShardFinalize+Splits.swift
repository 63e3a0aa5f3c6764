import Foundation
import NPYIO

extension ShardFinalize {
  /// `finalize` of a plan with splits: `OUT/NAME/` per split with images (an npy stack or
  /// one `x.npy`, and the members, as ``finalize(run:output:single:)`` writes them), with
  /// `OUT/splits.csv` and `OUT/stats.json` byte-identical to
  /// `normtool convert --split … --format dir`'s. Each split's stack is its parts in shard
  /// order (a shard with no image of the split has no part of it). The training split's
  /// statistics, merged from the `stats` pass, are the ones applied to every split.
  static func finalizeSplits(plan: ShardPlan, run: URL, output: URL, single: Bool) throws(ConversionError) -> Report {
    let splits = plan.dataset.splits
    var check = OutputPathCheck(
      outputs: [OutputPathCheck.Output(url: output, isDirectory: true, option: "OUT")],
      inputFolder: URL(fileURLWithPath: plan.folder), statisticsFile: nil)
    check.outputs[0].splitMembers = Set(
      splits + DatasetConverter.splitSideFiles + ExportTarget.allCases.map(\.fileName))
    try check.run()
    for split in splits { try DatasetWriter.checkReplaceable(directory: output.appendingPathComponent(split)) }
    let pass: ShardPass = plan.needsStatisticsPass ? .write : .all
    let markers = try ShardParts.verifiedMarkers(plan: plan, run: run, pass: pass)
    let summary = try summary(plan: plan, run: run)
    let left = Set(markers.flatMap { $0.skipped ?? [] }.map(\.entry))
    let skippedFiles = Set(summary.skipped.map(\.file))
    let trained = plan.needsStatisticsPass ? try ShardMerge.read(run: run, plan: plan) : nil
    // `--whiten`: the training split's matrix (or a stats file's) whitened every split.
    let whitening = try ShardCovariance.whitening(run: run, plan: plan, merged: trained)

    let transaction = OutputTransaction()
    // The split datasets are staged inside the staged folder by their own transaction,
    // committed there just before the folder is renamed into place (as convert does).
    let inner = OutputTransaction()
    var reports: [String: StatisticsReport] = [:]
    var shapes: [String: [Int]] = [:]
    var written: [(name: String, images: Int)] = []
    var linked = 0, stackFiles = 0
    var rowShape: [Int] = []
    do throws(ConversionError) {
      let staged = try transaction.stage(output, directory: true)
      for split in plan.splitsInRunOrder {
        let all = plan.dataset.entries(in: split)
        let entries = plan.dataset.entries.indices.filter {
          plan.dataset.entries[$0].split == split && !left.contains($0)
        }.map { plan.dataset.entries[$0] }
        if all.isEmpty { continue }
        if entries.isEmpty {
          throw .allImagesSkipped(folder: URL(fileURLWithPath: plan.dataset.root).path, skipped: all.count)
        }
        var pieces: [Piece] = []
        var moments = PixelMoments(channels: plan.options.channels, maximumValue: plan.options.depth.maximumValue)
        var groups: [PixelMoments] = []
        for marker in markers {
          for part in marker.splits ?? [] where part.split == split {
            pieces.append(
              Piece(
                shard: marker.index, url: ShardParts.folder(in: run).appendingPathComponent(part.part),
                start: pieces.reduce(0) { $0 + $1.rows }, rows: part.rows, checksum: part.checksum))
            if let partMoments = part.moments { moments.merge(partMoments) }
            groups += part.groups ?? []
          }
        }
        let rows = pieces.reduce(0) { $0 + $1.rows }
        guard rows == entries.count else {
          throw .statisticsFile(
            path: run.path,
            reason:
              "the \(pass.rawValue) parts hold \(rows) rows of split '\(split)', the plan \(entries.count); re-run the \(pass.rawValue) pass"
          )
        }
        let shape = try commonRowShape(of: pieces, split: split)
        if rowShape.isEmpty { rowShape = shape }
        let statistics = report(
          plan: plan, moments: trained?.moments ?? moments, images: trained?.images ?? entries.count,
          whitening: whitening)
        reports[split] = statistics
        shapes[split] = shape
        let writer = try DatasetWriter(
          output: staged.appendingPathComponent(split), compress: false, transaction: inner)
        linked += try writeDataset(
          pieces, rowShape: shape, single: single, split: split,
          members: members(
            plan: plan, entries: entries, statistics: statistics, groups: groups,
            skipped: all.map(\.path).filter(skippedFiles.contains), whitening: whitening),
          plan: plan,
          writer: writer)
        stackFiles += single ? 0 : pieces.count
        written.append((split, entries.count))
      }
      // The training split's statistics, as convert writes them (it has images whenever
      // they normalize the others; otherwise the first split written).
      let topSplit = reports[plan.dataset.trainingSplit ?? ""] != nil ? plan.dataset.trainingSplit! : written[0].name
      var top = reports[topSplit]!
      if let whitening {
        // Named beside stats.json, as convert does (DatasetConverter.splitWhiteningName).
        top.whitening = whitening.record(file: DatasetConverter.splitWhiteningName)
        let url = staged.appendingPathComponent(DatasetConverter.splitWhiteningName)
        do { try whitening.write(to: url) } catch {
          throw .output(path: url.path, reason: FileSystemReason.text(of: error))
        }
      }
      try write(DatasetConverter.splitsCSV(plan.dataset), to: staged.appendingPathComponent("splits.csv"))
      try write(try top.encoded(), to: staged.appendingPathComponent("stats.json"))
      // The exports describe the split whose statistics stats.json holds, as convert's do.
      let shape = shapes[topSplit]!
      let (height, width) = plan.options.layout == .nhwc ? (shape[0], shape[1]) : (shape[1], shape[2])
      for (name, data) in summaryFiles(summary)
        + exportFiles(plan: plan, height: height, width: width, statistics: top.statistics)
      {
        try write(data, to: staged.appendingPathComponent(name))
      }
      try inner.commit()
      try transaction.commit()
    } catch {
      inner.abort()
      transaction.abort()
      throw error
    }
    let top = reports[plan.dataset.trainingSplit ?? ""] ?? reports[written[0].name]!
    let order = splits.filter { split in written.contains { $0.name == split } }
    return Report(
      output: output, images: plan.files.count, shape: [plan.files.count] + rowShape,
      dtype: plan.options.resolvedDType, stackFiles: stackFiles, linked: linked, statistics: top,
      splits: order.map { split in written.first { $0.name == split }! }, skipped: summary.skipped)
  }

  /// The row shape every part of a split shares (its images have one size, as in
  /// `normtool convert`, where each split is its own dataset).
  static func commonRowShape(of pieces: [Piece], split: String) throws(ConversionError) -> [Int] {
    var shape: [Int]?
    for piece in pieces {
      let header: NPYHeader
      do { header = try NPY.readHeader(at: piece.url) } catch {
        throw .statisticsFile(path: piece.url.path, reason: "shard \(piece.shard): \(FileSystemReason.text(of: error))")
      }
      let rowShape = Array(header.shape.dropFirst())
      if let shape, shape != rowShape {
        throw .statisticsFile(
          path: piece.url.path,
          reason: "shard \(piece.shard): rows of shape \(rowShape) in split '\(split)', whose first rows are \(shape)")
      }
      shape = rowShape
    }
    return shape ?? []
  }

  static func write(_ data: Data, to url: URL) throws(ConversionError) {
    do { try data.write(to: url, options: .withoutOverwriting) } catch {
      throw .output(path: url.path, reason: FileSystemReason.text(of: error))
    }
  }
}
