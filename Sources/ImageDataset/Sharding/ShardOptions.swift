import Foundation
import Imaging
import NDArray

/// The conversion options a shard plan carries to every task, as plain JSON values, so
/// that a task on another machine converts exactly as `normtool convert` would with them.
///
/// Only what changes the output bytes is kept; `--jobs` is each task's own choice. There
/// is no NumPy equivalent.
public struct ShardOptions: Codable, Sendable, Equatable {
  /// `--size` as `WxH`, nil to keep each image's size.
  public var size: ImageSize?
  /// `--resize`.
  public var resize: String
  /// `--filter`.
  public var filter: String
  /// `--color`.
  public var color: String
  /// `--exif-orientation`.
  public var exifOrientation: Bool
  /// `--normalize`.
  public var normalize: NormalizationMode
  /// `--scope`.
  public var scope: StatisticsScope
  /// `--stats` as given (`dataset`, `imagenet` or a file's path).
  public var stats: String
  /// `--dtype` as written (resolved).
  public var dtype: String
  /// `--layout`.
  public var layout: OutputLayout
  /// `--seed`.
  public var seed: UInt64

  /// Channels per pixel: 1 for `--color gray`, else 3.
  public var channels: Int { ColorMode(rawValue: color) == .gray ? 1 : 3 }

  /// The record of `options`.
  public init(_ options: ConversionOptions) {
    size = options.size
    resize = options.resizeMode.rawValue
    filter = options.filter.rawValue
    color = options.color.rawValue
    exifOrientation = options.applyEXIFOrientation
    normalize = options.normalization
    scope = options.scope
    stats = options.statistics.description
    dtype = options.resolvedDType.rawValue
    layout = options.layout
    seed = options.seed
  }

  /// The conversion options again (`--on-error fail`, the classes of `plan`).
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` for a value this version does not know.
  public func conversionOptions(classes: [String]?, jobs: Int?) throws(ConversionError) -> ConversionOptions {
    var options = ConversionOptions()
    options.size = size
    guard let resize = ResizeMode(rawValue: resize), let filter = ResizeFilter(rawValue: filter),
      let color = ColorMode(rawValue: color), let dtype = DType(rawValue: dtype),
      let source = StatisticsSource(argument: stats)
    else {
      throw .invalidOptions("the plan's options are not ones this normtool knows: \(self)")
    }
    options.resizeMode = resize
    options.filter = filter
    options.color = color
    options.applyEXIFOrientation = exifOrientation
    options.normalization = normalize
    options.scope = scope
    options.statistics = source
    options.dtype = dtype
    options.layout = layout
    options.seed = seed
    options.classes = classes
    if let jobs { options.jobs = jobs }
    try options.validate()
    return options
  }
}
