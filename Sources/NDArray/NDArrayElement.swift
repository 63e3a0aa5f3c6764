import ComplexModule
import RealModule

/// A type that can be stored in an ``NDArray``.
///
/// The NumPy equivalent is the set of scalar types behind `numpy.dtype`.
public protocol NDArrayElement: Sendable {
  /// The NumPy dtype this Swift type stores as.
  static var dtype: DType { get }
  /// The value `numpy.zeros` fills with.
  static var zero: Self { get }
  /// This value as NumPy's casting rules see it (implementation detail of
  /// ``NDArray/astype(_:)``; not a stable API).
  var _castValue: _NDArrayCastValue { get }
  /// The value NumPy's `astype` gives when casting `value` to this type (implementation
  /// detail of ``NDArray/astype(_:)``; not a stable API).
  init(_castFrom value: _NDArrayCastValue)
}

extension Bool: NDArrayElement {
  /// `numpy.bool_`.
  public static var dtype: DType { .bool }
  /// `False`.
  public static var zero: Bool { false }
}

extension Int8: NDArrayElement {
  /// `numpy.int8`.
  public static var dtype: DType { .int8 }
}
extension Int16: NDArrayElement {
  /// `numpy.int16`.
  public static var dtype: DType { .int16 }
}
extension Int32: NDArrayElement {
  /// `numpy.int32`.
  public static var dtype: DType { .int32 }
}
extension Int64: NDArrayElement {
  /// `numpy.int64`.
  public static var dtype: DType { .int64 }
}
extension UInt8: NDArrayElement {
  /// `numpy.uint8`.
  public static var dtype: DType { .uint8 }
}
extension UInt16: NDArrayElement {
  /// `numpy.uint16`.
  public static var dtype: DType { .uint16 }
}
extension UInt32: NDArrayElement {
  /// `numpy.uint32`.
  public static var dtype: DType { .uint32 }
}
extension UInt64: NDArrayElement {
  /// `numpy.uint64`.
  public static var dtype: DType { .uint64 }
}
extension Float16: NDArrayElement {
  /// `numpy.float16`.
  public static var dtype: DType { .float16 }
}
extension Float: NDArrayElement {
  /// `numpy.float32`.
  public static var dtype: DType { .float32 }
}
extension Double: NDArrayElement {
  /// `numpy.float64`.
  public static var dtype: DType { .float64 }
}
/// A real type whose complex numbers NumPy stores: `Float` (`complex64`) and `Double`
/// (`complex128`).
public protocol NDArrayComplexComponent: Real & NDArrayElement {
  /// The dtype of `Complex<Self>`.
  static var complexDType: DType { get }
}
extension Float: NDArrayComplexComponent {
  /// `numpy.complex64`.
  public static var complexDType: DType { .complex64 }
}
extension Double: NDArrayComplexComponent {
  /// `numpy.complex128`.
  public static var complexDType: DType { .complex128 }
}
extension Complex: NDArrayElement where RealType: NDArrayComplexComponent {
  /// `numpy.complex64` or `numpy.complex128`.
  public static var dtype: DType { RealType.complexDType }
}
