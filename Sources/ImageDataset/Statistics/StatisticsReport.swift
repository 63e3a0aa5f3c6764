import Foundation
import NDArray

/// One statistics report: the `stats.json` that `--save-stats` writes and `--stats FILE`
/// reads, and what `normtool stats --json` prints for an image folder or an array. It holds
/// the statistics on the unit scale (pixel / 255; an array's values as they are), the class
/// names in label order, and the options that produced them, so a test set can be
/// normalized, and labeled, with its training set's numbers. The schema is
/// `docs/stats-schema.json`.
///
/// The NumPy equivalent is saving `x.mean(axis=(0,1,2))`, `x.std(axis=(0,1,2))`, `min`,
/// `max` and the value count with `json.dump`. Only `mean` and `std` are required to read a
/// file, so a hand-written `{"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}` works, and
/// so does the output of `normtool stats FOLDER --json`. Keys written to a file
/// (``encoded()``): `format` ("normtool-stats"), `version` (1), `scope`, `channels` (of the
/// images), `images`, `count`, `mean`, `std`, `min`, `max` (lists, one entry per channel or
/// one for global scope; `min`, `max` and `count` are left out for ImageNet constants),
/// `scale` (1: values are pixel / 255), `applied` (whether these statistics normalized the
/// data), `classes`, `options`, and, for a run with a preset or a channel order or value scale
/// other than the defaults, `preset`, `channel_order` ("rgb" or "bgr") and `value_scale`
/// ("unit" or "255"; with "255" the values are written on that scale and `scale` is 255).
/// ``jsonLine`` is the one-line form `stats --json` prints.
public struct StatisticsReport: Sendable, Equatable, Codable {
  /// Always `normtool-stats`.
  public var format: String = "normtool-stats"
  /// Always 1.
  public var version: Int = 1
  /// The reduced axes (`stats --json`); nil in a stats file.
  public var axes: [Int]?
  /// The shape of each statistic's result (`stats --json`); nil in a stats file.
  public var shape: [Int]?
  /// `channel` or `global`; nil in a file that does not say (then inferred from the
  /// length), and for an array's statistics.
  public var scope: StatisticsScope?
  /// Channels of the images (3 for RGB, 1 for gray); nil in a file that does not say.
  public var channels: Int?
  /// How many images the statistics were taken over (0 when not measured).
  public var images: Int
  /// The statistics: `mean`, `std`, `min`, `max` and `count`, one entry each per channel
  /// (one for global scope; C order of ``shape`` for an array).
  public var statistics: NormalizationStatistics
  /// The values each statistic covers, printed by ``jsonLine`` as `count`; nil when it
  /// comes from ``NormalizationStatistics/count`` (a stats file).
  public var valuesPerStatistic: Int?
  /// What the values are divided by to reach the unit scale: 1 (the values are pixel / 255,
  /// what normtool writes) or 255 (the values are pixels, such as ImageNet's
  /// `[123.675, 116.28, 103.53]`). ``read(from:)`` divides them, so it is 1 afterwards.
  public var scale: Double = 1
  /// Whether the statistics are the ones that normalized the dataset: false when the
  /// normalization used none (`--normalize none|scale`) or each image or batch had its own.
  /// The values are then the dataset's, measured over every image written.
  public var applied: Bool = true
  /// The class names in label order (label `i` is `classes[i]`); nil when not recorded,
  /// empty for an unlabeled folder.
  public var classes: [String]?
  /// The conversion options that produced the statistics, as `--name: value` strings.
  public var options: [String: String] = [:]
  /// The ``ModelPreset`` the run used; nil when none.
  public var preset: String?
  /// The channel order of the images the statistics describe; nil when not recorded
  /// (then RGB, or a hand-written file that fits any order).
  public var channelOrder: ChannelOrder?
  /// The scale of the values the normalization saw; nil when not recorded (the unit scale).
  public var valueScale: ValueScale?
  /// The whitening fitted with the statistics (`--whiten`), whose arrays are in the file it
  /// names; nil when none.
  public var whitening: WhiteningRecord?

