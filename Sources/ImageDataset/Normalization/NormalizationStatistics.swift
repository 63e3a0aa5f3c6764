/// The statistics a normalization applies, one entry per channel (or one entry for
/// ``StatisticsScope/global``), on the unit scale: measured ones (from
/// ``ChannelStatistics``), ImageNet's constants, or a ``StatisticsReport`` read from a
/// file, which may hold only `mean` and `std`.
///
/// The NumPy equivalent is the `mean`, `std`, `min`, `max` arrays of the seeds'
/// `(x - mean) / std`. `count` is the number of values each statistic covers; it sets the
/// floor of `std′ = max(std, 1/√count)` (TensorFlow's `per_image_standardization` rule).
public struct NormalizationStatistics: Sendable, Equatable, Codable {
  /// Mean per entry.
  public var mean: [Double]
  /// Population standard deviation (ddof 0) per entry.
  public var std: [Double]
  /// Minimum per entry; nil when unknown (ImageNet statistics).
  public var minimum: [Double]?
  /// Maximum per entry; nil when unknown (ImageNet statistics).
  public var maximum: [Double]?
  /// Values covered per entry; nil when unknown (ImageNet statistics: no floor on std).
  public var count: [Double]?

  /// Statistics given directly.
  public init(mean: [Double], std: [Double], minimum: [Double]?, maximum: [Double]?, count: [Double]?) {
    self.mean = mean
    self.std = std
    self.minimum = minimum
    self.maximum = maximum
    self.count = count
  }

  /// The statistics of measured values.
  public init(_ statistics: ChannelStatistics) {
    self.init(
      mean: statistics.mean, std: statistics.standardDeviation,
      minimum: statistics.minimum, maximum: statistics.maximum, count: statistics.count)
  }

  /// The exact statistics of integer moments, in `scope`.
  public init(_ moments: PixelMoments, scope: StatisticsScope) {
    self.init(ChannelStatistics(moments.scoped(scope)))
  }

  /// ImageNet's mean and std (torchvision's constants) for `channels` (3 or 1) and `scope`.
  /// One channel or global scope uses the averages of the three (0.449, 0.226).
  public static func imagenet(channels: Int, scope: StatisticsScope) -> NormalizationStatistics {
    let mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225]
    if channels == 3 && scope == .channel {
      return NormalizationStatistics(mean: mean, std: std, minimum: nil, maximum: nil, count: nil)
    }
    return NormalizationStatistics(
      mean: [mean.reduce(0, +) / 3], std: [std.reduce(0, +) / 3],
      minimum: nil, maximum: nil, count: nil)
  }

  /// The number of entries (channels, or 1 for global scope).
  public var entries: Int { mean.count }

  /// `std′ = max(std, 1/√count)` per entry: never zero, never NaN.
  public var adjustedStd: [Double] {
    guard let count else { return std }
    return zip(std, count).map { Swift.max($0, 1 / $1.squareRoot()) }
  }
}
