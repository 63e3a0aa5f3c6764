import Foundation
import NDArray
import Testing

@testable import ImageDataset

@Suite struct StatisticsTests {
  /// Straightforward Float64 sums, as a cross-check of the histogram kernel.
  func naive(_ pixels: [UInt8], channels: Int) -> (sum: [UInt64], squares: [UInt64], min: [UInt8], max: [UInt8]) {
    var sum = [UInt64](repeating: 0, count: channels), squares = sum
    var low = [UInt8](repeating: 255, count: channels), high = [UInt8](repeating: 0, count: channels)
    for (i, v) in pixels.enumerated() {
      let c = i % channels
      sum[c] += UInt64(v); squares[c] += UInt64(v) * UInt64(v)
      low[c] = min(low[c], v); high[c] = max(high[c], v)
    }
    return (sum, squares, low, high)
  }

  /// 17×9 takes the direct sums, 80×64 the histogram (from 4096 pixels).
  @Test(arguments: [(1, 17, 9), (3, 17, 9), (4, 17, 9), (1, 80, 64), (3, 80, 64), (4, 80, 64)])
  func momentsMatchDirectSums(channels: Int, width: Int, height: Int) {
    let pixels = SyntheticLoader.pixels(width: width, height: height, seed: 5, channels: channels)
    let moments = pixels.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: channels) }
    let expected = naive(pixels, channels: channels)
    #expect(moments.count == Array(repeating: UInt64(width * height), count: channels))
    #expect(moments.sum == expected.sum)
    #expect(moments.sumOfSquares == expected.squares.map { UInt128($0) })
    #expect(moments.minimum == expected.min.map { UInt16($0) })
    #expect(moments.maximum == expected.max.map { UInt16($0) })
  }

  @Test(arguments: [1, 3, 4])
  func sixteenBitMomentsMatchDirectSums(channels: Int) {
    var generator = SplitMix64(seed: 9)
    var pixels = (0..<(13 * 7 * channels)).map { _ in UInt16(truncatingIfNeeded: generator.next()) }
    pixels[0] = 65535
    let moments = pixels.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: channels) }
    #expect(moments.maximumValue == 65535)
    for c in 0..<channels {
      let values = stride(from: c, to: pixels.count, by: channels).map { pixels[$0] }
      #expect(moments.count[c] == UInt64(values.count))
      #expect(moments.sum[c] == values.reduce(0) { $0 + UInt64($1) })
      #expect(moments.sumOfSquares[c] == values.reduce(0) { $0 + UInt128($1) * UInt128($1) })
      #expect(moments.minimum[c] == values.min()! && moments.maximum[c] == values.max()!)
    }
  }

  /// 2^34 values of 65535: Σv² = 2^34 · 65535² overflows 64 bits (the bound of the 8-bit
  /// moments), and the 128-bit sums keep mean 1 and variance 0 exact.
  @Test func sixteenBitSumsOfSquaresDoNotOverflow() {
    let white = [UInt16](repeating: 65535, count: 1024)
    var moments = white.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: 1) }
    for _ in 0..<24 { moments.merge(moments) }
    #expect(moments.count[0] == 1 << 34)
    #expect(moments.sumOfSquares[0] == UInt128(1 << 34) * 65535 * 65535)
    #expect(moments.sumOfSquares[0] > UInt128(UInt64.max))
    let statistics = ChannelStatistics(moments)
    #expect(statistics.mean == [1] && statistics.m2 == [0] && statistics.maximum == [1])
  }

  @Test func mergingIsExactInAnyGrouping() {
    let parts = (0..<7).map { seed in
      SyntheticLoader.pixels(width: 5, height: 3, seed: seed).withUnsafeBufferPointer {
        PixelMoments(pixels: $0, channels: 3)
      }
    }
    var forward = PixelMoments(channels: 3, maximumValue: 255)
    for p in parts { forward.merge(p) }
    var backward = PixelMoments(channels: 3, maximumValue: 255)
    for p in parts.reversed() { backward.merge(p) }
    var left = PixelMoments(channels: 3, maximumValue: 255), right = PixelMoments(channels: 3, maximumValue: 255)
    for p in parts[..<3] { left.merge(p) }
    for p in parts[3...] { right.merge(p) }
    left.merge(right)
    #expect(forward == backward)
    #expect(forward == left)
    #expect(ChannelStatistics(forward) == ChannelStatistics(left))
  }

  @Test func chanMergeAgreesWithExactStatistics() {
    let parts = (0..<4).map { seed in
      SyntheticLoader.pixels(width: 6, height: 4 + seed, seed: 100 + seed).withUnsafeBufferPointer {
        PixelMoments(pixels: $0, channels: 3)
      }
    }
    var exact = PixelMoments(channels: 3, maximumValue: 255)
    for p in parts { exact.merge(p) }
    let merged = parts.map(ChannelStatistics.init).reduce(
      ChannelStatistics(PixelMoments(channels: 3, maximumValue: 255))
    ) {
      $0.merged(with: $1)
    }
    let truth = ChannelStatistics(exact)
    #expect(merged.count == truth.count)
    #expect(merged.minimum == truth.minimum && merged.maximum == truth.maximum)
    for c in 0..<3 {
      #expect(abs(merged.mean[c] - truth.mean[c]) <= 1e-14 * truth.mean[c])
      #expect(abs(merged.m2[c] - truth.m2[c]) <= 1e-12 * truth.m2[c])
    }
  }

  @Test func globalScopePoolsChannels() {
    let pixels: [UInt8] = [0, 10, 20, 30, 40, 50]
    let moments = pixels.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: 3) }
    let pooled = moments.pooled
    #expect(pooled.count == [6])
    #expect(pooled.sum == [150])
    #expect(pooled.minimum == [0] && pooled.maximum == [50])
    let stats = NormalizationStatistics(moments, scope: .global)
    #expect(stats.mean == [150.0 / (6 * 255)])
  }

  @Test func constantValuesGetTheStdFloorNotNaN() {
    let pixels = [UInt8](repeating: 9, count: 12)
    let stats = pixels.withUnsafeBufferPointer {
      NormalizationStatistics(PixelMoments(pixels: $0, channels: 3), scope: .channel)
    }
    #expect(stats.std == [0, 0, 0])
    #expect(stats.adjustedStd == Array(repeating: 0.5, count: 3))  // 1/sqrt(4)
  }
}
