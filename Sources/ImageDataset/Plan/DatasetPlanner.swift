import Foundation
import _FileSystem

/// Builds a ``DatasetPlan`` from a ``PlanRequest`` before any image is decoded: scans the
/// folder or reads the label file, resolves labels to class indices, checks every path, and
/// assigns the splits (``SplitAssignment``, ``KerasSplit``).
public enum DatasetPlanner {
  /// The plan, and warnings for the user (a split that got no images, …).
  ///
  /// - Parameter sealed: whether to fill in ``DatasetPlan/hash`` (``DatasetPlan/sealed()``):
  ///   a plan written to a file needs it; a plan converted at once does not, and hashing the
  ///   JSON of 20,000 entries costs about 40 ms before the first image is read.
  /// - Throws: ``ConversionError`` naming the file (and line) and the reason.
  public static func plan(
    _ request: PlanRequest, options: ConversionOptions, sealed: Bool = true
  ) throws(ConversionError) -> (
    plan: DatasetPlan, warnings: [String]
  ) {
    try options.validate()
    try check(request, options: options)
    let classOrder = try fixedClassOrder(options)
    var classes: [String]
    var entries: [PlanEntry]
    var ignored: [String] = []
    var fixedSplits: [Bool]
    let root: String
    let source: DatasetPlan.Source
    switch request.source {
    case .folder(let url) where request.kerasValidationSplit != nil:
      let listed = try KerasSplit.files(in: url, classes: classOrder?.names)
      (classes, entries, ignored) = (listed.classes, listed.entries, listed.ignored)
      root = url.path
      source = .init(kind: "keras-folder", path: url.path)
      fixedSplits = Array(repeating: false, count: entries.count)
    case .folder(let url):
      var folder: ImageFolder
      do { folder = try ImageFolder.scan(url) } catch { throw .scan(error) }
      if let classOrder {
        guard folder.isLabeled || classOrder.source != "--classes" else {
          throw .invalidOptions("--classes: \(url.path) has no class subfolders (its images are unlabeled)")
        }
        do { folder = try folder.labeled(by: classOrder) } catch { throw .scan(error) }
      }
      classes = folder.classes
      entries = folder.files.map { PlanEntry(path: $0.relativePath, labels: $0.label.map { [$0] } ?? []) }
      ignored = folder.ignored
      root = url.path
      source = .init(kind: "folder", path: url.path)
      fixedSplits = Array(repeating: false, count: entries.count)
    case .labels(let url), .files(let url):
      let isList: Bool
      if case .files = request.source { isList = true } else { isList = false }
      let file = isList ? try LabelFile.readList(url) : try LabelFile.read(url, groupColumn: request.groupColumn)
      let rootURL = request.root ?? url.deletingLastPathComponent()
      root = request.root?.path ?? rootURL.path
      source = .init(kind: isList ? "files" : "labels", path: url.path)
      let resolved = try LabelResolver.resolve(
        file, root: rootURL, classOrder: classOrder, labelMode: request.labelMode)
      (classes, entries) = (resolved.classes, resolved.entries)
      fixedSplits = entries.map { $0.split != nil }
      if fixedSplits.contains(true) && request.split == nil && fixedSplits.contains(false) {
        let line = file.rows[fixedSplits.firstIndex(of: false)!].line
        throw .labelFile(path: url.path, line: line, reason: "no split (give --split to assign rows without one)")
      }
    }
    if entries.isEmpty { throw .invalidOptions("\(source.path): no images listed") }
    let multiLabel = !classes.isEmpty && entries.contains { $0.labels.count != 1 }
    try checkLabels(
      entries, classes: classes, mode: request.labelMode ?? (multiLabel ? .multiHot : nil), source: source.path)

    var warnings: [String] = []
    var splitNames: [String] = []
    var rule: SplitRule?
    if let fraction = request.kerasValidationSplit {
      rule = .keras(validationSplit: fraction, seed: options.seed)
      try KerasSplit.assign(&entries, validationSplit: fraction, seed: options.seed, source: source.path)
      splitNames = ["train", "val"]
    } else if let parts = request.split {
      rule = SplitRule(
        parts: parts, seed: options.seed, stratify: request.stratify, groupColumn: request.groupColumn)
      splitNames = parts.map(\.name)
      let extra = Set(entries.compactMap(\.split)).subtracting(splitNames)
      if let name = extra.sorted().first {
        throw .invalidOptions(
          "\(source.path): split '\(name)' is not one of --split \(splitNames.joined(separator: ","))")
      }
      try SplitAssignment.assign(&entries, fixed: fixedSplits, rule: rule!, source: source.path)
    } else if fixedSplits.contains(true) {
      splitNames = SplitAssignment.namesInOrder(entries.compactMap(\.split))
    }
    for name in splitNames where !entries.contains(where: { $0.split == name }) {
      warnings.append("split '\(name)' got no images")
    }
    let plan = DatasetPlan(
      source: source, root: root, classes: classes, labelMode: request.labelMode, splits: splitNames,
      splitRule: rule, options: options, entries: entries, ignored: ignored)
    return (sealed ? plan.sealed() : plan, warnings)
  }

