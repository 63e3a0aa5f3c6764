// Integer floor division and remainder with NumPy's sign rules: the quotient rounds
// toward negative infinity and the remainder takes the sign of the divisor; division by
// zero gives 0 (NumPy also warns).

@usableFromInline
struct _FloorDivide<E: FixedWidthInteger>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E {
    if b == 0 { return 0 }
    if E.isSigned && b == -1 { return 0 &- a }  // MIN // -1 wraps to MIN, as NumPy's
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
  }
}

@usableFromInline
struct _Remainder<E: FixedWidthInteger>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E {
    if b == 0 { return 0 }
    if E.isSigned && b == -1 { return 0 }
    let remainder = a % b
    return (remainder != 0 && (remainder < 0) != (b < 0)) ? remainder + b : remainder
  }
}

extension NDArray where Element: FixedWidthInteger & NDArrayNumeric {
  /// Element-wise quotient rounded toward negative infinity, broadcasting
  /// (`-7 // 2 == -4`).
  ///
  /// The NumPy equivalent is `numpy.floor_divide(a, b)`, `a // b` (MLX Swift's
  /// `floorDivide`). Division by zero gives 0, and the most negative value divided by -1
  /// wraps to itself, as in NumPy (which also warns). Traps when the shapes do not
  /// broadcast.
  @inlinable
  public static func floorDivide(_ a: NDArray, _ b: NDArray) -> NDArray {
    _elementwise(a, b, _FloorDivide<Element>())
  }

  /// Element-wise remainder with the sign of the divisor, broadcasting (`-7 % 2 == 1`,
  /// `7 % -2 == -1`), so that `floorDivide(a, b) * b + a % b == a`.
  ///
  /// The NumPy equivalent is `numpy.remainder(a, b)`, `a % b` (not C's `%`, whose result
  /// takes the dividend's sign). Division by zero gives 0, as in NumPy. Traps when the
  /// shapes do not broadcast.
  @inlinable
  public static func remainder(_ a: NDArray, _ b: NDArray) -> NDArray {
    _elementwise(a, b, _Remainder<Element>())
  }

  /// Element-wise remainder with the sign of the divisor (`a % b` in NumPy); see
  /// ``remainder(_:_:)``.
  @inlinable
  public static func % (lhs: NDArray, rhs: NDArray) -> NDArray { remainder(lhs, rhs) }

  /// `a % s` for every element (NumPy's `a % s`).
  @inlinable
  public static func % (lhs: NDArray, rhs: Element) -> NDArray { remainder(lhs, NDArray(scalar: rhs)) }

  /// `s % a` for every element (NumPy's `s % a`).
  @inlinable
  public static func % (lhs: Element, rhs: NDArray) -> NDArray { remainder(NDArray(scalar: lhs), rhs) }
}
