/// An element type with an order and real values: every integer type, `Float16`, `Float`
/// and `Double`. Reductions (`sum`, `mean`, `variance`, `std`, `min`, `max`, `argmin`,
/// `argmax`) are defined for these.
///
/// The NumPy equivalent is the set of dtypes of kind `i`, `u` and `f`. The associated
/// types give NumPy's result dtypes: `sum` of a signed integer type is `int64`, of an
/// unsigned one `uint64`, of a float type the same float type; `mean`, `var` and `std` of
/// an integer type are `float64`, of a float type the same float type.
public protocol NDArrayRealElement: NDArrayElement, Comparable {
  /// The element type of `sum` (`numpy.sum(a).dtype`).
  associatedtype SumResult: NDArrayElement
  /// The element type of `mean`, `var` and `std` (`numpy.mean(a).dtype`).
  associatedtype MeanResult: NDArrayElement & BinaryFloatingPoint

  /// The value as a `Double` (exact for every type but 64-bit integers beyond 2⁵³).
  /// Implementation detail of the reductions; not a stable API.
  var _doubleValue: Double { get }
  /// The value's two's-complement bit pattern widened to 64 bits (implementation detail).
  var _int64Bits: Int64 { get }
  /// How the reductions accumulate this type (implementation detail).
  static var _accumulation: _Accumulation { get }
  /// The sum result from a wrapping 64-bit integer sum or a `Double` sum (implementation detail).
  static func _sumResult(bits: Int64, value: Double) -> SumResult
}

/// How reductions accumulate an element type. Implementation detail; no stable API.
public enum _Accumulation: Sendable {
  /// 8- and 16-bit integers: sums and sums of squares are exact integers.
  case smallInteger
  /// 32- and 64-bit integers: sums wrap in 64 bits (as NumPy's), moments in `Double`.
  case integer
  /// Floating point: everything in `Double`.
  case floatingPoint
}

extension NDArrayRealElement where Self: FixedWidthInteger {
  /// Implementation detail of the reductions.
  @inlinable @inline(__always) public var _doubleValue: Double { Double(self) }
  /// Implementation detail of the reductions.
  @inlinable @inline(__always) public var _int64Bits: Int64 { Int64(truncatingIfNeeded: self) }
  /// Implementation detail of the reductions.
  @inlinable public static var _accumulation: _Accumulation {
    bitWidth <= 16 ? .smallInteger : .integer
  }
}
extension NDArrayRealElement where Self: FixedWidthInteger & SignedInteger, SumResult == Int64 {
  /// Implementation detail of the reductions.
  @inlinable public static func _sumResult(bits: Int64, value: Double) -> Int64 { bits }
}
extension NDArrayRealElement where Self: FixedWidthInteger & UnsignedInteger, SumResult == UInt64 {
  /// Implementation detail of the reductions.
  @inlinable public static func _sumResult(bits: Int64, value: Double) -> UInt64 {
    UInt64(bitPattern: bits)
  }
}
extension NDArrayRealElement where Self: BinaryFloatingPoint, SumResult == Self {
  /// Implementation detail of the reductions.
  @inlinable @inline(__always) public var _int64Bits: Int64 { 0 }
  /// Implementation detail of the reductions.
  @inlinable public static var _accumulation: _Accumulation { .floatingPoint }
  /// Implementation detail of the reductions.
  @inlinable public static func _sumResult(bits: Int64, value: Double) -> Self { Self(value) }
}

extension Int8: NDArrayRealElement {
  /// `int64`, as NumPy's `sum`.
  public typealias SumResult = Int64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension Int16: NDArrayRealElement {
  /// `int64`, as NumPy's `sum`.
  public typealias SumResult = Int64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension Int32: NDArrayRealElement {
  /// `int64`, as NumPy's `sum`.
  public typealias SumResult = Int64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension Int64: NDArrayRealElement {
  /// `int64`, as NumPy's `sum`.
  public typealias SumResult = Int64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension UInt8: NDArrayRealElement {
  /// `uint64`, as NumPy's `sum`.
  public typealias SumResult = UInt64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension UInt16: NDArrayRealElement {
  /// `uint64`, as NumPy's `sum`.
  public typealias SumResult = UInt64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension UInt32: NDArrayRealElement {
  /// `uint64`, as NumPy's `sum`.
  public typealias SumResult = UInt64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension UInt64: NDArrayRealElement {
  /// `uint64`, as NumPy's `sum`.
  public typealias SumResult = UInt64
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
}
extension Float16: NDArrayRealElement {
  /// `float16`, as NumPy's `sum` (we accumulate in `Double` and round once).
  public typealias SumResult = Float16
  /// `float16`, as NumPy's `mean`.
  public typealias MeanResult = Float16
  /// Implementation detail of the reductions.
  @inlinable @inline(__always) public var _doubleValue: Double { Double(self) }
}
extension Float: NDArrayRealElement {
  /// `float32`, as NumPy's `sum` (we accumulate in `Double` and round once).
  public typealias SumResult = Float
  /// `float32`, as NumPy's `mean`.
  public typealias MeanResult = Float
  /// Implementation detail of the reductions.
  @inlinable @inline(__always) public var _doubleValue: Double { Double(self) }
}
extension Double: NDArrayRealElement {
  /// `float64`, as NumPy's `sum`.
  public typealias SumResult = Double
  /// `float64`, as NumPy's `mean`.
  public typealias MeanResult = Double
  /// Implementation detail of the reductions.
  @inlinable @inline(__always) public var _doubleValue: Double { self }
}
