import Foundation
import Testing

@testable import NDArray

// Integer, range and mask indexing, take, comparisons, where, nonzero and any/all against
// NumPy (ml_indexing.json), on every view the generator makes (transposed, reversed,
// stepped), empty arrays and several dtypes.

@Suite("Indexing against NumPy")
struct IndexingGoldenTests {
  @Test func rowIndexIsNumPysIntegerIndex() {
    struct Row: AnyElementCheck {
      let index: Int
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray { AnyNDArray(a[index]) }
    }
    for c in mlSection("ml_indexing.json", "row") {
      expectMatches(
        runAny(c.input, Row(index: c.int("index")!)), c.expected("result"), "a[\(c.int("index")!)] of \(c.label)")
    }
  }

  @Test func transposeIsNumPysT() {
    struct Transpose: AnyElementCheck {
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray { AnyNDArray(a.T) }
    }
    for c in mlSection("ml_indexing.json", "transpose") {
      expectMatches(runAny(c.input, Transpose()), c.expected("result"), "a.T of \(c.label)")
    }
  }

  @Test func swiftRangesAreNumPySlices() {
    struct Ranged: AnyElementCheck {
      let kind: String, lower: Int?, upper: Int?
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray {
        switch kind {
        case "range": return AnyNDArray(a[lower!..<upper!])
        case "closed": return AnyNDArray(a[lower!...upper!])
        case "from": return AnyNDArray(a[lower!...])
        case "upto": return AnyNDArray(a[..<upper!])
        case "through": return AnyNDArray(a[...upper!])
        default: return AnyNDArray(a[...])
        }
      }
    }
    for c in mlSection("ml_indexing.json", "range") {
      let check = Ranged(kind: c.entry["kind"] as! String, lower: c.int("lower"), upper: c.int("upper"))
      expectMatches(
        runAny(c.input, check), c.expected("result"),
        "\(check.kind) \(String(describing: check.lower)) \(String(describing: check.upper)) of \(c.label)")
    }
  }

  @Test func rangesMixWithIntegersAndNDIndex() {
    for c in mlSection("ml_indexing.json", "mixed") {
      let a = Encoded(c.entry["base"]).typedArray(Int16.self)
      let items: [any NDIndexExpression] = (c.entry["items"] as! [[Any]]).map { item in
        let kind = item[0] as! String
        let lower = (item.count > 1 ? item[1] as? NSNumber : nil)?.intValue
        let upper = (item.count > 2 ? item[2] as? NSNumber : nil)?.intValue
        switch kind {
        case "int": return lower!
        case "range": return lower!..<upper!
        case "closed": return lower!...upper!
        case "from": return lower!...
        case "upto": return ..<upper!
        case "through": return ...upper!
        case "newaxis": return NDIndex.newAxis
        default: return NDIndex.ellipsis
        }
      }
      let view = items.count == 2 ? a[items[0], items[1]] : a[items[0], items[1], items[2]]
      expectMatches(AnyNDArray(view), c.expected("result"), "mixed \(c.entry["items"]!)")
    }
    // The literal spellings compile to the same views.
    let a = NDArray<Int16>(Array(0..<60), shape: [3, 4, 5])
    #expect(a[1..<3, 0] == a[indices: [.range(1, 3), .at(0)]])
    #expect(a[-1, 2...] == a[indices: [.at(-1), .range(2, nil)]])
    #expect(a[.ellipsis, 0] == a[indices: [.ellipsis, .at(0)]])
    #expect(a[2, NDIndex.ellipsis, ..<2] == a[indices: [.at(2), .ellipsis, .range(nil, 2)]])
  }

  @Test func takeIsNumPysTake() {
    struct Take: AnyElementCheck {
      let indices: [Int], axis: Int?
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray { AnyNDArray(a.take(indices, axis: axis)) }
    }
    for c in mlSection("ml_indexing.json", "take") {
      let check = Take(indices: c.ints("indices")!, axis: c.int("axis"))
      expectMatches(
        runAny(c.input, check), c.expected("result"),
        "take \(check.indices) axis \(String(describing: check.axis)) of \(c.label)")
    }
  }

