import NDArray

/// Float64 statistics per channel on the unit scale (pixel / 255, or / 65535 at 16 bits): count, mean, M2 (the
/// sum of squared deviations), minimum and maximum.
///
/// The NumPy equivalent is `x.mean(axis=(0,1,2))`, `x.var(axis=(0,1,2)) * n`,
/// `x.min(...)`, `x.max(...)` for `x = pixels / 255.0`. Two sets of statistics merge by
/// Chan's parallel formula (``merged(with:)``), so shards computed apart can be combined;
/// merge in a fixed order for the same bits every time.
public struct ChannelStatistics: Sendable, Equatable, Codable {
  /// Number of values per channel.
  public var count: [Double]
  /// Mean per channel.
  public var mean: [Double]
  /// Sum of squared deviations from the mean per channel (`var * count`).
  public var m2: [Double]
  /// Minimum per channel.
  public var minimum: [Double]
  /// Maximum per channel.
  public var maximum: [Double]

  /// Statistics given directly.
  public init(count: [Double], mean: [Double], m2: [Double], minimum: [Double], maximum: [Double]) {
    self.count = count
    self.mean = mean
    self.m2 = m2
    self.minimum = minimum
    self.maximum = maximum
  }

  /// The statistics of exact integer moments, on the unit scale: each value is rounded
  /// once from the exact rational result.
  public init(_ moments: PixelMoments) {
    let channels = moments.channels
    count = []; mean = []; m2 = []; minimum = []; maximum = []
    for c in 0..<channels {
      let n = moments.count[c]
      let scale = Double(moments.maximumValue)
      count.append(Double(n))
      minimum.append(Double(moments.minimum[c]) / scale)
      maximum.append(Double(moments.maximum[c]) / scale)
      if n == 0 {
        mean.append(.nan); m2.append(.nan); continue
      }
      mean.append(Double(moments.sum[c]) / (Double(n) * scale))
      // M2 · n · scale² = n·Σv² − (Σv)², exact in 128 bits (PixelMoments' bounds).
      let numerator =
        UInt128(n) * moments.sumOfSquares[c]
        - UInt128(moments.sum[c]) * UInt128(moments.sum[c])
      m2.append(Double(numerator) / (Double(n) * (scale * scale)))
    }
  }

  /// The number of channels.
  public var channels: Int { count.count }

  /// Population variance per channel (`numpy.var`, ddof 0).
  public var variance: [Double] { zip(m2, count).map { $0 / $1 } }

  /// Population standard deviation per channel (`numpy.std`, ddof 0).
  public var standardDeviation: [Double] { variance.map { $0.squareRoot() } }

  /// Chan et al.'s pairwise combination: the statistics of both sets of values together.
  /// Count, mean and M2 merge with NDArray's ``NDArray/Moments/merge(_:)`` (the one merge in
  /// the package), minimum and maximum elementwise.
  ///
  /// Traps if the channel counts differ.
  public func merged(with other: ChannelStatistics) -> ChannelStatistics {
    precondition(
      channels == other.channels,
      "cannot merge statistics of \(other.channels) channels into \(channels)")
    var result = self
    Moments.merge(
      count: &result.count, mean: &result.mean, m2: &result.m2,
      withCount: other.count, mean: other.mean, m2: other.m2)
    for c in 0..<channels where other.count[c] != 0 {
      result.minimum[c] = count[c] == 0 ? other.minimum[c] : Swift.min(minimum[c], other.minimum[c])
      result.maximum[c] = count[c] == 0 ? other.maximum[c] : Swift.max(maximum[c], other.maximum[c])
    }
    return result
  }
}
