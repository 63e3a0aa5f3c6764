import Foundation
import Testing

@testable import NDArray

/// Long float lanes take the radix path (NDArray._RadixSort.swift); it must give exactly what
/// the stable comparison sort (checked against NumPy in FunctionGoldenTests) gives: the same
/// bits (so -0.0 and 0.0 keep their order, NaN payloads stay), the same permutation.
@Suite struct RadixSortTests {
  /// `n` values full of ties, signed zeros, infinities, subnormals and NaNs of several payloads.
  static func awkwardValues<F: BinaryFloatingPoint>(_ n: Int, seed: UInt64, _: F.Type) -> [F] {
    var generator = SplitMix64(seed: seed)
    let specials: [F] = [
      0, -0.0, .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude,
      -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1,
    ]
    return (0..<n).map { _ in
      let draw = Double.random(in: 0..<1, using: &generator)
      if draw < 0.2 { return specials[Int.random(in: 0..<specials.count, using: &generator)] }
      if draw < 0.5 { return F(Int.random(in: -5..<5, using: &generator)) }  // many ties
      return F(Double.random(in: -1e3..<1e3, using: &generator))
    }
  }

  static func referenceSorted<F: NDArrayRealElement>(_ values: [F]) -> (values: [F], order: [Int64]) {
    values.withUnsafeBufferPointer { lane in
      let order = NDArray<F>._stableOrder(lane)
      return (order.map { lane[$0] }, order.map(Int64.init))
    }
  }

  @Test(arguments: [512, 513, 4096, 100_003])
  func floatLanesSortAsTheComparisonSort(_ n: Int) {
    let values = Self.awkwardValues(n, seed: UInt64(n), Float.self)
    let (expected, order) = Self.referenceSorted(values)
    let array = NDArray<Float>(values)
    #expect(array.sorted().flatElements.map(\.bitPattern) == expected.map(\.bitPattern))
    #expect(array.argsort().flatElements == order)
  }

  @Test(arguments: [512, 2048, 65_537])
  func doubleLanesSortAsTheComparisonSort(_ n: Int) {
    let values = Self.awkwardValues(n, seed: UInt64(n) + 1, Double.self)
    let (expected, order) = Self.referenceSorted(values)
    let array = NDArray<Double>(values)
    #expect(array.sorted().flatElements.map(\.bitPattern) == expected.map(\.bitPattern))
    #expect(array.argsort().flatElements == order)
  }

  @Test func lanesWithoutSignedZerosOrNaNsDecodeKeysExactly() {
    // The key-only path: every finite value and the infinities round-trip through the key.
    var generator = SplitMix64(seed: 9)
    let values = (0..<10_000).map { _ in Float(bitPattern: UInt32.random(in: .min ... .max, using: &generator)) }
      .filter { !$0.isNaN && $0.bitPattern != 0x8000_0000 }
    let (expected, _) = Self.referenceSorted(values)
    #expect(values.count > 9_000)
    #expect(NDArray<Float>(values).sorted().flatElements.map(\.bitPattern) == expected.map(\.bitPattern))
  }

  @Test func signedZerosWithoutNaNsKeepTheirBitsAndOrder() {
    // No NaN here, so only the -0.0 check sends the lane down the index-carrying path.
    var generator = SplitMix64(seed: 5)
    let floats: [Float] = (0..<2000).map { _ in [0, -0.0, 1, -1, 0.5][Int.random(in: 0..<5, using: &generator)] }
    let doubles = floats.map(Double.init)
    #expect(floats.contains { $0.bitPattern == 0x8000_0000 } && !floats.contains { $0.isNaN })
    #expect(
      NDArray<Float>(floats).sorted().flatElements.map(\.bitPattern)
        == Self.referenceSorted(floats).values.map(\.bitPattern))
    #expect(
      NDArray<Double>(doubles).sorted().flatElements.map(\.bitPattern)
        == Self.referenceSorted(doubles).values.map(\.bitPattern))
  }

  @Test func everyLaneOfAnAxisIsSortedOnItsOwn() {
    let values = Self.awkwardValues(3 * 700, seed: 3, Double.self)
    let array = NDArray<Double>(values, shape: [700, 3])
    let sorted = array.sorted(axis: 0), order = array.argsort(axis: 0)
    for column in 0..<3 {
      let lane = (0..<700).map { values[$0 * 3 + column] }
      let (expected, expectedOrder) = Self.referenceSorted(lane)
      #expect((0..<700).map { sorted[item: $0, column].bitPattern } == expected.map(\.bitPattern))
      #expect((0..<700).map { order[item: $0, column] } == expectedOrder)
    }
  }
}
