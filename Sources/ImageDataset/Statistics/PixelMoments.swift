/// Exact statistics of `uint8` or `uint16` pixel values, per channel: count, sum, sum of
/// squares, minimum and maximum, all integers.
///
/// Integers make the statistics exact and the merge order irrelevant: adding two
/// `PixelMoments` gives the same bits whichever way the images are grouped, so results do
/// not depend on `--jobs`. ``ChannelStatistics`` turns them into Float64 mean and M2 on the
/// unit scale (value / ``maximumValue``). The NumPy equivalent of what they summarise is
/// `pixels.mean(axis=(0, 1, 2), dtype='float64')` and friends, computed without rounding.
///
/// Bounds: exact while a channel has fewer than 2⁴⁸ values (280 TB of 8-bit pixels), for
/// both depths — `Σv ≤ 65535 · 2⁴⁸ < 2⁶⁴` fits `sum`, `Σv² ≤ 65535² · 2⁴⁸ < 2⁸⁰` fits the
/// 128-bit `sumOfSquares`, and `ChannelStatistics`' `n · Σv² < 2⁴⁸ · 2⁸⁰ = 2¹²⁸`.
public struct PixelMoments: Sendable, Equatable {
  /// Number of values per channel.
  public var count: [UInt64]
  /// Sum of the values per channel.
  public var sum: [UInt64]
  /// Sum of the squared values per channel (128 bits: 65535² · n overflows 64 bits from
  /// n = 2³² values, 85,000 images of 224 × 224).
  public var sumOfSquares: [UInt128]
  /// Smallest value per channel (``maximumValue`` when `count` is 0).
  public var minimum: [UInt16]
  /// Largest value per channel (0 when `count` is 0).
  public var maximum: [UInt16]
  /// The largest possible value, the unit scale's 1: 255 for `uint8` pixels, 65535 for
  /// `uint16` (`--depth 16`). Moments of different scales do not merge.
  public let maximumValue: UInt16

  /// Empty moments for `channels` channels of values up to `maximumValue` (255 or 65535;
  /// not defaulted, so that no caller forgets `--depth 16`).
  public init(channels: Int, maximumValue: UInt16) {
    self.maximumValue = maximumValue
    count = Array(repeating: 0, count: channels)
    sum = Array(repeating: 0, count: channels)
    sumOfSquares = Array(repeating: 0, count: channels)
    minimum = Array(repeating: maximumValue, count: channels)
    maximum = Array(repeating: 0, count: channels)
  }

  /// The number of channels.
  public var channels: Int { count.count }

  /// The moments of interleaved pixels (H, W, C in C order) with `channels` channels.
  ///
  /// Traps if `pixels.count` is not a multiple of `channels`.
  public init(pixels: UnsafeBufferPointer<UInt8>, channels: Int) {
    precondition(
      channels > 0 && pixels.count % channels == 0,
      "\(pixels.count) values do not split into \(channels) channels")
    self.init(channels: channels, maximumValue: 255)
    if pixels.count / channels < 4096 {
      // Small images: direct sums cost less than clearing and reading 256 bins per channel.
      self.init(directSums: pixels, channels: channels)
      return
    }
    // A histogram per channel: one increment per value, then exact sums from 256 bins.
    var histogram = [UInt64](repeating: 0, count: 256 * channels)
    histogram.withUnsafeMutableBufferPointer { bins in
      guard let base = pixels.baseAddress, let bins = bins.baseAddress else { return }
      let pixelCount = pixels.count / channels
      switch channels {
      case 1:
        for i in 0..<pixelCount { bins[Int(base[i])] &+= 1 }
      case 3:
        var p = base
        for _ in 0..<pixelCount {
          bins[Int(p[0])] &+= 1
          bins[256 + Int(p[1])] &+= 1
          bins[512 + Int(p[2])] &+= 1
          p += 3
        }
      default:
        var p = base
        for _ in 0..<pixelCount {
          for c in 0..<channels { bins[256 * c + Int(p[c])] &+= 1 }
          p += channels
        }
      }
    }
    for c in 0..<channels {
      var n: UInt64 = 0, s: UInt64 = 0, q: UInt64 = 0
      var low = 255, high = 0
      for v in 0..<256 {
        let k = histogram[256 * c + v]
        if k == 0 { continue }
        n += k
        s += k * UInt64(v)
        q += k * UInt64(v * v)
        low = Swift.min(low, v)
        high = Swift.max(high, v)
      }
      count[c] = n
      sum[c] = s
      sumOfSquares[c] = UInt128(q)
      minimum[c] = UInt16(low)
      maximum[c] = UInt16(high)
    }
  }

