import ComplexModule
import Foundation
import Testing

@testable import NDArray

/// Loads the NumPy-generated cases in Tests/Fixtures/ndarray (written by
/// python-interop/gen_ndarray_cases.py).
enum Fixture {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/ndarray")

  static func cases(_ name: String) -> [[String: Any]] {
    let url = directory.appendingPathComponent(name)
    guard let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let cases = object["cases"] as? [[String: Any]]
    else {
      Issue.record("cannot read fixture \(url.path); run python3 python-interop/gen_ndarray_cases.py")
      return []
    }
    return cases
  }

  static func object(_ name: String) -> [String: Any] {
    let url = directory.appendingPathComponent(name)
    guard let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let cases = object["cases"] as? [String: Any]
    else {
      Issue.record("cannot read fixture \(url.path)")
      return [:]
    }
    return cases
  }
}

/// An encoded NumPy array: dtype name, shape, C-order values as exact strings.
struct Encoded: CustomStringConvertible {
  let dtype: String
  let shape: [Int]
  let data: [String]

  init(_ any: Any?) {
    let dict = any as? [String: Any] ?? [:]
    dtype = dict["dtype"] as? String ?? "?"
    shape = (dict["shape"] as? [Any] ?? []).map { ($0 as? NSNumber)?.intValue ?? -1 }
    data = (dict["data"] as? [Any] ?? []).map { "\($0)" }
  }

  var description: String { "\(dtype)\(shape) \(data.prefix(8))" }

  func typed<E: NDArrayElement>(_ parse: (String) -> E) -> NDArray<E> {
    NDArray<E>(data.map(parse), shape: shape)
  }

  /// The array with NumPy's dtype.
  var array: AnyNDArray {
    switch dtype {
    case "bool": return AnyNDArray(typed { $0 == "True" })
    case "int8": return AnyNDArray(typed { Int8($0)! })
    case "int16": return AnyNDArray(typed { Int16($0)! })
    case "int32": return AnyNDArray(typed { Int32($0)! })
    case "int64": return AnyNDArray(typed { Int64($0)! })
    case "uint8": return AnyNDArray(typed { UInt8($0)! })
    case "uint16": return AnyNDArray(typed { UInt16($0)! })
    case "uint32": return AnyNDArray(typed { UInt32($0)! })
    case "uint64": return AnyNDArray(typed { UInt64($0)! })
    case "float16": return AnyNDArray(typed { Float16(Double($0)!) })
    case "float32": return AnyNDArray(typed { Float(Double($0)!) })
    case "float64": return AnyNDArray(typed { Double($0)! })
    default: fatalError("fixture dtype \(dtype) not handled")
    }
  }

  var doubles: [Double] { data.map { Double($0) ?? .nan } }
}

/// The elements of any array as NumPy's cast machinery sees them.
func castValues(_ any: AnyNDArray) -> [_NDArrayCastValue] {
  struct Flat: NDArrayVisitor {
    func visit<E: NDArrayElement>(_ a: NDArray<E>) -> [_NDArrayCastValue] { a.flatElements.map(\._castValue) }
  }
  return any.withTypedArray(Flat())
}

/// True when `a` and `b` are both NaN, equal, or within `rtol`·|b| + `atol`.
func close(_ a: Double, _ b: Double, rtol: Double, atol: Double = 0) -> Bool {
  if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
  if a.isInfinite || b.isInfinite { return a == b }
  return Swift.abs(a - b) <= atol + rtol * Swift.abs(b)
}

/// Checks dtype, shape and values of `ours` against NumPy's `expected`: exactly (integer
/// and bool values compared as text) or within `rtol` for floating point.
func expectMatches(
  _ ours: AnyNDArray, _ expected: Encoded, rtol: Double = 0, atol: Double = 0,
  _ context: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(ours.dtype.rawValue == expected.dtype, "dtype: \(context())", sourceLocation: sourceLocation)
  #expect(ours.shape == expected.shape, "shape: \(context())", sourceLocation: sourceLocation)
  let values = castValues(ours)
  guard values.count == expected.data.count else {
    Issue.record("count \(values.count) vs \(expected.data.count): \(context())", sourceLocation: sourceLocation)
    return
  }
  for (i, (value, text)) in zip(values, expected.data).enumerated() {
    let ok: Bool
    switch value {
    case .bool(let b): ok = (b ? "True" : "False") == text
    case .signed(let v): ok = String(v) == text
    case .unsigned(let v): ok = String(v) == text
    case .real(let d):
      let e = Double(text) ?? .nan
      ok = rtol == 0 && atol == 0 ? (d == e || (d.isNaN && e.isNaN)) : close(d, e, rtol: rtol, atol: atol)
    case .complex: ok = false
    }
    if !ok {
      Issue.record(
        "element \(i): ours \(value), NumPy \(text) (rtol \(rtol)): \(context())",
        sourceLocation: sourceLocation)
      return
    }
  }
}