  /// Options that contradict each other, found before anything is read.
  static func check(_ request: PlanRequest, options: ConversionOptions) throws(ConversionError) {
    if request.kerasValidationSplit != nil {
      guard case .folder = request.source else {
        throw .invalidOptions(
          "--split-like keras lists class folders as Keras does; it cannot take --labels or --files")
      }
      if request.split != nil { throw .invalidOptions("--split-like keras takes --validation-split F, not --split") }
      if request.groupColumn != nil { throw .invalidOptions("--split-like keras has no groups (--group-column)") }
      if options.seed > UInt64(UInt32.max) {
        throw .invalidOptions("--seed: Keras's RandomState takes seeds below 2**32, found \(options.seed)")
      }
    }
    if let fraction = request.kerasValidationSplit, !(fraction > 0 && fraction < 1) {
      throw .invalidOptions("--validation-split: expected a fraction between 0 and 1, found \(fraction)")
    }
    if request.groupColumn != nil, case .labels = request.source {
    } else if request.groupColumn != nil {
      throw .invalidOptions("--group-column names a column of a --labels file")
    }
    if request.root != nil, case .folder = request.source {
      throw .invalidOptions("--root applies to --labels and --files (the paths in them are relative to it)")
    }
  }

  /// `--classes`, or the training classes of a `--stats FILE` (they must agree).
  static func fixedClassOrder(_ options: ConversionOptions) throws(ConversionError) -> ClassOrder? {
    var order = options.classes.map { ClassOrder(names: $0, source: "--classes") }
    if case .file(let path) = options.statistics {
      let file = try StatisticsReport.read(from: URL(fileURLWithPath: path))
      if let trained = file.classes, !trained.isEmpty {
        if let names = options.classes, names != trained {
          throw .statisticsFile(
            path: path, reason: "its classes \(trained) differ from --classes \(names); give one of them")
        }
        order = ClassOrder(names: trained, source: path)
      }
    }
    return order
  }

  /// Each label mode's demands: one label per image (int, categorical, binary), two
  /// classes (binary), labels at all (every mode but int).
  static func checkLabels(_ entries: [PlanEntry], classes: [String], mode: LabelMode?, source: String)
    throws(ConversionError)
  {
    guard let mode else { return }
    if classes.isEmpty && mode != .int {
      throw .invalidOptions("--label-mode \(mode.rawValue): \(source) has no labels")
    }
    if mode == .binary && classes.count != 2 {
      throw .invalidOptions(
        "--label-mode binary needs exactly 2 classes, found \(classes.count) (\(classes.prefix(5).joined(separator: ", ")))"
      )
    }
    let cells = entries.count.multipliedReportingOverflow(by: classes.count)
    if (mode == .categorical || mode == .multiHot) && (cells.overflow || cells.partialValue > 1 << 28) {
      throw .invalidOptions(
        "--label-mode \(mode.rawValue): y would be \(entries.count) x \(classes.count) float32 values, over 1 GiB; use --label-mode int"
      )
    }
    if mode != .multiHot && !classes.isEmpty, let entry = entries.first(where: { $0.labels.count != 1 }) {
      throw .invalidOptions(
        "--label-mode \(mode.rawValue): \(entry.path) has \(entry.labels.count) labels; expected one (use --label-mode multi-hot)"
      )
    }
  }
}
