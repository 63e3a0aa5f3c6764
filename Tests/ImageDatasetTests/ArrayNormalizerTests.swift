import Foundation
import NDArray
import NPYIO
import Testing

@testable import ImageDataset

/// ``ArrayNormalizer`` and ``AxisStatisticsLayout``. References are computed here from the
/// definitions (NumPy's `mean`/`std` over axes with `keepdims`, docs/design.md §6); the
/// python-interop suite checks the same against NumPy itself.
@Suite struct ArrayNormalizerTests {
  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("normalize-\(getpid())-\(name)")
  }

  @Test func layoutMapsStoragePositionsToKeptAxes() {
    // (2, 3, 4), reducing axis 1: element [i, j, k] uses statistic [i, k] = 4·i + k.
    for fortran in [false, true] {
      let layout = AxisStatisticsLayout(shape: [2, 3, 4], fortranOrder: fortran, reducedAxes: [1])
      #expect(layout.keptShape == [2, 4] && layout.statisticCount == 8 && layout.valuesPerStatistic == 3)
      var seen: [Int] = []
      layout.forEachRun(from: 0, count: 24) { offset, length, first in
        for i in 0..<length {
          let index = layout.multiIndex(ofStoragePosition: offset + i)
          #expect(first + i * layout.runStride == 4 * index[0] + index[2])
          seen.append(offset + i)
        }
      }
      #expect(seen == Array(0..<24))
    }
    let scalar = AxisStatisticsLayout(shape: [], fortranOrder: false, reducedAxes: [])
    #expect(scalar.statisticCount == 1 && scalar.runLength == 1)
  }

  @Test func standardizesSliceBySliceAsTheDefinitionSays() throws {
    let shape = [3, 4, 5]
    let values = (0..<60).map { Double(($0 * 37) % 23) - 7.5 }
    let input = temporary("in.npy"), output = temporary("out.npy"), stats = temporary("stats.json")
    defer { for url in [input, output, stats] { try? FileManager.default.removeItem(at: url) } }
    try NPY.write(NDArray<Double>(values, shape: shape), to: input)
    let report = try ArrayNormalizer.normalize(
      input, to: output,
      options: ArrayNormalizationOptions(reducedAxes: [1, 2], saveStatisticsTo: stats, dtype: .float64))
    let out = try NPY.read(Double.self, at: output)
    #expect(out.shape == shape && report.shape == [3] && report.valuesPerStatistic == 20)
    for slice in 0..<3 {
      let part = Array(values[(slice * 20)..<(slice * 20 + 20)])
      let mean = part.reduce(0, +) / 20
      let std = (part.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20).squareRoot()
      #expect(abs(report.statistics.mean[slice] - mean) < 1e-12)
      #expect(abs(report.statistics.std[slice] - std) < 1e-12)
      for (i, v) in part.enumerated() {
        #expect(abs(out[item: slice, i / 5, i % 5] - (v - mean) / std) < 1e-12)
      }
    }
    #expect(try StatisticsReport.read(from: stats, unitScale: false).statistics.mean == report.statistics.mean)
  }

  @Test func nonFiniteInputWritesNothing() throws {
    let input = temporary("nan.npy"), output = temporary("nan-out.npy")
    defer { for url in [input, output] { try? FileManager.default.removeItem(at: url) } }
    try NPY.write(NDArray<Float>([1, 2, .infinity, 4], shape: [2, 2]), to: input)
    #expect(throws: ArrayNormalizationError.nonFinite(path: input.path, index: [1, 0], value: .infinity)) {
      try ArrayNormalizer.normalize(input, to: output, options: ArrayNormalizationOptions())
    }
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test func modesWithoutStatisticsAreRefused() {
    #expect(throws: ConversionError.self) { try ArrayNormalizationOptions(mode: .scale).validate() }
    #expect(throws: ConversionError.self) { try ArrayNormalizationOptions(dtype: .uint8).validate() }
  }
}