  /// The moments of a small image by direct sums, per channel.
  private init(directSums pixels: UnsafeBufferPointer<UInt8>, channels: Int) {
    self.init(channels: channels, maximumValue: 255)
    addDirectSums(pixels, channels: channels)
  }

  /// The moments of interleaved 16-bit pixels (H, W, C in C order) with `channels` channels
  /// (``maximumValue`` 65535).
  ///
  /// Traps if `pixels.count` is not a multiple of `channels`.
  public init(pixels: UnsafeBufferPointer<UInt16>, channels: Int) {
    precondition(
      channels > 0 && pixels.count % channels == 0,
      "\(pixels.count) values do not split into \(channels) channels")
    self.init(channels: channels, maximumValue: 65535)
    addDirectSums(pixels, channels: channels)
  }

  /// Fills the moments of empty ones with direct sums over one image, channel by channel.
  /// One image has at most 2^28 values per channel: Σv² < 2^60 fits 64 bits at 16 bits.
  private mutating func addDirectSums<Sample: FixedWidthInteger & UnsignedInteger>(
    _ pixels: UnsafeBufferPointer<Sample>, channels: Int
  ) {
    guard let base = pixels.baseAddress else { return }
    let pixelCount = pixels.count / channels
    for c in 0..<channels {
      var s: UInt64 = 0, q: UInt64 = 0
      var low = Sample.max, high: Sample = 0
      var p = base + c
      for _ in 0..<pixelCount {
        let v = p.pointee
        s &+= UInt64(v)
        q &+= UInt64(v) &* UInt64(v)
        low = Swift.min(low, v)
        high = Swift.max(high, v)
        p += channels
      }
      count[c] = UInt64(pixelCount)
      sum[c] = s
      sumOfSquares[c] = UInt128(q)
      if pixelCount > 0 {
        minimum[c] = UInt16(low)
        maximum[c] = UInt16(high)
      }
    }
  }

  /// Adds the moments of more pixels (exact; order does not matter).
  ///
  /// Traps if the channel counts or the maximum values differ, or if a sum would overflow
  /// (2⁴⁸ values or more per channel).
  public mutating func merge(_ other: PixelMoments) {
    precondition(
      channels == other.channels,
      "cannot merge statistics of \(other.channels) channels into \(channels)")
    precondition(
      maximumValue == other.maximumValue,
      "cannot merge statistics of values up to \(other.maximumValue) into values up to \(maximumValue)")
    for c in 0..<channels {
      count[c] += other.count[c]
      sum[c] += other.sum[c]
      sumOfSquares[c] += other.sumOfSquares[c]
      minimum[c] = Swift.min(minimum[c], other.minimum[c])
      maximum[c] = Swift.max(maximum[c], other.maximum[c])
    }
  }

  /// The same values seen as one channel (``StatisticsScope/global``).
  public var pooled: PixelMoments {
    var result = PixelMoments(channels: 1, maximumValue: maximumValue)
    result.count[0] = count.reduce(0, +)
    result.sum[0] = sum.reduce(0, +)
    result.sumOfSquares[0] = sumOfSquares.reduce(0, +)
    result.minimum[0] = minimum.min() ?? maximumValue
    result.maximum[0] = maximum.max() ?? 0
    return result
  }

  /// The moments for `scope`: unchanged for ``StatisticsScope/channel``, pooled for
  /// ``StatisticsScope/global``.
  public func scoped(_ scope: StatisticsScope) -> PixelMoments {
    scope == .channel ? self : pooled
  }
}
