import ComplexModule
import Foundation
import Testing

@testable import NDArray

// Support for the golden cases of ml_indexing.json and ml_functions.json (written by
// python-interop/gen_ndarray_cases.py): the views the generator describes, and dispatch
// of a fixture array to generic test code by element family.

/// The view `name` names, as the generator's `make_view`: nil, `.T`, `a[::-1]`, `a[::2]`.
func fixtureView<E: NDArrayElement>(_ a: NDArray<E>, _ name: String?) -> NDArray<E> {
  switch name {
  case nil: return a
  case "T": return a.T
  case "flip0": return a[indices: [.range(nil, nil, step: -1)]]
  case "step0": return a[indices: [.range(nil, nil, step: 2)]]
  default: fatalError("unknown view \(name!)")
  }
}

/// Generic test code for any element type.
protocol AnyElementCheck {
  func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray
}
/// Generic test code for the real numeric element types (integers and floats).
protocol RealElementCheck {
  func run<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray
}
/// Generic test code for the integer element types.
protocol IntegerElementCheck {
  func run<E: FixedWidthInteger & NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray
}

struct AnyElementVisitor<C: AnyElementCheck>: NDArrayVisitor {
  let check: C
  func visit<E: NDArrayElement>(_ array: NDArray<E>) -> AnyNDArray { check.run(array) }
}

func runAny<C: AnyElementCheck>(_ any: AnyNDArray, _ check: C) -> AnyNDArray {
  any.withTypedArray(AnyElementVisitor(check: check))
}

func runReal<C: RealElementCheck>(_ any: AnyNDArray, _ check: C) -> AnyNDArray {
  switch any {
  case .float16(let a): return check.run(a)
  case .float32(let a): return check.run(a)
  case .float64(let a): return check.run(a)
  default: return runInteger(any, RealAsInteger(check: check))
  }
}

private struct RealAsInteger<C: RealElementCheck>: IntegerElementCheck {
  let check: C
  func run<E: FixedWidthInteger & NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>) -> AnyNDArray { check.run(a) }
}

func runInteger<C: IntegerElementCheck>(_ any: AnyNDArray, _ check: C) -> AnyNDArray {
  switch any {
  case .int8(let a): return check.run(a)
  case .int16(let a): return check.run(a)
  case .int32(let a): return check.run(a)
  case .int64(let a): return check.run(a)
  case .uint8(let a): return check.run(a)
  case .uint16(let a): return check.run(a)
  case .uint32(let a): return check.run(a)
  case .uint64(let a): return check.run(a)
  default: fatalError("not an integer fixture array: \(any.dtype)")
  }
}

/// A fixture entry: its base array, the view of it, and typed fields.
struct MLCase {
  let entry: [String: Any]
  init(_ entry: [String: Any]) { self.entry = entry }

  /// The input: `base` viewed as `view`.
  var input: AnyNDArray {
    struct View: AnyElementCheck {
      let name: String?
      func run<E: NDArrayElement>(_ a: NDArray<E>) -> AnyNDArray { AnyNDArray(fixtureView(a, name)) }
    }
    return runAny(Encoded(entry["base"]).array, View(name: entry["view"] as? String))
  }
  func array(_ key: String) -> AnyNDArray { Encoded(entry[key]).array }
  func expected(_ key: String) -> Encoded { Encoded(entry[key]) }
  func int(_ key: String) -> Int? { (entry[key] as? NSNumber)?.intValue }
  func ints(_ key: String) -> [Int]? { (entry[key] as? [NSNumber])?.map(\.intValue) }
  func bool(_ key: String) -> Bool { (entry[key] as? NSNumber)?.boolValue ?? false }
  var label: String {
    "\(Encoded(entry["base"] ?? entry["a"] ?? entry["array"]).description) view \(entry["view"] as? String ?? "-")"
  }
}

extension Encoded {
  /// The typed array, for a fixture known to hold `E`.
  func typedArray<E: NDArrayElement>(_ type: E.Type) -> NDArray<E> { array.typed(as: E.self)! }
}

/// Every section of a fixture file, each a list of entries.
func mlSection(_ file: String, _ section: String) -> [MLCase] {
  let cases = Fixture.object(file)[section] as? [[String: Any]] ?? []
  #expect(!cases.isEmpty, "no \(section) cases in \(file)")
  return cases.map(MLCase.init)
}
