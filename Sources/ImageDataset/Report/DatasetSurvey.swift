import Foundation
import NDArray

/// What `report` measures over every image of a stored dataset, in one pass: images per
/// class, file formats, duplicate images, the statistics of `x` per channel, and per-channel
/// histograms of the pixels before normalization (inverted to 0…255) and of the stored
/// values after it.
///
/// The NumPy equivalents: `np.bincount(y)`, `collections.Counter` of the `files` suffixes,
/// `np.unique(x, axis=0, return_index=True)` for duplicates, `x.mean(axis)`, `x.std(axis)`,
/// `x.min(axis)`, `x.max(axis)` over every axis but the channel axis, and
/// `np.histogram(channel, bins=64, range=...)` per channel.
public struct DatasetSurvey: Sendable {
  /// Bins of every histogram.
  public static let bins = 64
  /// Images per label, labels in ascending order.
  public let imagesPerLabel: [(label: Int64, count: Int)]
  /// Files per lower-case suffix (`jpg`, `png`, ...; `(none)` without one), most first.
  public let formats: [(suffix: String, count: Int)]
  /// Images whose values equal an earlier image's: (index, index of the first such image).
  public let duplicates: [(index: Int, first: Int)]
  /// Statistics of the stored values per channel (Float64, std with ddof 0).
  public let statistics: NDArrayStatistics
  /// Per channel: counts of the inverted pixels in 64 bins over [0, 256); nil when the
  /// dataset cannot be inverted (no stored statistics).
  public let before: [[Int64]]?
  /// Per channel: counts of the stored values in 64 bins over that channel's min…max.
  public let after: [[Int64]]

  /// Surveys every image of `dataset`; `inversion` (invert mode) gives the pixels before
  /// normalization, nil when the dataset cannot be inverted.
  public init(dataset: StoredDataset, inversion: Inversion?) throws(DatasetViewError) {
    let channels = dataset.channels
    let channelAxis = dataset.x.shape.count == 3 ? nil : (dataset.layout == .nhwc ? 3 : 1)
    let axes = (0..<dataset.x.shape.count).filter { $0 != channelAxis }
    do { statistics = try dataset.x.statistics(axes: axes) } catch {
      throw DatasetViewError(path: dataset.url.path, reason: "cannot measure x: \(error)")
    }
    let low = statistics.min.flatElements, high = statistics.max.flatElements
    var before = inversion.map { _ in Array(repeating: [Int64](repeating: 0, count: Self.bins), count: channels) }
    var after = Array(repeating: [Int64](repeating: 0, count: Self.bins), count: channels)
    var seen: [Int: [Int]] = [:]
    var duplicates: [(index: Int, first: Int)] = []
    for index in 0..<dataset.count {
      let values = dataset.values(of: index)
      if let pixels = inversion?.pixels(of: index, values: values) {
        // np.histogram(bins=64, range=(0, 256)) of whole numbers 0...255: bin = level / 4.
        for (i, level) in pixels.enumerated() { before![i % channels][Int(level) >> 2] += 1 }
      }
      for c in 0..<channels where low[c].isFinite && high[c].isFinite {
        let channel = stride(from: c, to: values.count, by: channels).map { values[$0] }.filter(\.isFinite)
        Self.add(NDArray(channel).histogram(bins: Self.bins, range: low[c]...high[c]).counts, to: &after[c])
      }
      let key = values.hashValue
      if let earlier = seen[key]?.first(where: { dataset.values(of: $0) == values }) {
        duplicates.append((index, earlier))
      } else {
        seen[key, default: []].append(index)
      }
    }
    self.before = before
    self.after = after
    self.duplicates = duplicates
    var perLabel: [Int64: Int] = [:]
    for label in dataset.labels ?? [] { perLabel[label, default: 0] += 1 }
    imagesPerLabel = perLabel.keys.sorted().map { ($0, perLabel[$0]!) }
    var perSuffix: [String: Int] = [:]
    for file in dataset.files ?? [] {
      let suffix = URL(fileURLWithPath: file).pathExtension.lowercased()
      perSuffix[suffix.isEmpty ? "(none)" : suffix, default: 0] += 1
    }
    formats = perSuffix.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
      ($0.key, $0.value)
    }
  }

  private static func add(_ counts: NDArray<Int64>, to total: inout [Int64]) {
    for (i, n) in counts.flatElements.enumerated() { total[i] += n }
  }
}
