import Foundation

/// The `stats.json` that `--save-stats` writes and `--stats PATH.json` reads: the
/// statistics on the unit scale (pixel / 255) plus the options that produced them, so a
/// test set can be normalized with its training set's numbers.
///
/// The NumPy equivalent is saving `x.mean(axis=(0,1,2))`, `x.std(axis=(0,1,2))`, `min`,
/// `max` and the value count with `json.dump`. Keys:
/// `format` ("normtool-stats"), `version` (1), `scope`, `channels` (of the images), `images`,
/// `count`, `mean`, `std`, `min`, `max` (lists, one entry per channel or one for global
/// scope; `min`, `max` and `count` are left out for ImageNet constants), `options`.
public struct StatisticsFile: Sendable, Equatable, Codable {
  /// Always `normtool-stats`.
  public var format: String = "normtool-stats"
  /// Always 1.
  public var version: Int = 1
  /// `channel` or `global`.
  public var scope: StatisticsScope
  /// Channels of the images (3 for RGB, 1 for gray).
  public var channels: Int
  /// How many images the statistics were taken over (0 when not measured).
  public var images: Int
  /// Values per entry.
  public var count: [Double]?
  /// Mean per entry.
  public var mean: [Double]
  /// Population standard deviation per entry.
  public var std: [Double]
  /// Minimum per entry.
  public var min: [Double]?
  /// Maximum per entry.
  public var max: [Double]?
  /// The conversion options that produced the statistics, as `--name: value` strings.
  public var options: [String: String]

  /// A file for `statistics`.
  public init(statistics: NormalizationStatistics, scope: StatisticsScope, channels: Int,
              images: Int, options: [String: String]) {
    self.scope = scope
    self.channels = channels
    self.images = images
    self.count = statistics.count
    self.mean = statistics.mean
    self.std = statistics.std
    self.min = statistics.minimum
    self.max = statistics.maximum
    self.options = options
  }

  /// The statistics, to apply.
  public var statistics: NormalizationStatistics {
    NormalizationStatistics(mean: mean, std: std, minimum: min, maximum: max, count: count)
  }

  /// Reads and checks a file written by ``write(to:)``.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` when it is missing, not
  ///   JSON of this form, or inconsistent (list lengths differ).
  public static func read(from url: URL) throws(ConversionError) -> StatisticsFile {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw .statisticsFile(path: url.path, reason: "cannot read: \(error.localizedDescription)")
    }
    if data.count > 1 << 20 {
      throw .statisticsFile(path: url.path, reason: "expected a small JSON file, found \(data.count) bytes")
    }
    let file: StatisticsFile
    do { file = try JSONDecoder().decode(StatisticsFile.self, from: data) } catch {
      throw .statisticsFile(path: url.path, reason: "expected normtool stats JSON (--save-stats), found: \(error)")
    }
    let entries = file.mean.count
    if file.format != "normtool-stats" {
      throw .statisticsFile(path: url.path, reason: "expected format \"normtool-stats\", found \"\(file.format)\"")
    }
    let lengths = [file.std.count, file.min?.count ?? entries, file.max?.count ?? entries,
                   file.count?.count ?? entries]
    if entries == 0 || lengths.contains(where: { $0 != entries }) {
      throw .statisticsFile(path: url.path, reason: "expected mean, std, min, max and count of one length, found \([entries] + lengths)")
    }
    let values = file.mean + file.std + (file.min ?? []) + (file.max ?? []) + (file.count ?? [])
    if values.contains(where: { !$0.isFinite }) || file.std.contains(where: { $0 < 0 }) {
      throw .statisticsFile(path: url.path, reason: "expected finite statistics and std >= 0")
    }
    return file
  }

  /// Writes pretty-printed JSON with sorted keys, atomically.
  public func write(to url: URL) throws(ConversionError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      var data = try encoder.encode(self)
      data.append(0x0A)
      try data.write(to: url, options: .atomic)
    } catch {
      throw .output(path: url.path, reason: "\(error)")
    }
  }
}
