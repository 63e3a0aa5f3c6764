import NDArray

/// Typed reads of single elements from raw native-endian storage of a dtype known only at
/// run time: what the comparison needs beside its float kernel.
///
/// The NumPy equivalents are `str(a[i])` in an `assert_allclose` message (Python's `repr`
/// of `float(a[i])` for floats, `True`/`False` for booleans) and `a[i]` as a number.
struct ElementAccess {
  /// `a[i]` as NumPy prints it in a mismatch line.
  let text: (UnsafeRawPointer, Int) -> String
  /// `a[i]` as a `Double` (exact up to 2⁵³ for 64-bit integers).
  let double: (UnsafeRawPointer, Int) -> Double
  /// `a[i]`'s two's-complement bits widened to 64 (unsigned values by bit pattern); 0 for
  /// float and complex dtypes.
  let bits: (UnsafeRawPointer, Int) -> Int64

  /// The accessors for `dtype` (a real dtype or `bool`).
  init(_ dtype: DType) { self = dtype.withElementType(Builder()) }

  private init<Element: NDArrayElement>(_ type: Element.Type) {
    func at(_ raw: UnsafeRawPointer, _ i: Int) -> Element {
      raw.load(fromByteOffset: i * MemoryLayout<Element>.stride, as: Element.self)
    }
    func value(_ element: Element) -> _NDArrayCastValue { element._castValue }
    text = { raw, i in
      switch value(at(raw, i)) {
      case .bool(let b): return b ? "True" : "False"
      case .signed(let v): return String(v)
      case .unsigned(let v): return String(v)
      case .real(let v): return NumPyScalarText.pythonRepr(v)
      case .complex(let re, let im): return "(\(re)+\(im)j)"
      }
    }
    double = { raw, i in Double(_castFrom: value(at(raw, i))) }
    bits = { raw, i in
      switch value(at(raw, i)) {
      case .bool(let b): return b ? 1 : 0
      case .signed(let v): return v
      case .unsigned(let v): return Int64(bitPattern: v)
      case .real, .complex: return 0
      }
    }
  }

  private struct Builder: NDArrayElementTypeVisitor {
    func visit<Element: NDArrayElement>(_ type: Element.Type) -> ElementAccess { ElementAccess(type) }
  }
}
