import ComplexModule
import Foundation
import Testing
@testable import NDArray

/// Our reductions of `a` for one fixture case, keyed like the fixture's results.
func reductions<E: NDArrayRealElement>(_ a: NDArray<E>, axes: [Int]?, keepDims: Bool, withExtrema: Bool)
  -> [String: AnyNDArray]
{
  var results: [String: AnyNDArray] = [
    "sum": AnyNDArray(a.sum(axes: axes, keepDims: keepDims)),
    "mean": AnyNDArray(a.mean(axes: axes, keepDims: keepDims)),
    "var0": AnyNDArray(a.variance(axes: axes, keepDims: keepDims)),
    "std1": AnyNDArray(a.std(axes: axes, ddof: 1, keepDims: keepDims)),
  ]
  if withExtrema {
    results["min"] = AnyNDArray(a.min(axes: axes, keepDims: keepDims))
    results["max"] = AnyNDArray(a.max(axes: axes, keepDims: keepDims))
  }
  return results
}

func reductions(_ any: AnyNDArray, axes: [Int]?, keepDims: Bool, withExtrema: Bool) -> [String: AnyNDArray] {
  switch any {
  case .int8(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .int16(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .int32(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .int64(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .uint8(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .uint16(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .uint32(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .uint64(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .float16(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .float32(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  case .float64(let a): return reductions(a, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
  default: fatalError("no reductions for \(any.dtype)")
  }
}

nonisolated(unsafe) let reductionCases = Fixture.cases("reductions.json")

/// Every real dtype × shape (0-d, empty, size-1 dims) × axis set (all, none, negative,
/// unordered) × keepDims against NumPy.
///
/// Integer sums, min and max are exact. Float64-accumulated results (mean/var/std of
/// integers, everything of float64) match at rtol 1e-12. Float32/float16 results are
/// accumulated in float64 and rounded once, so they are compared with NumPy's float64
/// computation on the same values, within one unit in the last place of the type.
@Test(arguments: reductionCases.indices)
func reductionsMatchNumPy(caseIndex: Int) {
  let entry = reductionCases[caseIndex]
  let input = Encoded(entry["array"])
  let array = input.array
  for reduction in entry["reductions"] as? [[String: Any]] ?? [] {
    let axes = (reduction["axes"] as? [Any])?.map { ($0 as! NSNumber).intValue }
    let keepDims = reduction["keepdims"] as? Bool ?? false
    let expected = reduction["results"] as? [String: Any] ?? [:]
    let reference = reduction["float64"] as? [String: Any]
    let ours = reductions(array, axes: axes, keepDims: keepDims, withExtrema: expected["min"] != nil)
    for (name, result) in ours {
      let context = "\(name) of \(input) axes \(String(describing: axes)) keepDims \(keepDims)"
      let numpy = Encoded(expected[name])
      switch (input.dtype, name) {
      case (_, "min"), (_, "max"):
        expectMatches(result, numpy, context)
      case ("float16", _), ("float32", _):
        // Same dtype and shape as NumPy; values: float64 reference rounded, ±1 ulp.
        let ulp = input.dtype == "float16" ? 0x1p-10 : 0x1p-23
        let exact = Encoded(reference?[name])
        expectMatches(result, Encoded(["dtype": numpy.dtype, "shape": numpy.shape, "data": exact.data]),
                      rtol: ulp * 1.01, atol: input.dtype == "float16" ? 6e-8 : 1e-45, context)
      case ("float64", _), (_, "mean"), (_, "var0"), (_, "std1"):
        expectMatches(result, numpy, rtol: 1e-12, context)
      default:
        expectMatches(result, numpy, context)
      }
    }
  }
}

@Test func nanPropagatesLikeNumPy() {
  for entry in Fixture.cases("nan_reductions.json") {
    let input = Encoded(entry["array"])
    func check<E: NDArrayRealElement>(_ a: NDArray<E>) {
      expectMatches(AnyNDArray(a.min(axes: [0])), Encoded(entry["min0"]), "min0 \(input)")
      expectMatches(AnyNDArray(a.max(axes: [1])), Encoded(entry["max1"]), "max1 \(input)")
      expectMatches(AnyNDArray(a.argmin(axis: 0)), Encoded(entry["argmin0"]), "argmin0 \(input)")
      expectMatches(AnyNDArray(a.argmax(axis: 1)), Encoded(entry["argmax1"]), "argmax1 \(input)")
      expectMatches(AnyNDArray(a.mean(axes: [1])), Encoded(entry["mean1"]), rtol: 1e-6, "mean1 \(input)")
    }
    switch input.array {
    case .float32(let a): check(a)
    case .float64(let a): check(a)
    default: Issue.record("unexpected dtype \(input.dtype)")
    }
  }
}

@Test(arguments: Fixture.cases("argminmax.json").indices)
func argMinMaxMatchNumPy(caseIndex: Int) {
  let entry = Fixture.cases("argminmax.json")[caseIndex]
  let input = Encoded(entry["array"])
  func check<E: NDArrayRealElement>(_ a: NDArray<E>) {
    for (which, table) in [("argmin", entry["argmin"]), ("argmax", entry["argmax"])] {
      for (key, value) in table as? [String: Any] ?? [:] {
        let axis = key == "none" ? nil : Int(key)
        let ours = which == "argmin" ? a.argmin(axis: axis) : a.argmax(axis: axis)
        expectMatches(AnyNDArray(ours), Encoded(value), "\(which) axis \(key) of \(input)")
      }
    }
  }
  switch input.array {
  case .int8(let a): check(a)
  case .uint8(let a): check(a)
  case .int64(let a): check(a)
  case .float32(let a): check(a)
  case .float64(let a): check(a)
  default: Issue.record("unexpected dtype \(input.dtype)")
  }
}

/// The type-erased statistics (what `normtool stats` uses) equal the typed reductions
/// converted to Float64, and bad axes throw instead of trapping.
@Test func anyArrayStatistics() throws {
  let a = NDArray<UInt8>.random(shape: [4, 5, 6, 3], seed: 7)
  let any = AnyNDArray(a)
  let stats = try any.statistics(axes: [0, 1, 2])
  #expect(stats.count == 120)
  #expect(stats.mean.shape == [3])
  #expect(stats.mean == a.mean(axes: [0, 1, 2]))
  #expect(stats.std == a.std(axes: [0, 1, 2]))
  #expect(stats.min.flatElements == a.min(axes: [0, 1, 2]).flatElements.map(Double.init))
  #expect(stats.max.flatElements == a.max(axes: [0, 1, 2]).flatElements.map(Double.init))
  let f = AnyNDArray(a.astype(Float.self))
  let fs = try f.statistics(axes: [-4, -3, -2], ddof: 1)
  #expect(fs.variance.allClose(a.astype(Double.self).variance(axes: [0, 1, 2], ddof: 1), rtol: 1e-12))
  #expect(try any.mean() == NDArray(scalar: a.mean().item))
  #expect(try AnyNDArray(NDArray<Bool>([true, false, true, true])).mean().item == 0.75)
  #expect(throws: NDArrayError.axisOutOfRange(axis: 4, shape: [4, 5, 6, 3])) { try any.mean(axes: [4]) }
  #expect(throws: NDArrayError.duplicateAxis(axes: [0, -4], shape: [4, 5, 6, 3])) { try any.std(axes: [0, -4]) }
  #expect(throws: NDArrayError.emptyReduction(operation: "minimum", shape: [0, 3])) {
    try AnyNDArray(NDArray<Float>(zeros: [0, 3])).min(axes: [0])
  }
  let complex = AnyNDArray(NDArray<Complex<Float>>(zeros: [2]))
  #expect(throws: NDArrayError.unsupportedDType(.complex64, operation: "mean")) { try complex.mean() }
  #expect("\(NDArrayError.axisOutOfRange(axis: 4, shape: [2, 3]))"
          == "axis 4 is out of bounds for array of dimension 2 (shape [2, 3])")
}