  /// The report `--save-stats` writes for `statistics`.
  public init(
    statistics: NormalizationStatistics, scope: StatisticsScope, channels: Int,
    images: Int, applied: Bool = true, classes: [String]? = nil, options: [String: String]
  ) {
    self.scope = scope
    self.channels = channels
    self.images = images
    self.statistics = statistics
    self.applied = applied
    self.classes = classes
    self.options = options
  }

  /// The report of `normtool stats FOLDER`: measured statistics of `images` images, per
  /// channel or global as `scope` says (axes ``StatisticsScope/reducedAxes`` of the
  /// (N, H, W, C) pixels).
  public init(measured: ChannelStatistics, scope: StatisticsScope, channels: Int, images: Int) {
    self.init(
      statistics: NormalizationStatistics(measured), scope: scope, channels: channels,
      images: images, options: [:])
    axes = scope.reducedAxes
    shape = scope == .channel ? [statistics.entries] : []
    valuesPerStatistic = Int(measured.count.first ?? 0)
  }

  /// The report of `normtool stats ARRAY`: an array's statistics over `axes` (NumPy:
  /// `a.mean(axis)`, `a.std(axis)`, `a.min(axis)`, `a.max(axis)` in Float64).
  public init(array result: NDArrayStatistics, axes: [Int]) {
    let entries = result.mean.count
    self.init(
      arrayStatistics: NormalizationStatistics(
        mean: result.mean.flatElements, std: result.std.flatElements, minimum: result.min.flatElements,
        maximum: result.max.flatElements, count: Array(repeating: Double(result.count), count: entries)),
      axes: axes, shape: result.mean.shape, valuesPerStatistic: result.count)
  }

  /// The report of an array's statistics over `axes`, of `shape` (the kept axes), each
  /// covering `valuesPerStatistic` values: what `normtool stats ARRAY` prints and `normtool
  /// normalize --save-stats` writes.
  public init(arrayStatistics: NormalizationStatistics, axes: [Int], shape: [Int], valuesPerStatistic: Int) {
    statistics = arrayStatistics
    images = 0
    self.axes = axes
    self.shape = shape
    self.valuesPerStatistic = valuesPerStatistic
  }

  private enum CodingKeys: String, CodingKey {
    case format, version, axes, shape, scope, channels, images, count, mean, std, min, max, scale, applied, classes,
      options, preset, whitening
    case channelOrder = "channel_order"
    case valueScale = "value_scale"
  }

