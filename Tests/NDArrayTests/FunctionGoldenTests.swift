import Foundation
import Testing

@testable import NDArray

// sort/argsort, cumsum/cumprod, unique, quantile/percentile, histogram/bincount, floor
// division and remainder, pad, flip/roll/tile/repeat, clip with array bounds and
// argmin/argmax with keepDims against NumPy (ml_functions.json): every real dtype where
// it applies, 0-d, empty and non-contiguous (transposed, reversed, stepped) inputs.

@Suite("ML functions against NumPy")
struct FunctionGoldenTests {
  @Test func sortAndArgsortAreNumPysStableSort() {
    struct Sort: RealElementCheck {
      let axis: Int?, indices: Bool
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        indices ? AnyNDArray(a.argsort(axis: axis)) : AnyNDArray(a.sorted(axis: axis))
      }
    }
    for c in mlSection("ml_functions.json", "sort") {
      for indices in [false, true] {
        expectMatches(
          runReal(c.input, Sort(axis: c.int("axis"), indices: indices)), c.expected(indices ? "argsort" : "sort"),
          "\(indices ? "argsort" : "sort") axis \(String(describing: c.int("axis"))) of \(c.label)")
      }
    }
  }

  @Test func cumsumAndCumprodMatchNumPysBits() {
    struct Cumulative: RealElementCheck {
      let axis: Int?, product: Bool
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        product ? AnyNDArray(a.cumprod(axis: axis)) : AnyNDArray(a.cumsum(axis: axis))
      }
    }
    for c in mlSection("ml_functions.json", "cumulative") {
      for product in [false, true] {
        expectMatches(
          runReal(c.input, Cumulative(axis: c.int("axis"), product: product)),
          c.expected(product ? "cumprod" : "cumsum"),
          "\(product ? "cumprod" : "cumsum") axis \(String(describing: c.int("axis"))) of \(c.label)")
      }
    }
  }

  @Test func uniqueWithCountsAndInverseIsNumPys() {
    struct Unique: RealElementCheck {
      let part: String
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        switch part {
        case "values": return AnyNDArray(a.unique())
        case "counts": return AnyNDArray(a.uniqueCounts().counts)
        default:
          let (values, inverse) = a.uniqueInverse()
          #expect("\(values)" == "\(a.uniqueCounts().values)")  // NaN != NaN: compare the text
          return AnyNDArray(inverse)
        }
      }
    }
    for c in mlSection("ml_functions.json", "unique") {
      for part in ["values", "counts", "inverse"] {
        expectMatches(runReal(c.input, Unique(part: part)), c.expected(part), "unique \(part) of \(c.label)")
      }
    }
  }

  @Test func quantileAndPercentileFollowNumPysLinearMethod() {
    struct Quantile: RealElementCheck {
      let q: [Double], axis: Int?, keepDims: Bool, percent: Bool
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        percent
          ? AnyNDArray(a.percentile(q.map { 100 * $0 }, axis: axis, keepDims: keepDims))
          : AnyNDArray(a.quantile(q, axis: axis, keepDims: keepDims))
      }
    }
    for c in mlSection("ml_functions.json", "quantile") {
      let q = (c.entry["q"] as! [NSNumber]).map(\.doubleValue)
      for percent in [false, true] {
        let check = Quantile(q: q, axis: c.int("axis"), keepDims: c.bool("keepdims"), percent: percent)
        expectMatches(
          runReal(c.input, check), c.expected(percent ? "percentile" : "quantile"),
          "\(percent ? "percentile" : "quantile") axis \(String(describing: check.axis)) keep \(check.keepDims) of \(c.label)"
        )
      }
    }
  }

  @Test func histogramAndBincountAreNumPys() {
    struct Histogram: RealElementCheck {
      let bins: Int, range: ClosedRange<Double>?, edges: Bool
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        let result = a.histogram(bins: bins, range: range)
        return edges ? AnyNDArray(result.edges) : AnyNDArray(result.counts)
      }
    }
    for c in mlSection("ml_functions.json", "histogram") {
      let range = (c.entry["range"] as? [NSNumber]).map { $0[0].doubleValue...$0[1].doubleValue }
      for edges in [false, true] {
        expectMatches(
          runReal(c.input, Histogram(bins: c.int("bins")!, range: range, edges: edges)),
          c.expected(edges ? "edges" : "counts"),
          "histogram bins \(c.int("bins")!) range \(String(describing: range)) of \(c.label)")
      }
    }
    struct Bincount: IntegerElementCheck {
      let weights: NDArray<Double>?, minLength: Int
      func run<E: FixedWidthInteger & NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        if let weights { return AnyNDArray(a.bincount(weights: weights, minLength: minLength)) }
        return AnyNDArray(a.bincount(minLength: minLength))
      }
    }
    for c in mlSection("ml_functions.json", "bincount") {
      let weights = Encoded(c.entry["weights"]).typedArray(Double.self)
      expectMatches(
        runInteger(c.array("array"), Bincount(weights: nil, minLength: c.int("minlength")!)),
        c.expected("counts"), "bincount minlength \(c.int("minlength")!) of \(Encoded(c.entry["array"]))")
      expectMatches(
        runInteger(c.array("array"), Bincount(weights: weights, minLength: c.int("minlength")!)),
        c.expected("weighted"), "weighted bincount of \(Encoded(c.entry["array"]))")
    }
  }

  @Test func floorDivisionAndRemainderFollowNumPysSignRules() {
    struct Division: IntegerElementCheck {
      let b: AnyNDArray, remainder: Bool
      func run<E: FixedWidthInteger & NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        let b = self.b.typed(as: E.self)!
        if remainder {
          #expect(NDArray.remainder(a, b) == a % b)
          return AnyNDArray(a % b)
        }
        return AnyNDArray(NDArray.floorDivide(a, b))
      }
    }
    for c in mlSection("ml_functions.json", "division") {
      for remainder in [false, true] {
        expectMatches(
          runInteger(c.array("a"), Division(b: c.array("b"), remainder: remainder)),
          c.expected(remainder ? "remainder" : "floor_divide"),
          "\(remainder ? "%" : "//") of \(Encoded(c.entry["a"])) by \(Encoded(c.entry["b"]))")
      }
    }
  }

  @Test func padIsNumPysPad() {
    struct Pad: RealElementCheck {
      let widths: [(before: Int, after: Int)], mode: String, value: String?
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        switch mode {
        case "constant": return AnyNDArray(a.padded(widths, mode: .constant(E(_castFrom: .real(Double(value!)!)))))
        case "edge": return AnyNDArray(a.padded(widths, mode: .edge))
        default: return AnyNDArray(a.padded(widths, mode: .reflect))
        }
      }
    }
    for c in mlSection("ml_functions.json", "pad") {
      let widths = (c.entry["widths"] as! [[NSNumber]]).map { (before: $0[0].intValue, after: $0[1].intValue) }
      let check = Pad(widths: widths, mode: c.entry["mode"] as! String, value: c.entry["value"] as? String)
      expectMatches(runReal(c.input, check), c.expected("result"), "pad \(widths) \(check.mode) of \(c.label)")
    }
  }

  @Test func flipRollTileRepeatAreNumPys() {
    struct Rearrange: AnyElementCheck {
      let operation: String, parameters: [String: Any]
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray {
        let axis = (parameters["axis"] as? NSNumber)?.intValue
        switch operation {
        case "flip": return AnyNDArray(a.flipped(axes: (parameters["axes"] as? [NSNumber])?.map(\.intValue)))
        case "roll": return AnyNDArray(a.rolled((parameters["shift"] as! NSNumber).intValue, axis: axis))
        case "tile": return AnyNDArray(a.tiled((parameters["reps"] as! [NSNumber]).map(\.intValue)))
        default: return AnyNDArray(a.repeated((parameters["count"] as! NSNumber).intValue, axis: axis))
        }
      }
    }
    for c in mlSection("ml_functions.json", "rearrange") {
      for operation in ["flip", "roll", "tile", "repeat"] {
        let variants = c.entry[operation] as! [[String: Any]]
        #expect(!variants.isEmpty)
        for parameters in variants {
          expectMatches(
            runAny(c.input, Rearrange(operation: operation, parameters: parameters)),
            Encoded(parameters["result"]), "\(operation) \(parameters.filter { $0.key != "result" }) of \(c.label)")
        }
      }
    }
  }

  @Test func clipWithArrayBoundsIsNumPys() {
    struct Clip: RealElementCheck {
      let low: AnyNDArray, high: AnyNDArray
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        AnyNDArray(a.clip(low.typed(as: E.self)!, high.typed(as: E.self)!))
      }
    }
    for c in mlSection("ml_functions.json", "clip") {
      expectMatches(
        runReal(c.array("a"), Clip(low: c.array("low"), high: c.array("high"))), c.expected("result"),
        "clip of \(Encoded(c.entry["a"])) to \(Encoded(c.entry["low"]))…\(Encoded(c.entry["high"]))")
    }
  }

  @Test func argminArgmaxKeepDimsAreNumPys() {
    struct Extremum: RealElementCheck {
      let axis: Int?, keepDims: Bool, max: Bool
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        AnyNDArray(max ? a.argmax(axis: axis, keepDims: keepDims) : a.argmin(axis: axis, keepDims: keepDims))
      }
    }
    for c in mlSection("ml_functions.json", "argextremum") {
      for max in [false, true] {
        let check = Extremum(axis: c.int("axis"), keepDims: c.bool("keepdims"), max: max)
        expectMatches(
          runReal(c.input, check), c.expected(max ? "argmax" : "argmin"),
          "\(max ? "argmax" : "argmin") axis \(String(describing: check.axis)) keep \(check.keepDims) of \(c.label)")
      }
    }
  }
}
