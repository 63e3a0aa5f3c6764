// Element-wise comparisons giving boolean masks: `.== .!= .< .<= .> .>=` between arrays
// (broadcasting) and with scalars, as NumPy's `==`, `<`, … on arrays and MLX Swift's
// `.==`, `.<`. NaN compares unequal to everything, as in NumPy.

@usableFromInline
struct _EqualTo<E: Equatable>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> Bool { a == b }
}
@usableFromInline
struct _NotEqualTo<E: Equatable>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> Bool { a != b }
}
@usableFromInline
struct _LessThan<E: Comparable>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> Bool { a < b }
}
@usableFromInline
struct _LessThanOrEqualTo<E: Comparable>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> Bool { a <= b }
}

extension NDArray where Element: Equatable {
  /// Element-wise `==` with broadcasting (`numpy.equal`, `a == b` on arrays). Traps when
  /// the shapes do not broadcast.
  @inlinable
  public static func .== (lhs: NDArray, rhs: NDArray) -> NDArray<Bool> { _elementwise(lhs, rhs, _EqualTo<Element>()) }
  /// Element-wise `!=` with broadcasting (`numpy.not_equal`, `a != b` on arrays).
  @inlinable
  public static func .!= (lhs: NDArray, rhs: NDArray) -> NDArray<Bool> {
    _elementwise(lhs, rhs, _NotEqualTo<Element>())
  }
  /// `a == s` for every element (`a == s` in NumPy).
  @inlinable
  public static func .== (lhs: NDArray, rhs: Element) -> NDArray<Bool> { lhs .== NDArray(scalar: rhs) }
  /// `a != s` for every element (`a != s` in NumPy).
  @inlinable
  public static func .!= (lhs: NDArray, rhs: Element) -> NDArray<Bool> { lhs .!= NDArray(scalar: rhs) }
  /// `s == a` for every element (`s == a` in NumPy).
  @inlinable
  public static func .== (lhs: Element, rhs: NDArray) -> NDArray<Bool> { NDArray(scalar: lhs) .== rhs }
  /// `s != a` for every element (`s != a` in NumPy).
  @inlinable
  public static func .!= (lhs: Element, rhs: NDArray) -> NDArray<Bool> { NDArray(scalar: lhs) .!= rhs }
}

extension NDArray where Element: NDArrayRealElement {
  /// Element-wise `<` with broadcasting (`numpy.less`, `a < b` on arrays). Traps when
  /// the shapes do not broadcast.
  @inlinable
  public static func .< (lhs: NDArray, rhs: NDArray) -> NDArray<Bool> { _elementwise(lhs, rhs, _LessThan<Element>()) }
  /// Element-wise `<=` with broadcasting (`numpy.less_equal`, `a <= b`).
  @inlinable
  public static func .<= (lhs: NDArray, rhs: NDArray) -> NDArray<Bool> {
    _elementwise(lhs, rhs, _LessThanOrEqualTo<Element>())
  }
  /// Element-wise `>` with broadcasting (`numpy.greater`, `a > b`).
  @inlinable
  public static func .> (lhs: NDArray, rhs: NDArray) -> NDArray<Bool> { _elementwise(rhs, lhs, _LessThan<Element>()) }
  /// Element-wise `>=` with broadcasting (`numpy.greater_equal`, `a >= b`).
  @inlinable
  public static func .>= (lhs: NDArray, rhs: NDArray) -> NDArray<Bool> {
    _elementwise(rhs, lhs, _LessThanOrEqualTo<Element>())
  }
  /// `a < s` for every element (`a < s` in NumPy).
  @inlinable
  public static func .< (lhs: NDArray, rhs: Element) -> NDArray<Bool> { lhs .< NDArray(scalar: rhs) }
  /// `a <= s` for every element (`a <= s` in NumPy).
  @inlinable
  public static func .<= (lhs: NDArray, rhs: Element) -> NDArray<Bool> { lhs .<= NDArray(scalar: rhs) }
  /// `a > s` for every element (`a > s` in NumPy).
  @inlinable
  public static func .> (lhs: NDArray, rhs: Element) -> NDArray<Bool> { lhs .> NDArray(scalar: rhs) }
  /// `a >= s` for every element (`a >= s` in NumPy).
  @inlinable
  public static func .>= (lhs: NDArray, rhs: Element) -> NDArray<Bool> { lhs .>= NDArray(scalar: rhs) }
  /// `s < a` for every element (`s < a` in NumPy).
  @inlinable
  public static func .< (lhs: Element, rhs: NDArray) -> NDArray<Bool> { NDArray(scalar: lhs) .< rhs }
  /// `s <= a` for every element (`s <= a` in NumPy).
  @inlinable
  public static func .<= (lhs: Element, rhs: NDArray) -> NDArray<Bool> { NDArray(scalar: lhs) .<= rhs }
  /// `s > a` for every element (`s > a` in NumPy).
  @inlinable
  public static func .> (lhs: Element, rhs: NDArray) -> NDArray<Bool> { NDArray(scalar: lhs) .> rhs }
  /// `s >= a` for every element (`s >= a` in NumPy).
  @inlinable
  public static func .>= (lhs: Element, rhs: NDArray) -> NDArray<Bool> { NDArray(scalar: lhs) .>= rhs }
}
