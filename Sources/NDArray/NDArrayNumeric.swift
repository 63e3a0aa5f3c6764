import ComplexModule
import RealModule

/// An element type with `+`, `-` and `*`: every integer type, the floating-point types and
/// the complex types.
///
/// The NumPy equivalent is the numeric dtypes (`numpy.number`). Integer arithmetic wraps
/// on overflow, as NumPy's does (silently for arrays).
public protocol NDArrayNumeric: NDArrayElement {
  /// `a + b`, wrapping for integers (`numpy.add`). Implementation detail; use `+`.
  static func _add(_ a: Self, _ b: Self) -> Self
  /// `a - b`, wrapping for integers (`numpy.subtract`). Implementation detail; use `-`.
  static func _subtract(_ a: Self, _ b: Self) -> Self
  /// `a * b`, wrapping for integers (`numpy.multiply`). Implementation detail; use `*`.
  static func _multiply(_ a: Self, _ b: Self) -> Self
}

/// An element type with true division: `Float16`, `Float`, `Double` and the complex types.
///
/// The NumPy equivalent is `numpy.true_divide` on inexact dtypes. (NumPy's `/` on integer
/// arrays returns `float64`; here, convert with ``NDArray/astype(_:)`` first.)
public protocol NDArrayDivisible: NDArrayNumeric {
  /// `a / b` (`numpy.true_divide`). Implementation detail; use `/`.
  static func _divide(_ a: Self, _ b: Self) -> Self
}

extension NDArrayNumeric where Self: FixedWidthInteger {
  /// Wrapping `+`. Implementation detail.
  @inlinable @inline(__always) public static func _add(_ a: Self, _ b: Self) -> Self { a &+ b }
  /// Wrapping `-`. Implementation detail.
  @inlinable @inline(__always) public static func _subtract(_ a: Self, _ b: Self) -> Self { a &- b }
  /// Wrapping `*`. Implementation detail.
  @inlinable @inline(__always) public static func _multiply(_ a: Self, _ b: Self) -> Self { a &* b }
}

extension NDArrayNumeric where Self: AlgebraicField {
  /// IEEE `+`. Implementation detail.
  @inlinable @inline(__always) public static func _add(_ a: Self, _ b: Self) -> Self { a + b }
  /// IEEE `-`. Implementation detail.
  @inlinable @inline(__always) public static func _subtract(_ a: Self, _ b: Self) -> Self { a - b }
  /// IEEE `*`. Implementation detail.
  @inlinable @inline(__always) public static func _multiply(_ a: Self, _ b: Self) -> Self { a * b }
}

extension NDArrayDivisible where Self: AlgebraicField {
  /// IEEE `/`. Implementation detail.
  @inlinable @inline(__always) public static func _divide(_ a: Self, _ b: Self) -> Self { a / b }
}

extension Int8: NDArrayNumeric {}
extension Int16: NDArrayNumeric {}
extension Int32: NDArrayNumeric {}
extension Int64: NDArrayNumeric {}
extension UInt8: NDArrayNumeric {}
extension UInt16: NDArrayNumeric {}
extension UInt32: NDArrayNumeric {}
extension UInt64: NDArrayNumeric {}
extension Float16: NDArrayDivisible {}
extension Float: NDArrayDivisible {}
extension Double: NDArrayDivisible {}
extension Complex: NDArrayNumeric where RealType: NDArrayComplexComponent {}
extension Complex: NDArrayDivisible where RealType: NDArrayComplexComponent {}
