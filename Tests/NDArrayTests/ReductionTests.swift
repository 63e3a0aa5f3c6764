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
  struct Reduce: NDArrayVisitor {
    let axes: [Int]?, keepDims: Bool, withExtrema: Bool
    func visit<E: NDArrayElement>(_ a: NDArray<E>) -> [String: AnyNDArray] {
      guard let real = a as? any _RealReductionFixture else { fatalError("no reductions for \(E.dtype)") }
      return real.fixtureReductions(axes: axes, keepDims: keepDims, withExtrema: withExtrema)
    }
  }
  return any.withTypedArray(Reduce(axes: axes, keepDims: keepDims, withExtrema: withExtrema))
}

/// Real-valued arrays, whose reductions the fixtures check.
protocol _RealReductionFixture {
  func fixtureReductions(axes: [Int]?, keepDims: Bool, withExtrema: Bool) -> [String: AnyNDArray]
}

extension NDArray: _RealReductionFixture where Element: NDArrayRealElement {
  func fixtureReductions(axes: [Int]?, keepDims: Bool, withExtrema: Bool) -> [String: AnyNDArray] {
    reductions(self, axes: axes, keepDims: keepDims, withExtrema: withExtrema)
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
        expectMatches(
          result, Encoded(["dtype": numpy.dtype, "shape": numpy.shape, "data": exact.data]),
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
  #expect(
    "\(NDArrayError.axisOutOfRange(axis: 4, shape: [2, 3]))"
      == "axis 4 is out of bounds for array of dimension 2 (shape [2, 3])")
}

@Test func booleanReductions() {
  // np.array([[True, False, True], [False, False, True]])
  let mask = NDArray<Bool>([true, false, true, false, false, true], shape: [2, 3])
  #expect(mask.sum().item == 3)
  #expect(mask.sum(axes: [0]).flatElements == [1, 0, 2])
  #expect(mask.mean(axes: [1]).flatElements == [2.0 / 3.0, 1.0 / 3.0])
  #expect(mask.any(axes: [0]).flatElements == [true, false, true])
  #expect(mask.all(axes: [0]).flatElements == [false, false, true])
  #expect(mask.all(axes: [-1], keepDims: true).shape == [2, 1])
  let empty = NDArray<Bool>(zeros: [0, 2])
  #expect(empty.any(axes: [0]).flatElements == [false, false])
  #expect(empty.all(axes: [0]).flatElements == [true, true])
}

/// Per-channel and per-image statistics of arrays big enough for the parallel SIMD paths
/// (1.8 M elements), against NumPy: exact for integer sums, min and max; rtol 1e-12 for
/// the Float64-accumulated ones. Both sides build the data from one formula.
@Test func largeArrayStatisticsMatchNumPy() {
  let cases = Fixture.object("large.json")
  let shape = (cases["shape"] as? [Int]) ?? []
  #expect(shape == [64, 96, 96, 3])
  #expect(cases.count == 6)  // shape, formula and four axis sets
  let total = shape.reduce(1, *)
  let bytes = NDArray<UInt8>(unsafeUninitializedShape: shape) { buffer in
    for i in 0..<total {
      buffer[i] = UInt8(truncatingIfNeeded: (UInt64(i) &* 2_654_435_761) >> 13)
    }
  }
  let floats = bytes.astype(Float.self) / 255
  for (key, value) in cases {
    guard let tables = value as? [String: Any], let u8 = tables["uint8"] as? [String: Any],
      let f32 = tables["float32"] as? [String: Any]
    else { continue }
    let axes: [Int]? = key == "all" ? nil : key.split(separator: ",").map { Int($0)! }
    let context = "axes \(key)"
    expectMatches(AnyNDArray(bytes.sum(axes: axes)), Encoded(u8["sum"]), "uint8 sum \(context)")
    expectMatches(AnyNDArray(bytes.mean(axes: axes)), Encoded(u8["mean"]), rtol: 1e-12, "uint8 mean \(context)")
    expectMatches(AnyNDArray(bytes.std(axes: axes)), Encoded(u8["std"]), rtol: 1e-12, "uint8 std \(context)")
    expectMatches(AnyNDArray(bytes.min(axes: axes)), Encoded(u8["min"]), "uint8 min \(context)")
    expectMatches(AnyNDArray(bytes.max(axes: axes)), Encoded(u8["max"]), "uint8 max \(context)")
    let floatSums = floats._withReduction(axes: axes, keepDims: false) { base, layout in
      NDArray<Double>(NDArray<Float>._doubleSums(base, layout), shape: layout.resultShape)
    }
    expectMatches(AnyNDArray(floatSums), Encoded(f32["sum"]), rtol: 1e-12, "float32 sum \(context)")
    expectMatches(
      AnyNDArray(floats._meansInDouble(axes: axes, keepDims: false)), Encoded(f32["mean"]),
      rtol: 1e-12, "float32 mean \(context)")
    expectMatches(
      AnyNDArray(floats._variancesInDouble(axes: axes, ddof: 0, keepDims: false).map { $0.squareRoot() }),
      Encoded(f32["std"]), rtol: 1e-12, "float32 std \(context)")
    expectMatches(
      AnyNDArray(floats._variancesInDouble(axes: axes, ddof: 1, keepDims: false)),
      Encoded(f32["var1"]), rtol: 1e-12, "float32 var ddof 1 \(context)")
    let statistics = try? AnyNDArray(floats).statistics(axes: axes)
    expectMatches(AnyNDArray(statistics!.std), Encoded(f32["std"]), rtol: 1e-12, "float32 statistics std \(context)")
  }
}
