import Foundation

/// What running a plan did: one report per dataset written.
public struct PlanRunReport: Sendable {
  /// Where the output went: the dataset, or the folder of split datasets.
  public var output: URL
  /// The split of each report (parallel to ``reports``); `[nil]` without splits.
  public var splits: [String?]
  /// One report per dataset written, in the plan's split order (a split with no images
  /// writes nothing and has none).
  public var reports: [ConversionReport]
  /// Wall time of the whole run.
  public var seconds: Double
  /// With splits: the summary of all splits together (counts per class and per split, the
  /// duplicates within and across splits), stored once as `OUT/summary.json`. Without
  /// splits: the one report's summary.
  public var summary: DatasetSummary
  /// The `--export` files written (with splits: in `OUT/`, from the training split's
  /// statistics).
  public var exportFiles: [URL]
}

extension DatasetConverter {
  /// The files a run of a plan with splits writes in `OUT/`, besides the split datasets and
  /// the `--export` files: the rows of the plan, the training split's statistics, and the
  /// summary and duplicates list of all splits together.
  public static let splitSideFiles = [
    "splits.csv", "stats.json", splitWhiteningName, SideFiles.summaryName, SideFiles.duplicatesName,
  ]
  /// With `--whiten` and splits: the training split's whitening arrays beside `OUT/stats.json`
  /// (``ConversionOptions/whiteningSidecar``'s name for it).
  public static let splitWhiteningName = "stats.whitening.npz"

  /// Runs `plan` (``DatasetPlanner/plan(_:options:)``): its options, with this converter's
  /// ``ConversionOptions/jobs`` and ``ConversionOptions/saveStatisticsTo``.
  ///
  /// Without splits, writes one dataset to `output` (`.npy`, `.npz` or a directory). With
  /// splits, `output` is a folder holding `NAME.npz` per split (`format`: `.npy`, or
  /// `.directory` for a folder `NAME/` each), `splits.csv` (`file,label,split`, the plan's
  /// order; labels as class names joined by `|`) and `stats.json` (the training split's
  /// statistics), `summary.json` and `duplicates.csv` of all splits together, and the
  /// `--export` files (from the statistics applied to every split: the training split's, with
  /// `--stats dataset` or `sample:K`). With `--whiten`, the training split's matrix whitens
  /// every split (each dataset holds it as its `whitening` members) and `OUT/stats.json` names
  /// it in `OUT/stats.whitening.npz` (``splitWhiteningName``), as `--save-stats` would. The training split (``DatasetPlan/trainingSplit``)
  /// runs first, then the others in the plan's order; with `--stats dataset` or `sample:K` its
  /// statistics normalize every split. Duplicates are found across all splits in that order,
  /// so `--dedupe keep-first` keeps the copy of the split that runs first (training before
  /// evaluation) and drops the later ones. Everything is renamed into place together; a
  /// failure leaves nothing.
  public func run(
    _ plan: DatasetPlan, to output: URL, format: OutputKind = .npz,
    progress: ((ConversionProgress) -> Void)? = nil
  ) throws(ConversionError) -> PlanRunReport {
    let started = Date()
    var options = plan.options
    options.jobs = self.options.jobs
    options.saveStatisticsTo = self.options.saveStatisticsTo
    let runner =
      options == self.options ? self : DatasetConverter(options: options, loader: PillowImageLoader(options: options))
    try runner.options.validate()
    try runner.planOutputCheck(plan, output: output, format: format).run()
    return try runner.run(plan, to: output, format: format, started: started, progress: progress)
  }

  /// The checks of every path a plan's run writes.
  func planOutputCheck(_ plan: DatasetPlan, output: URL, format: OutputKind) -> OutputPathCheck {
    var check = outputCheck(folder: URL(fileURLWithPath: plan.root), output: output)
    if !plan.splits.isEmpty {
      check.outputs[0].isDirectory = true
      check.outputs[0].splitMembers = Set(
        plan.splits.map { Self.splitOutputName($0, format: format) } + Self.splitSideFiles
          + ExportTarget.allCases.map(\.fileName))
    }
    return check
  }

