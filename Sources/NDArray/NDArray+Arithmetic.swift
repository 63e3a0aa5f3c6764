// `+ - * /` with NumPy broadcasting, array–scalar forms and in-place forms.
//
// A left operand that is a temporary no one else holds (the `x - mean` in
// `(x - mean) / std`) is reused as the result when it already has the result's shape,
// as NumPy's temporary elision does: no second allocation.

extension NDArray where Element: NDArrayNumeric {
  @inlinable
  static func _binaryReusing<Op: _BinaryOperation>(_ lhs: consuming NDArray, _ rhs: NDArray, _ op: Op)
    -> NDArray where Op.Operand == Element, Op.Output == Element
  {
    var result = lhs
    if result.isCContiguous, result._storage.isOwned, !result._hasOverlap,
      isKnownUniquelyReferenced(&result._storage),
      broadcastShapes(result.shape, rhs.shape) == result.shape
    {
      result._apply(rhs, op)
      return result
    }
    return _elementwise(result, rhs, op)
  }

  /// Element-wise sum with broadcasting (`numpy.add`, `a + b`). Integers wrap.
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func + (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, _Add())
  }
  /// Element-wise difference with broadcasting (`numpy.subtract`, `a - b`). Integers wrap.
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func - (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, _Subtract())
  }
  /// Element-wise product with broadcasting (`numpy.multiply`, `a * b`). Integers wrap.
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func * (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, _Multiply())
  }

  /// `a + s` for every element (`a + s` in NumPy).
  @inlinable
  public static func + (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), _Add())
  }
  /// `a - s` for every element.
  @inlinable
  public static func - (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), _Subtract())
  }
  /// `a * s` for every element.
  @inlinable
  public static func * (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), _Multiply())
  }
  /// `s + a` for every element.
  @inlinable
  public static func + (lhs: Element, rhs: NDArray) -> NDArray {
    _elementwise(NDArray(scalar: lhs), rhs, _Add())
  }
  /// `s - a` for every element.
  @inlinable
  public static func - (lhs: Element, rhs: NDArray) -> NDArray {
    _elementwise(NDArray(scalar: lhs), rhs, _Subtract())
  }
  /// `s * a` for every element.
  @inlinable
  public static func * (lhs: Element, rhs: NDArray) -> NDArray {
    _elementwise(NDArray(scalar: lhs), rhs, _Multiply())
  }

  /// In-place sum (`a += b`, i.e. `numpy.add(a, b, out=a)`); `rhs` broadcasts to `lhs`.
  /// Traps when it does not.
  @inlinable
  public static func += (lhs: inout NDArray, rhs: NDArray) { lhs._apply(rhs, _Add()) }
  /// In-place difference (`a -= b`); `rhs` broadcasts to `lhs`. Traps when it does not.
  @inlinable
  public static func -= (lhs: inout NDArray, rhs: NDArray) { lhs._apply(rhs, _Subtract()) }
  /// In-place product (`a *= b`); `rhs` broadcasts to `lhs`. Traps when it does not.
  @inlinable
  public static func *= (lhs: inout NDArray, rhs: NDArray) { lhs._apply(rhs, _Multiply()) }
  /// In-place sum with a scalar (`a += s`).
  @inlinable
  public static func += (lhs: inout NDArray, rhs: Element) {
    lhs._apply(NDArray(scalar: rhs), _Add())
  }
  /// In-place difference with a scalar (`a -= s`).
  @inlinable
  public static func -= (lhs: inout NDArray, rhs: Element) {
    lhs._apply(NDArray(scalar: rhs), _Subtract())
  }
  /// In-place product with a scalar (`a *= s`).
  @inlinable
  public static func *= (lhs: inout NDArray, rhs: Element) {
    lhs._apply(NDArray(scalar: rhs), _Multiply())
  }

  /// Element-wise negation (`numpy.negative`, `-a`). Integers wrap.
  @inlinable
  public static prefix func - (operand: NDArray) -> NDArray {
    _elementwise(NDArray(scalar: Element.zero), operand, _Subtract())
  }
}

extension NDArray where Element: NDArrayDivisible {
  /// Element-wise quotient with broadcasting (`numpy.true_divide`, `a / b`).
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func / (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, _Divide())
  }
  /// `a / s` for every element.
  @inlinable
  public static func / (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), _Divide())
  }
  /// `s / a` for every element.
  @inlinable
  public static func / (lhs: Element, rhs: NDArray) -> NDArray {
    _elementwise(NDArray(scalar: lhs), rhs, _Divide())
  }
  /// In-place quotient (`a /= b`); `rhs` broadcasts to `lhs`. Traps when it does not.
  @inlinable
  public static func /= (lhs: inout NDArray, rhs: NDArray) { lhs._apply(rhs, _Divide()) }
  /// In-place quotient by a scalar (`a /= s`).
  @inlinable
  public static func /= (lhs: inout NDArray, rhs: Element) {
    lhs._apply(NDArray(scalar: rhs), _Divide())
  }
}
