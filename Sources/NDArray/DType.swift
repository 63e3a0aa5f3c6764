/// The element type of an array, as NumPy names it.
///
/// The NumPy equivalent is `numpy.dtype` restricted to the numeric kinds.
public enum DType: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
  /// `numpy.bool_`, stored as Swift `Bool`.
  case bool
  /// Signed integers `numpy.int8` … `numpy.int64` (`Int8` … `Int64`).
  case int8, int16, int32, int64
  /// Unsigned integers `numpy.uint8` … `numpy.uint64` (`UInt8` … `UInt64`).
  case uint8, uint16, uint32, uint64
  /// IEEE floats `numpy.float16`, `float32`, `float64` (`Float16`, `Float`, `Double`).
  case float16, float32, float64
  /// Complex `numpy.complex64` and `complex128` (`Complex<Float>`, `Complex<Double>`).
  case complex64, complex128

  /// Bytes per element; the NumPy equivalent is `dtype.itemsize`.
  public var itemSize: Int {
    switch self {
    case .bool, .int8, .uint8: return 1
    case .int16, .uint16, .float16: return 2
    case .int32, .uint32, .float32: return 4
    case .int64, .uint64, .float64, .complex64: return 8
    case .complex128: return 16
    }
  }

  /// NumPy's kind character: `b`, `i`, `u`, `f` or `c` (`dtype.kind`).
  public var kind: Character {
    switch self {
    case .bool: return "b"
    case .int8, .int16, .int32, .int64: return "i"
    case .uint8, .uint16, .uint32, .uint64: return "u"
    case .float16, .float32, .float64: return "f"
    case .complex64, .complex128: return "c"
    }
  }

  /// NumPy's name for the type, e.g. `float32` (`dtype.name`).
  public var description: String { rawValue }
}
