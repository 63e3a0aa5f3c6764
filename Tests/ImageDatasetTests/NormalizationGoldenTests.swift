import Foundation
import Testing

@testable import ImageDataset

/// Compares against `Tests/Fixtures/ImageDataset/normalization_golden.json`, made by
/// `make_normalization_golden.py` with NumPy (python-interop/reference.py).
@Suite struct NormalizationGoldenTests {
  struct Group: Decodable {
    var start: Int, end: Int
    var mean: [Double], std: [Double], min: [Double]?, max: [Double]?, count: [Double]?
  }
  struct Case: Decodable, CustomTestStringConvertible {
    var scope: String, source: String, mode: String
    var groups: [Group]
    var float32: [Double]
    var testDescription: String { "\(mode) \(scope) \(source)" }
  }
  struct Sample: Decodable { var count: Int, k: Int, seed: UInt64, indices: [Int] }
  struct Golden: Decodable {
    var shape: [Int]
    var pixels: [UInt8]
    var cases: [Case]
    var samples: [Sample]
  }

  static let golden: Golden = {
    let data = try! Data(contentsOf: fixtureURL("normalization_golden.json"))
    return try! JSONDecoder().decode(Golden.self, from: data)
  }()

  /// Within `relative`, or within 1e-15 absolute: NumPy's float64 sums give a std of
  /// 5.6e-17 for a constant channel where the exact (integer) computation gives 0.
  static func close(_ a: Double, _ b: Double, relative: Double) -> Bool {
    a == b || abs(a - b) <= max(relative * max(abs(a), abs(b)), 1e-15)
  }

  @Test(arguments: golden.cases)
  func matchesNumPy(_ golden: Case) throws {
    let all = Self.golden
    let scope = StatisticsScope(rawValue: golden.scope)!
    let mode = NormalizationMode(rawValue: golden.mode)!
    let imageValues = all.shape[1] * all.shape[2] * all.shape[3]
    var output: [Float] = []
    for group in golden.groups {
      let pixels = Array(all.pixels[(group.start * imageValues)..<(group.end * imageValues)])
      let statistics: NormalizationStatistics
      if golden.source == "imagenet" {
        statistics = .imagenet(channels: 3, scope: scope)
      } else {
        statistics = pixels.withUnsafeBufferPointer {
          NormalizationStatistics(PixelMoments(pixels: $0, channels: 3), scope: scope)
        }
      }
      for (ours, theirs) in zip(statistics.mean + statistics.std, group.mean + group.std) {
        #expect(Self.close(ours, theirs, relative: 1e-12), "statistics \(ours) vs NumPy \(theirs)")
      }
      if let min = group.min, let max = group.max {
        #expect(statistics.minimum == min && statistics.maximum == max)
        #expect(statistics.count == group.count)
      }
      let table = NormalizationTable<Float>(mode: mode, statistics: statistics, channels: 3)
      var values = [Float](repeating: .nan, count: pixels.count)
      pixels.withUnsafeBufferPointer { source in
        values.withUnsafeMutableBufferPointer { table.apply(to: source, layout: .nhwc, into: $0) }
      }
      output += values
    }
    #expect(output.count == golden.float32.count)
    let worst = zip(output, golden.float32).map { abs(Double($0) - $1) }.max() ?? .infinity
    #expect(worst <= 1e-6, "largest difference from NumPy: \(worst)")
  }

  @Test func channelsFirstLayoutTransposes() {
    let pixels: [UInt8] = [1, 2, 3, 4, 5, 6]  // two pixels, three channels
    let table = NormalizationTable<Double>(mode: .none, statistics: nil, channels: 3)
    var out = [Double](repeating: 0, count: 6)
    pixels.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { table.apply(to: source, layout: .nchw, into: $0) }
    }
    #expect(out == [1, 4, 2, 5, 3, 6])
  }

  @Test func minmaxIsZeroWhereMaxEqualsMin() {
    let stats = NormalizationStatistics(mean: [0.5], std: [0], minimum: [0.5], maximum: [0.5], count: [4])
    let table = NormalizationTable<Float>(mode: .minmax, statistics: stats, channels: 1)
    #expect(table.values.allSatisfy { $0 == 0 })
  }

  @Test(arguments: golden.samples.indices)
  func sampleSelectionMatchesPython(_ index: Int) {
    let sample = Self.golden.samples[index]
    #expect(SampleSelection.indices(count: sample.count, k: sample.k, seed: sample.seed) == sample.indices)
  }
}
