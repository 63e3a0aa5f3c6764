// `+ - * /` with NumPy broadcasting, array–scalar forms and in-place forms.
//
// A left operand that is a temporary no one else holds (the `x - mean` in
// `(x - mean) / std`) is reused as the result when it already has the result's shape,
// as NumPy's temporary elision does: no second allocation.

extension NDArray where Element: NDArrayNumeric {
  @inlinable
  static func _binaryReusing(_ lhs: consuming NDArray, _ rhs: NDArray,
                             _ op: (Element, Element) -> Element) -> NDArray {
    var result = lhs
    if result.isCContiguous, !result._storage.isReadOnly, !result._hasOverlap,
       isKnownUniquelyReferenced(&result._storage),
       broadcastShapes(result.shape, rhs.shape) == result.shape {
      result.applyElementwise(rhs, op)
      return result
    }
    return elementwise(result, rhs, op)
  }

  /// Element-wise sum with broadcasting (`numpy.add`, `a + b`). Integers wrap.
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func + (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, Element._add)
  }
  /// Element-wise difference with broadcasting (`numpy.subtract`, `a - b`). Integers wrap.
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func - (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, Element._subtract)
  }
  /// Element-wise product with broadcasting (`numpy.multiply`, `a * b`). Integers wrap.
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func * (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, Element._multiply)
  }

  /// `a + s` for every element (`a + s` in NumPy).
  @inlinable
  public static func + (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), Element._add)
  }
  /// `a - s` for every element.
  @inlinable
  public static func - (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), Element._subtract)
  }
  /// `a * s` for every element.
  @inlinable
  public static func * (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), Element._multiply)
  }
  /// `s + a` for every element.
  @inlinable
  public static func + (lhs: Element, rhs: NDArray) -> NDArray {
    elementwise(NDArray(scalar: lhs), rhs, Element._add)
  }
  /// `s - a` for every element.
  @inlinable
  public static func - (lhs: Element, rhs: NDArray) -> NDArray {
    elementwise(NDArray(scalar: lhs), rhs, Element._subtract)
  }
  /// `s * a` for every element.
  @inlinable
  public static func * (lhs: Element, rhs: NDArray) -> NDArray {
    elementwise(NDArray(scalar: lhs), rhs, Element._multiply)
  }

  /// In-place sum (`a += b`, i.e. `numpy.add(a, b, out=a)`); `rhs` broadcasts to `lhs`.
  /// Traps when it does not.
  @inlinable
  public static func += (lhs: inout NDArray, rhs: NDArray) { lhs.applyElementwise(rhs, Element._add) }
  /// In-place difference (`a -= b`); `rhs` broadcasts to `lhs`. Traps when it does not.
  @inlinable
  public static func -= (lhs: inout NDArray, rhs: NDArray) { lhs.applyElementwise(rhs, Element._subtract) }
  /// In-place product (`a *= b`); `rhs` broadcasts to `lhs`. Traps when it does not.
  @inlinable
  public static func *= (lhs: inout NDArray, rhs: NDArray) { lhs.applyElementwise(rhs, Element._multiply) }
  /// In-place sum with a scalar (`a += s`).
  @inlinable
  public static func += (lhs: inout NDArray, rhs: Element) {
    lhs.applyElementwise(NDArray(scalar: rhs), Element._add)
  }
  /// In-place difference with a scalar (`a -= s`).
  @inlinable
  public static func -= (lhs: inout NDArray, rhs: Element) {
    lhs.applyElementwise(NDArray(scalar: rhs), Element._subtract)
  }
  /// In-place product with a scalar (`a *= s`).
  @inlinable
  public static func *= (lhs: inout NDArray, rhs: Element) {
    lhs.applyElementwise(NDArray(scalar: rhs), Element._multiply)
  }

  /// Element-wise negation (`numpy.negative`, `-a`). Integers wrap.
  @inlinable
  public static prefix func - (operand: NDArray) -> NDArray {
    elementwise(NDArray(scalar: Element.zero), operand, Element._subtract)
  }
}

extension NDArray where Element: NDArrayDivisible {
  /// Element-wise quotient with broadcasting (`numpy.true_divide`, `a / b`).
  /// Traps when the shapes do not broadcast.
  @inlinable
  public static func / (lhs: consuming NDArray, rhs: NDArray) -> NDArray {
    _binaryReusing(lhs, rhs, Element._divide)
  }
  /// `a / s` for every element.
  @inlinable
  public static func / (lhs: consuming NDArray, rhs: Element) -> NDArray {
    _binaryReusing(lhs, NDArray(scalar: rhs), Element._divide)
  }
  /// `s / a` for every element.
  @inlinable
  public static func / (lhs: Element, rhs: NDArray) -> NDArray {
    elementwise(NDArray(scalar: lhs), rhs, Element._divide)
  }
  /// In-place quotient (`a /= b`); `rhs` broadcasts to `lhs`. Traps when it does not.
  @inlinable
  public static func /= (lhs: inout NDArray, rhs: NDArray) { lhs.applyElementwise(rhs, Element._divide) }
  /// In-place quotient by a scalar (`a /= s`).
  @inlinable
  public static func /= (lhs: inout NDArray, rhs: Element) {
    lhs.applyElementwise(NDArray(scalar: rhs), Element._divide)
  }
}