  /// Decodes the keys above; only `mean` and `std` are required. `count` may be one number
  /// for every entry (as `normtool stats --json` prints it) or a list.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    format = try c.decodeIfPresent(String.self, forKey: .format) ?? "normtool-stats"
    version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
    axes = try c.decodeIfPresent([Int].self, forKey: .axes)
    shape = try c.decodeIfPresent([Int].self, forKey: .shape)
    scope = try c.decodeIfPresent(StatisticsScope.self, forKey: .scope)
    channels = try c.decodeIfPresent(Int.self, forKey: .channels)
    images = try c.decodeIfPresent(Int.self, forKey: .images) ?? 0
    let mean = try c.decode([Double].self, forKey: .mean)
    var count: [Double]?
    if let single = try? c.decodeIfPresent(Double.self, forKey: .count) {
      count = Array(repeating: single, count: mean.count)
    } else {
      count = try c.decodeIfPresent([Double].self, forKey: .count)
    }
    statistics = NormalizationStatistics(
      mean: mean, std: try c.decode([Double].self, forKey: .std),
      minimum: try c.decodeIfPresent([Double].self, forKey: .min),
      maximum: try c.decodeIfPresent([Double].self, forKey: .max), count: count)
    scale = try c.decodeIfPresent(Double.self, forKey: .scale) ?? 1
    applied = try c.decodeIfPresent(Bool.self, forKey: .applied) ?? true
    classes = try c.decodeIfPresent([String].self, forKey: .classes)
    options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
    preset = try c.decodeIfPresent(String.self, forKey: .preset)
    channelOrder = try c.decodeIfPresent(ChannelOrder.self, forKey: .channelOrder)
    valueScale = try c.decodeIfPresent(ValueScale.self, forKey: .valueScale)
    whitening = try c.decodeIfPresent(WhiteningRecord.self, forKey: .whitening)
  }

  /// Encodes the file form: the keys above (`count` as a list), absent ones left out. With
  /// ``valueScale`` ``ValueScale/pixel`` the values are written multiplied by 255 and
  /// `scale` is 255, so the file shows the numbers the normalization used.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    let factor = valueScale == .pixel && scale == 1 ? 255.0 : 1
    let onScale: ([Double]) -> [Double] = { $0.map { $0 * factor } }
    try c.encode(format, forKey: .format)
    try c.encode(version, forKey: .version)
    try c.encodeIfPresent(axes, forKey: .axes)
    try c.encodeIfPresent(shape, forKey: .shape)
    try c.encodeIfPresent(scope, forKey: .scope)
    try c.encodeIfPresent(channels, forKey: .channels)
    try c.encode(images, forKey: .images)
    try c.encodeIfPresent(statistics.count, forKey: .count)
    try c.encode(onScale(statistics.mean), forKey: .mean)
    try c.encode(onScale(statistics.std), forKey: .std)
    try c.encodeIfPresent(statistics.minimum.map(onScale), forKey: .min)
    try c.encodeIfPresent(statistics.maximum.map(onScale), forKey: .max)
    try c.encode(scale * factor, forKey: .scale)
    try c.encode(applied, forKey: .applied)
    try c.encodeIfPresent(classes, forKey: .classes)
    try c.encode(options, forKey: .options)
    try c.encodeIfPresent(preset, forKey: .preset)
    try c.encodeIfPresent(channelOrder, forKey: .channelOrder)
    try c.encodeIfPresent(valueScale, forKey: .valueScale)
    try c.encodeIfPresent(whitening, forKey: .whitening)
  }

  /// Reads and checks a statistics file: JSON with at least `mean` and `std`.
  ///
  /// Values with `"scale": 255` are divided by 255. Values on the unit scale must lie in
  /// [0, 1] (`std` in [0, 1] too): 0–255 values without `"scale": 255` are refused, since
  /// they would turn every pixel into about −2.
  ///
  /// With `unitScale` false (statistics of an array, `normtool normalize`), values are not
  /// required to lie in [0, 1].
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` when it is missing, not
  ///   JSON of this form, or inconsistent (list lengths differ, values off the unit scale).
  public static func read(from url: URL, unitScale: Bool = true) throws(ConversionError) -> StatisticsReport {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw .statisticsFile(path: url.path, reason: "cannot read: \(FileSystemReason.text(of: error))")
    }
    if data.count > 1 << 20 {
      throw .statisticsFile(path: url.path, reason: "expected a small JSON file, found \(data.count) bytes")
    }
    var file: StatisticsReport
    do { file = try JSONDecoder().decode(StatisticsReport.self, from: data) } catch {
      throw .statisticsFile(
        path: url.path,
        reason:
          "expected normtool stats JSON (at least \"mean\" and \"std\" lists; see docs/stats-schema.json), found \(describe(error))"
      )
    }
    try file.check(path: url.path, unitScale: unitScale)
    return file
  }

  /// The consistency checks of ``read(from:unitScale:)``; divides by `scale`.
  mutating func check(path: String, unitScale: Bool = true) throws(ConversionError) {
    let s = statistics
    let entries = s.entries
    if format != "normtool-stats" {
      throw .statisticsFile(path: path, reason: "expected format \"normtool-stats\", found \"\(format)\"")
    }
    let lengths = [s.std.count, s.minimum?.count ?? entries, s.maximum?.count ?? entries, s.count?.count ?? entries]
    if entries == 0 || lengths.contains(where: { $0 != entries }) {
      throw .statisticsFile(
        path: path, reason: "expected mean, std, min, max and count of one length, found \([entries] + lengths)")
    }
    let values = s.mean + s.std + (s.minimum ?? []) + (s.maximum ?? []) + (s.count ?? [])
    if values.contains(where: { !$0.isFinite }) || s.std.contains(where: { $0 < 0 }) {
      throw .statisticsFile(path: path, reason: "expected finite statistics and std >= 0")
    }
    if let channels, channels < 1 {
      throw .statisticsFile(path: path, reason: "expected channels >= 1, found \(channels)")
    }
    switch scale {
    case 1: break
    case 255:
      let divide: ([Double]) -> [Double] = { $0.map { $0 / 255 } }
      statistics.mean = divide(s.mean); statistics.std = divide(s.std)
      statistics.minimum = s.minimum.map(divide); statistics.maximum = s.maximum.map(divide)
      scale = 1
    default:
      throw .statisticsFile(
        path: path, reason: "expected \"scale\" 1 (values are pixel / 255) or 255 (values are pixels), found \(scale)")
    }
    guard unitScale else { return }
    let unit: ClosedRange<Double> = 0...1
    let scaled = statistics
    for (name, list) in [
      ("mean", scaled.mean), ("std", scaled.std), ("min", scaled.minimum ?? []), ("max", scaled.maximum ?? []),
    ]
    where list.contains(where: { !unit.contains($0) }) {
      throw .statisticsFile(
        path: path,
        reason:
          "\(name) \(list) is outside [0, 1]: normtool statistics are on the unit scale (pixel / 255), and these look like 0-255 pixel values; divide them by 255 or add \"scale\": 255 to the file"
      )
    }
  }

  /// One line for a decoding failure (never Foundation's dump).
  static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.isEmpty
        ? "the top level"
        : "\"" + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "\""
    }
    switch error as? DecodingError {
    case .keyNotFound(let key, _)?: return "no \"\(key.stringValue)\" key"
    case .typeMismatch(let type, let context)?:
      return
        "\(path(context.codingPath)): expected \(type == Double.self ? "a number" : type == String.self ? "a string" : "\(type)")"
    case .valueNotFound(let type, let context)?: return "\(path(context.codingPath)): expected \(type), found null"
    case .dataCorrupted(let context)?:
      return context.codingPath.isEmpty ? "text that is not valid JSON" : "\(path(context.codingPath)): invalid value"
    default: return "text that is not valid JSON"
    }
  }

  /// Pretty-printed JSON with sorted keys and a final newline: the file's bytes.
  public func encoded() throws(ConversionError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      var data = try encoder.encode(self)
      data.append(0x0A)
      return data
    } catch {
      throw .invalidOptions("cannot encode statistics: \(FileSystemReason.text(of: error))")
    }
  }

  /// The one line `normtool stats --json` prints: `axes`, `shape`, (for an image folder)
  /// `scope`, `channels`, then `count` (one number), `mean`, `std`, `min`, `max`, (for an
  /// image folder) `images`, in that order, then `channel_order` when recorded (a folder
  /// measured with `--channel-order bgr`); NaN and infinities as Python's `json` writes them.
  public var jsonLine: String {
    let list: ([Double]) -> JSONValue = { .array($0.map { JSONValue.double($0) }) }
    let count = valuesPerStatistic ?? Int(statistics.count?.first ?? 0)
    var fields: [(String, JSONValue)] = [
      ("axes", .array((axes ?? []).map { .int($0) })), ("shape", .array((shape ?? []).map { .int($0) })),
    ]
    if let scope { fields += [("scope", .string(scope.rawValue)), ("channels", .int(channels ?? 0))] }
    fields += [
      ("count", .int(count)), ("mean", list(statistics.mean)), ("std", list(statistics.std)),
      ("min", list(statistics.minimum ?? [])), ("max", list(statistics.maximum ?? [])),
    ]
    if scope != nil { fields.append(("images", .int(images))) }
    if let channelOrder { fields.append(("channel_order", .string(channelOrder.rawValue))) }
    return JSONValue.object(fields).rendered
  }
}