  static func splitOutputName(_ split: String, format: OutputKind) -> String {
    switch format {
    case .npz: return split + ".npz"
    case .npy: return split + ".npy"
    case .directory: return split
    }
  }

  /// Runs `plan` once its outputs are checked.
  func run(
    _ plan: DatasetPlan, to output: URL, format: OutputKind = .npz, started: Date,
    progress: ((ConversionProgress) -> Void)?
  ) throws(ConversionError) -> PlanRunReport {
    let mode = plan.resolvedLabelMode
    let transaction = OutputTransaction()
    if plan.splits.isEmpty {
      var run = try ConversionRun(
        converter: self, folder: folder(of: plan, entries: plan.entries), labelRows: plan.entries.map(\.labels),
        labelMode: mode, output: output, transaction: transaction, progress: progress)
      do {
        try run.execute()
        var report = try run.finish(seconds: 0)
        try run.stageSavedStatistics(report.statisticsReport, transaction: transaction)
        try transaction.commit()
        report.seconds = Date().timeIntervalSince(started)
        return PlanRunReport(
          output: output, splits: [nil], reports: [report], seconds: report.seconds, summary: report.summary,
          exportFiles: report.exportFiles)
      } catch {
        run.abort()
        throw error
      }
    }
    for split in plan.splits where format == .directory {
      try DatasetWriter.checkReplaceable(directory: output.appendingPathComponent(split))
    }
    // The split datasets are staged inside the staged folder by their own transaction,
    // committed there (out of sight) just before the folder is renamed into place.
    let staged = try transaction.stage(output, directory: true)
    // One transaction per split (committed together at the end), so that a split whose
    // images were all dropped as duplicates can be left out alone.
    var inners: [OutputTransaction] = []
    var reports: [String: ConversionReport] = [:]
    let training = plan.trainingSplit!
    var trained: (NormalizationStatistics, images: Int)?
    var trainedWhitening: WhiteningMatrix?
    // Carried from each split's run to the next: duplicates and counts span all splits.
    var summary = DatasetSummary(classes: plan.classes, splits: plan.splits)
    summary.keptSixteenBit = options.depth == .sixteen
    var duplicateFinder = DuplicateFinder()
    var exports: ExportContext?
    let needsTraining: Bool
    switch options.statistics {
    case .dataset, .sample: needsTraining = options.normalization.usesStatistics
    default: needsTraining = false
    }
    if needsTraining && plan.entries(in: training).isEmpty {
      transaction.abort()
      throw .invalidOptions(
        "the training split '\(training)' has no images; its statistics (--stats \(options.statistics)) normalize the other splits"
      )
    }
    do throws(ConversionError) {
      for split in [training] + plan.splits.filter({ $0 != training }) {
        let entries = plan.entries(in: split)
        if entries.isEmpty { continue }
        let name = Self.splitOutputName(split, format: format)
        let splitStarted = Date()
        let inner = OutputTransaction()
        inners.append(inner)
        var run = try ConversionRun(
          converter: self, folder: folder(of: plan, entries: entries), labelRows: entries.map(\.labels),
          labelMode: mode, output: staged.appendingPathComponent(name), transaction: inner, split: split,
          trained: split == training ? nil : trained,
          trainedWhitening: split == training || trained == nil ? nil : trainedWhitening,
          progress: progress.map { report in
            { report(ConversionProgress(phase: "\(split): \($0.phase)", done: $0.done, total: $0.total)) }
          })
        run.summary = summary
        run.duplicateFinder = duplicateFinder
        do {
          try run.execute()
          if run.isAllDropped {
            duplicateFinder = run.duplicateFinder
            summary.duplicates = duplicateFinder.duplicates
            summary.skipped += run.skipped
            summary.notes.append(
              "split '\(split)': every image (\(run.dropped.count)) is a duplicate of an earlier split's and was dropped; no \(name) written"
            )
            run.abort()
            continue
          }
          var report = try run.finish(seconds: Date().timeIntervalSince(splitStarted))
          summary = run.summary
          duplicateFinder = run.duplicateFinder
          if exports == nil || split == training {
            exports = run.exportContext(statistics: report.statisticsReport.statistics)
            // The matrix of the statistics stats.json holds: fitted on the training split,
            // or read from --stats FILE.
            trainedWhitening = run.whitening
          }
          report.output = output.appendingPathComponent(name)
          if split != training && trained != nil {
            report.statisticsSource = "\(report.statisticsSource) of the '\(training)' split"
          }
          reports[split] = report
          if split == training && needsTraining {
            trained = (report.statisticsReport.statistics, report.statisticsReport.images)
          }
        } catch {
          run.abort()
          throw error
        }
      }
      let trainingReport = reports[training] ?? reports.values.first!
      try write(Self.splitsCSV(plan), to: staged.appendingPathComponent("splits.csv"))
      var top = trainingReport.statisticsReport
      if let trainedWhitening {
        top.whitening = trainedWhitening.record(file: Self.splitWhiteningName)
        let url = staged.appendingPathComponent(Self.splitWhiteningName)
        do { try trainedWhitening.write(to: url) } catch {
          throw .output(path: url.path, reason: FileSystemReason.text(of: error))
        }
      }
      try write(try top.encoded(), to: staged.appendingPathComponent("stats.json"))
      summary.noteExports(options.exports)
      try write(summary.encoded(), to: staged.appendingPathComponent(SideFiles.summaryName))
      try write(
        DuplicatesTable.encoded(summary.duplicates), to: staged.appendingPathComponent(SideFiles.duplicatesName))
      for target in options.exports {
        try write(Data(exports!.render(target).utf8), to: staged.appendingPathComponent(target.fileName))
      }
      try ConversionRun.stageSavedStatistics(
        trainingReport.statisticsReport, whitening: trainedWhitening, options: options, transaction: transaction)
      for inner in inners { try inner.commit() }
      try transaction.commit()
    } catch {
      for inner in inners { inner.abort() }
      transaction.abort()
      throw error
    }
    let seconds = Date().timeIntervalSince(started)
    let written = plan.splits.filter { reports[$0] != nil }
    return PlanRunReport(
      output: output, splits: written, reports: written.map { reports[$0]! }, seconds: seconds, summary: summary,
      exportFiles: options.exports.map { output.appendingPathComponent($0.fileName) })
  }

  /// The entries as the folder ``ConversionRun`` reads: the plan's root and classes.
  func folder(of plan: DatasetPlan, entries: [PlanEntry]) -> ImageFolder {
    ImageFolder(
      root: URL(fileURLWithPath: plan.root), classes: plan.classes,
      files: entries.map { ImageFile(relativePath: $0.path, label: $0.labels.first) }, ignored: plan.ignored)
  }

  func write(_ data: Data, to url: URL) throws(ConversionError) {
    do { try data.write(to: url, options: .withoutOverwriting) } catch {
      throw .output(path: url.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// `splits.csv`: `file,label,split`, one row per plan entry in plan order; fields quoted
  /// as Python's `csv` module quotes them (when they hold `,`, `"` or a line break).
  static func splitsCSV(_ plan: DatasetPlan) -> Data {
    func field(_ text: String) -> String {
      text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
    var text = "file,label,split\r\n"
    for entry in plan.entries {
      let label = entry.labels.map { plan.classes[$0] }.joined(separator: "|")
      text += [entry.path, label, entry.split ?? ""].map(field).joined(separator: ",") + "\r\n"
    }
    return Data(text.utf8)
  }
}
