import Foundation

/// Everything a conversion will do, decided before any image is decoded: the ordered
/// entries (file, labels, split, group), the class names, the options, and a hash of all
/// of it. `normtool plan -o plan.json` writes it; `normtool convert` builds one and runs it
/// (``DatasetConverter/run(_:to:progress:)``); a sharded run executes slices of it.
///
/// There is no single NumPy equivalent: it is the table (a pandas `DataFrame` of
/// `path, label, split, group`) plus the preprocessing recipe that the tutorials keep in
/// their heads.
public struct DatasetPlan: Sendable, Equatable, Codable {
  /// Where the entries came from.
  public struct Source: Sendable, Equatable, Codable {
    /// `"folder"` (class folders), `"labels"` (a CSV/TSV/JSONL label file), `"files"`
    /// (a plain list of files) or `"keras-folder"` (class folders listed as Keras lists them).
    public var kind: String
    /// The folder or file, as given.
    public var path: String

    /// A source.
    public init(kind: String, path: String) {
      self.kind = kind
      self.path = path
    }
  }

  /// The version of this layout; a reader refuses a newer one.
  public static let currentVersion = 1

  /// The layout version (``currentVersion`` when written).
  public var version: Int = DatasetPlan.currentVersion
  /// Where the entries came from.
  public var source: Source
  /// The folder every ``PlanEntry/path`` is relative to, as given (relative paths are
  /// relative to the working directory of the run).
  public var root: String
  /// The class names; label `i` is `classes[i]`. Empty when the images are unlabeled.
  public var classes: [String]
  /// How `y` is written; nil writes int64 labels (-1 when unlabeled), as before plans.
  public var labelMode: LabelMode?
  /// The split names in output order (each writes `OUT/NAME.npz`); empty for one dataset.
  public var splits: [String]
  /// How the splits were drawn; nil when there are none, or when a split column gave all.
  public var splitRule: SplitRule?
  /// The conversion options (size, resize, normalization, …).
  public var options: ConversionOptions
  /// The images, in output order (within a split, this order).
  public var entries: [PlanEntry]
  /// What the scan passed over (hidden files, other extensions), relative to ``root``.
  public var ignored: [String]
  /// SHA-256 of the canonical JSON of the plan with `hash` empty; see ``computeHash()``.
  public var hash: String = ""

  /// A plan; call ``sealed()`` to fill in ``hash``.
  public init(
    source: Source, root: String, classes: [String], labelMode: LabelMode?, splits: [String],
    splitRule: SplitRule?, options: ConversionOptions, entries: [PlanEntry], ignored: [String]
  ) {
    self.source = source
    self.root = root
    self.classes = classes
    self.labelMode = labelMode
    self.splits = splits
    self.splitRule = splitRule
    self.options = options
    self.entries = entries
    self.ignored = ignored
  }

  private enum CodingKeys: String, CodingKey {
    case version, source, root, classes
    case labelMode = "label_mode"
    case splits
    case splitRule = "split_rule"
    case options, entries, ignored, hash
  }

  /// The hash of the entries and options: SHA-256 (hex) of the canonical JSON
  /// (`JSONEncoder` with sorted keys, no whitespace, slashes unescaped) of this plan with
  /// ``hash`` set to the empty string. Two plans with the same hash convert the same files
  /// the same way; ``ConversionOptions/jobs`` is not part of it.
  public func computeHash() -> String {
    var unsealed = self
    unsealed.hash = ""
    return SHA256.hexDigest(unsealed.canonicalJSON())
  }

  /// This plan with ``hash`` filled in.
  public func sealed() -> DatasetPlan {
    var plan = self
    plan.hash = computeHash()
    return plan
  }

  /// Whether ``hash`` matches the content.
  public var isIntact: Bool { hash == computeHash() }

  /// The canonical JSON bytes the hash covers.
  func canonicalJSON() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Every member is a plain value; encoding cannot fail.
    return (try? encoder.encode(self)) ?? Data()
  }

  /// The plan as `plan.json`: pretty-printed, keys sorted, one entry per line block.
  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    var data = (try? encoder.encode(self)) ?? Data()
    data.append(0x0A)
    return data
  }

  /// Writes ``encoded()`` to `url` as `normtool plan -o` does: the path checked first
  /// (``OutputPathCheck``), the file written under a temporary name and renamed into place.
  ///
  /// - Throws: ``ConversionError/output(path:reason:)``; an existing file is then untouched.
  public func write(to url: URL) throws(ConversionError) {
    try OutputPathCheck(
      outputs: [.init(url: url, isDirectory: false, option: "-o")], inputFolder: URL(fileURLWithPath: root),
      statisticsFile: nil
    ).run()
    let transaction = OutputTransaction()
    try transaction.stage(encoded(), at: url)
    try transaction.commit()
  }

  /// Reads a `plan.json`; checks its version and its hash.
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` naming the file and the reason.
  public static func read(from url: URL) throws(ConversionError) -> DatasetPlan {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw .invalidOptions("\(url.path): cannot read the plan: \(FileSystemReason.text(of: error))")
    }
    let plan: DatasetPlan
    do { plan = try JSONDecoder().decode(DatasetPlan.self, from: data) } catch {
      throw .invalidOptions("\(url.path): not a plan written by normtool plan (\(StatisticsReport.describe(error)))")
    }
    if plan.version > currentVersion {
      throw .invalidOptions(
        "\(url.path): plan version \(plan.version) is newer than this normtool reads (\(currentVersion))")
    }
    if !plan.isIntact {
      throw .invalidOptions("\(url.path): the plan's hash does not match its content (edited after it was written?)")
    }
    return plan
  }

  /// The entries written to `split` (all of them for nil), in plan order.
  public func entries(in split: String?) -> [PlanEntry] {
    guard let split else { return entries }
    return entries.filter { $0.split == split }
  }

  /// The split whose statistics normalize every split: `train` when there is one, else the
  /// first; nil without splits.
  public var trainingSplit: String? {
    splits.contains("train") ? "train" : splits.first
  }

  /// Whether any entry has more than one label (or none, in a labeled plan): `y` is then
  /// multi-hot.
  public var isMultiLabel: Bool {
    !classes.isEmpty && entries.contains { $0.labels.count != 1 }
  }

  /// The label mode in force: ``labelMode``, or multi-hot for multi-label entries, or int.
  public var resolvedLabelMode: LabelMode { labelMode ?? (isMultiLabel ? .multiHot : .int) }

  /// Images per split (nil key: no split) and class (-1: unlabeled), for `--dry-run`.
  /// A multi-label image counts once for each of its labels.
  public func counts() -> [String: [Int: Int]] {
    var counts: [String: [Int: Int]] = [:]
    for entry in entries {
      let key = entry.split ?? ""
      for label in entry.labels.isEmpty ? [-1] : entry.labels { counts[key, default: [:]][label, default: 0] += 1 }
    }
    return counts
  }
}
