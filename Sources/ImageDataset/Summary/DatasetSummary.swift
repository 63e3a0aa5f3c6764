import Foundation
import Imaging

/// The facts of a conversion worth reading before training: images per class, the sizes
/// and formats of the source files, how many had an EXIF rotation, 16-bit samples or
/// transparency, the duplicates, and what was skipped or ignored. `normtool convert`
/// prints it and stores it as JSON beside the output.
///
/// The NumPy/Pillow equivalent is a loop over `Image.open(f)` collecting `im.size`,
/// `im.format`, `im.mode`, `im.getexif()` into `collections.Counter`s, then `np.min`,
/// `np.median`, `np.max` of the widths and heights.
public struct DatasetSummary: Sendable {
  /// Images written per class, in label order (empty when unlabeled).
  public var perClass: [(name: String, images: Int)] = []
  /// For a run with splits: images written per split (the plan's split order) and, within
  /// each, per class in label order; empty without splits.
  public var perSplit: [(name: String, perClass: [Int])] = []
  /// Widths of the written images' files, as stored (`im.size[0]`).
  public var widths: [Int] = []
  /// Heights of the written images' files, as stored (`im.size[1]`).
  public var heights: [Int] = []
  /// Written images per format (Pillow's `Image.format` names).
  public var formats: [String: Int] = [:]
  /// Written images whose orientation is not 1.
  public var exifRotated = 0
  /// Written images with samples wider than 8 bits.
  public var sixteenBit = 0
  /// Written images with transparent pixels.
  public var transparency = 0
  /// Written images the loader gave no facts for (a custom ``ImageLoader``).
  public var undescribed = 0
  /// Duplicates found, in file order.
  public var duplicates: [Duplicate] = []
  /// Files left out by `--on-error skip`.
  public var skipped: [SkippedImage] = []
  /// Entries the folder scan passed over (relative paths).
  public var ignored: [String] = []
  /// Warnings of the run's other parts (an export that treats some images differently).
  public var notes: [String] = []
  /// Whether the run kept 16-bit samples (`--depth 16`): then none were reduced.
  public var keptSixteenBit = false

  /// An empty summary for `classes` and, for a run with splits, `splits` in plan order.
  public init(classes: [String], splits: [String] = []) {
    perClass = classes.map { ($0, 0) }
    perSplit = splits.map { ($0, [Int](repeating: 0, count: classes.count)) }
    splitImages = [Int](repeating: 0, count: splits.count)
  }

  /// Counts one written image of `split` (nil without splits).
  mutating func add(_ info: ImageInfo?, label: Int?, split: String? = nil) {
    if let label, perClass.indices.contains(label) { perClass[label].images += 1 }
    if let split, let s = perSplit.firstIndex(where: { $0.name == split }) {
      splitImages[s] += 1
      if let label, perSplit[s].perClass.indices.contains(label) { perSplit[s].perClass[label] += 1 }
    }
    guard let info else { undescribed += 1; return }
    widths.append(info.width)
    heights.append(info.height)
    formats[info.format.rawValue, default: 0] += 1
    if info.isRotated { exifRotated += 1 }
    if info.hasSixteenBitSamples { sixteenBit += 1 }
    if info.hasTransparency { transparency += 1 }
  }

  /// Images written (with or without facts).
  public var images: Int { widths.count + undescribed }

  /// Images written per split, parallel to ``perSplit`` (unlabeled images included).
  public private(set) var splitImages: [Int] = []

  /// Adds the note that hf's processor treats transparent images differently, when the run
  /// exports to hf and some written image has transparency.
  mutating func noteExports(_ exports: [ExportTarget]) {
    guard exports.contains(.hf) && transparency > 0 else { return }
    notes.append(
      "\(transparency) image\(transparency == 1 ? " has" : "s have") transparency: hf's processor composites it on white (do_convert_rgb), this run drops alpha as Pillow's convert('RGB') does; give it images converted to RGB"
    )
  }

  /// The ignored entries grouped by lower-case extension ("" for none), in extension order,
  /// with up to `first` names each, sorted as Python sorts strings.
  public func ignoredByExtension(first: Int = 3) -> [(extension: String, count: Int, first: [String])] {
    var groups: [String: [String]] = [:]
    for path in ignored.sorted(by: codePointOrder) {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      let dot = name.lastIndex(of: ".")
      let ext = dot.map { $0 == name.startIndex ? "" : String(name[$0...]).lowercased() } ?? ""
      groups[ext, default: []].append(path)
    }
    return groups.keys.sorted().map { ($0, groups[$0]!.count, Array(groups[$0]!.prefix(first))) }
  }

  /// NumPy's `np.min`, `np.median` (the mean of the two middle values for an even count)
  /// and `np.max`; nil when there are no values.
  static func minMedianMax(_ values: [Int]) -> (Int, Double, Int)? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let n = sorted.count
    let median = n % 2 == 1 ? Double(sorted[n / 2]) : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
    return (sorted[0], median, sorted[n - 1])
  }

  /// The warnings: 16-bit samples reduced to 8 bits, duplicates across splits, then ``notes``.
  public var warnings: [String] {
    var lines: [String] = []
    if sixteenBit > 0 && !keptSixteenBit {
      lines.append(
        "\(sixteenBit) image\(sixteenBit == 1 ? " has" : "s have") 16-bit samples, reduced to 8 bits (as Pillow does); --depth 16 keeps them"
      )
    }
    let leaks = duplicates.filter(\.crossesSplits).count
    if leaks > 0 {
      lines.append(
        "\(leaks) duplicate\(leaks == 1 ? "" : "s") across splits: the same image in training and evaluation")
    }
    return lines + notes
  }
}