  @Test func comparisonsAreNumPys() {
    struct Compare: RealElementCheck {
      let b: AnyNDArray, op: String
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        let b = self.b.typed(as: E.self)!
        let s = b.count > 0 ? b.flatElements[0] : E(_castFrom: .signed(1))
        switch op {
        case "eq": return AnyNDArray(a .== b)
        case "ne": return AnyNDArray(a .!= b)
        case "lt": return AnyNDArray(a .< b)
        case "le": return AnyNDArray(a .<= b)
        case "gt": return AnyNDArray(a .> b)
        case "ge": return AnyNDArray(a .>= b)
        case "lt_s": return AnyNDArray(a .< s)
        case "ge_s": return AnyNDArray(a .>= s)
        case "eq_s": return AnyNDArray(a .== s)
        default: return AnyNDArray(s .> a)
        }
      }
    }
    for c in mlSection("ml_indexing.json", "compare") {
      let a = c.array("a"), b = c.array("b")
      if a.dtype == .bool {
        let x = a.typed(as: Bool.self)!, y = b.typed(as: Bool.self)!
        expectMatches(AnyNDArray(x .== y), c.expected("eq"), "bool ==")
        expectMatches(AnyNDArray(x .!= y), c.expected("ne"), "bool !=")
        continue
      }
      for op in ["eq", "ne", "lt", "le", "gt", "ge", "lt_s", "ge_s", "eq_s", "s_gt"] {
        expectMatches(
          runReal(a, Compare(b: b, op: op)), c.expected(op), "\(op) of \(c.label) and \(Encoded(c.entry["b"]))")
      }
    }
  }

  @Test func booleanMasksSelectAsNumPy() {
    struct Mask: RealElementCheck {
      let mask: NDArray<Bool>?, threshold: String?, assign: String?
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray {
        if let mask, let assign {
          var written = a
          written[mask] = NDArray(scalar: E(_castFrom: .real(Double(assign)!)))
          return AnyNDArray(written)
        }
        if let mask { return AnyNDArray(a[mask]) }
        let limit = E(_castFrom: .real(Double(threshold!)!))
        return AnyNDArray(a[a .> limit])
      }
    }
    for c in mlSection("ml_indexing.json", "mask") {
      let mask = c.entry["mask"].map { Encoded($0).typedArray(Bool.self) }
      expectMatches(
        runReal(
          c.input,
          Mask(
            mask: mask, threshold: c.entry["greater_than"] as? String,
            assign: c.entry["assign"] as? String)),
        c.expected("result"), "mask of \(c.label)")
    }
  }

  @Test func whereBroadcastsAsNumPy() {
    struct Where: RealElementCheck {
      let condition: NDArray<Bool>, y: AnyNDArray
      func run<E: NDArrayRealElement & NDArrayNumeric>(_ x: NDArray<E>) -> AnyNDArray {
        AnyNDArray(NDArray.where(condition, x, y.typed(as: E.self)!))
      }
    }
    for c in mlSection("ml_indexing.json", "where") {
      let check = Where(condition: Encoded(c.entry["condition"]).typedArray(Bool.self), y: c.array("y"))
      expectMatches(runReal(c.array("x"), check), c.expected("result"), "where of \(Encoded(c.entry["x"]))")
    }
  }

  @Test func nonzeroAnyAllAreNumPys() {
    struct Nonzero: AnyElementCheck {
      let index: Int
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray {
        if let b = a as? NDArray<Bool> { return AnyNDArray(b.nonzero()[index]) }
        if let i = a as? NDArray<Int32> { return AnyNDArray(i.nonzero()[index]) }
        return AnyNDArray((a as! NDArray<Float>).nonzero()[index])
      }
    }
    for c in mlSection("ml_indexing.json", "nonzero") {
      let expected = c.entry["result"] as! [Any]
      for (axis, columns) in expected.enumerated() {
        expectMatches(runAny(c.input, Nonzero(index: axis)), Encoded(columns), "nonzero[\(axis)] of \(c.label)")
      }
    }
    struct AnyAll: AnyElementCheck {
      let axes: [Int]?, keepDims: Bool, wantAll: Bool
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray {
        if let b = a as? NDArray<Bool> {
          return AnyNDArray(wantAll ? b.all(axes: axes, keepDims: keepDims) : b.any(axes: axes, keepDims: keepDims))
        }
        if let i = a as? NDArray<Int32> {
          return AnyNDArray(wantAll ? i.all(axes: axes, keepDims: keepDims) : i.any(axes: axes, keepDims: keepDims))
        }
        let f = a as! NDArray<Float>
        return AnyNDArray(wantAll ? f.all(axes: axes, keepDims: keepDims) : f.any(axes: axes, keepDims: keepDims))
      }
    }
    for c in mlSection("ml_indexing.json", "anyall") {
      for wantAll in [false, true] {
        let check = AnyAll(axes: c.ints("axes"), keepDims: c.bool("keepdims"), wantAll: wantAll)
        expectMatches(
          runAny(c.input, check), c.expected(wantAll ? "all" : "any"),
          "\(wantAll ? "all" : "any") axes \(String(describing: check.axes)) keep \(check.keepDims) of \(c.label)")
      }
    }
  }
}
