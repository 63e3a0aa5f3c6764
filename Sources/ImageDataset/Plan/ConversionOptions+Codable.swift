import Foundation
import Imaging
import NDArray

/// The options as a plan stores them: every option that changes the output, each as the
/// text `normtool convert` takes. ``ConversionOptions/jobs`` (the output is the same for
/// every value) and ``ConversionOptions/saveStatisticsTo`` (an output, not a recipe) are
/// left out; decoding gives their defaults. `dedupe` and `export` are written only when set,
/// so plans without them keep their bytes and hash.
extension ConversionOptions: Codable {
  private enum CodingKeys: String, CodingKey {
    case size, resize, filter, color
    case exifOrientation = "exif_orientation"
    case normalize, scope, stats
    case dtype, layout, compress
    case onError = "on_error"
    case seed, classes
    case shortSide = "short_side"
    case channelOrder = "channel_order"
    case scale, arithmetic, preset
    case presetOverrides = "preset_overrides"
    case given, whiten, dedupe, export
    case depth, draft
    case alphaBackground = "alpha_background"
  }

  /// Encodes the options as `{"size": "64x64", "resize": "stretch", ...}`; `stats` is
  /// `dataset`, `image`, `batch:N`, `sample:K`, `imagenet` or `file:PATH`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(size?.description, forKey: .size)
    try container.encode(resizeMode.rawValue, forKey: .resize)
    try container.encode(filter.rawValue, forKey: .filter)
    try container.encode(color.rawValue, forKey: .color)
    try container.encode(applyEXIFOrientation, forKey: .exifOrientation)
    try container.encode(normalization.rawValue, forKey: .normalize)
    try container.encode(scope.rawValue, forKey: .scope)
    let stats: String
    if case .file(let path) = statistics { stats = "file:" + path } else { stats = statistics.description }
    try container.encode(stats, forKey: .stats)
    try container.encodeIfPresent(dtype?.rawValue, forKey: .dtype)
    try container.encode(layout.rawValue, forKey: .layout)
    try container.encode(compress, forKey: .compress)
    try container.encode(onError.rawValue, forKey: .onError)
    try container.encode(seed, forKey: .seed)
    try container.encodeIfPresent(classes, forKey: .classes)
    // The preset building blocks (docs/design.md §6), only where they differ from the
    // defaults: a plan without them reads and hashes as before.
    try container.encodeIfPresent(shortSide, forKey: .shortSide)
    if channelOrder != .rgb { try container.encode(channelOrder.rawValue, forKey: .channelOrder) }
    if valueScale != .unit { try container.encode(valueScale.rawValue, forKey: .scale) }
    if arithmetic != .float64 { try container.encode(arithmetic.rawValue, forKey: .arithmetic) }
    try container.encodeIfPresent(preset, forKey: .preset)
    if !presetOverrides.isEmpty { try container.encode(presetOverrides, forKey: .presetOverrides) }
    if case .given(let given) = statistics { try container.encode(given, forKey: .given) }
    try container.encodeIfPresent(whitening, forKey: .whiten)
    if dedupe != .none { try container.encode(dedupe.rawValue, forKey: .dedupe) }
    if !exports.isEmpty { try container.encode(exports.map(\.rawValue).joined(separator: ","), forKey: .export) }
    // Issue 11's options, likewise only when not the defaults.
    if depth != .eight { try container.encode(depth.rawValue, forKey: .depth) }
    if draft { try container.encode(draft, forKey: .draft) }
    try container.encodeIfPresent(alphaBackground?.argument, forKey: .alphaBackground)
  }

  /// Decodes what ``encode(to:)`` wrote; a value `normtool convert` would refuse is a
  /// `DecodingError.dataCorrupted` naming the key.
  public init(from decoder: any Decoder) throws {
    self.init()
    let container = try decoder.container(keyedBy: CodingKeys.self)
    func value<T>(_ key: CodingKeys, _ parse: (String) -> T?) throws -> T? {
      guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
      guard let parsed = parse(text) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown value '\(text)'")
      }
      return parsed
    }
    size = try value(.size, ImageSize.init(argument:))
    resizeMode = try value(.resize, ResizeMode.init(rawValue:)) ?? resizeMode
    filter = try value(.filter, ResizeFilter.init(rawValue:)) ?? filter
    color = try value(.color, ColorMode.init(rawValue:)) ?? color
    applyEXIFOrientation = try container.decodeIfPresent(Bool.self, forKey: .exifOrientation) ?? false
    normalization = try value(.normalize, NormalizationMode.init(rawValue:)) ?? normalization
    scope = try value(.scope, StatisticsScope.init(rawValue:)) ?? scope
    statistics =
      try value(.stats) { text in
        text.hasPrefix("file:")
          ? StatisticsSource.file(path: String(text.dropFirst(5))) : StatisticsSource(argument: text)
      } ?? statistics
    dtype = try value(.dtype, DType.init(rawValue:))
    layout = try value(.layout, OutputLayout.init(rawValue:)) ?? layout
    compress = try container.decodeIfPresent(Bool.self, forKey: .compress) ?? false
    onError = try value(.onError, ErrorPolicy.init(rawValue:)) ?? onError
    seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
    classes = try container.decodeIfPresent([String].self, forKey: .classes)
    shortSide = try container.decodeIfPresent(Int.self, forKey: .shortSide)
    channelOrder = try value(.channelOrder, ChannelOrder.init(rawValue:)) ?? channelOrder
    valueScale = try value(.scale, ValueScale.init(rawValue:)) ?? valueScale
    arithmetic = try value(.arithmetic, NormalizationArithmetic.init(rawValue:)) ?? arithmetic
    preset = try container.decodeIfPresent(String.self, forKey: .preset)
    presetOverrides = try container.decodeIfPresent([String].self, forKey: .presetOverrides) ?? []
    if let given = try container.decodeIfPresent(NormalizationStatistics.self, forKey: .given) {
      statistics = .given(given)
    }
    whitening = try container.decodeIfPresent(WhiteningOptions.self, forKey: .whiten)
    dedupe = try value(.dedupe, DedupePolicy.init(rawValue:)) ?? dedupe
    exports = try value(.export) { try? ExportTarget.parseList($0) } ?? exports
    depth = try value(.depth, SampleDepth.init(rawValue:)) ?? depth
    draft = try container.decodeIfPresent(Bool.self, forKey: .draft) ?? false
    alphaBackground = try value(.alphaBackground, BackgroundColor.init(argument:))
  }
}
