import RealModule

// Element-wise functions: minimum/maximum, clip, abs, sqrt, exp, log.

extension NDArray {
  /// A new array of `op` applied to every element, in parallel blocks.
  @inlinable
  func _mapUnary<Op: _UnaryOperation>(_ op: Op) -> NDArray<Op.Output>
  where Op.Input == Element, Op.Output: NDArrayElement {
    let source = contiguous()
    let total = source.count
    return NDArray<Op.Output>(unsafeUninitializedShape: shape) { out in
      guard let base = out.baseAddress, total > 0 else { return }
      source.withUnsafeStridedStorage { p, offset, _, _ in
        _Parallel.mapContiguous(p + offset, base, count: total, op)
      }
    }
  }
}

@usableFromInline
struct _Clip<E: NDArrayRealElement>: _UnaryOperation {
  @usableFromInline let low: E?, high: E?
  @inlinable init(low: E?, high: E?) { self.low = low; self.high = high }
  @inlinable @inline(__always) func callAsFunction(_ x: E) -> E {
    var y = x
    if let low { y = _Maximum<E>()(y, low) }
    if let high { y = _Minimum<E>()(y, high) }
    return y
  }
}
@usableFromInline
struct _Absolute<E: NDArrayRealElement & NDArrayNumeric>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: E) -> E {
    x < E.zero ? E._subtract(E.zero, x) : (x == E.zero ? E.zero : x)
  }
}
@usableFromInline
struct _SquareRoot<E: Real>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: E) -> E { E.sqrt(x) }
}
@usableFromInline
struct _Exponential<E: Real>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: E) -> E { E.exp(x) }
}
@usableFromInline
struct _Logarithm<E: Real>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: E) -> E { E.log(x) }
}

extension NDArray where Element: NDArrayRealElement {
  /// The element-wise smaller of `a` and `b`, broadcasting; NaN if either is NaN.
  ///
  /// The NumPy equivalent is `numpy.minimum(a, b)`. Traps when the shapes do not broadcast.
  @inlinable
  public static func minimum(_ a: NDArray, _ b: NDArray) -> NDArray {
    _elementwise(a, b, _Minimum<Element>())
  }

  /// The element-wise larger of `a` and `b`, broadcasting; NaN if either is NaN.
  ///
  /// The NumPy equivalent is `numpy.maximum(a, b)`. Traps when the shapes do not broadcast.
  @inlinable
  public static func maximum(_ a: NDArray, _ b: NDArray) -> NDArray {
    _elementwise(a, b, _Maximum<Element>())
  }

  /// Every element limited to `[low, high]` (either bound may be nil); NaN stays NaN.
  ///
  /// The NumPy equivalent is `numpy.clip(a, low, high)`, i.e.
  /// `minimum(maximum(a, low), high)`: when `low > high` every element becomes `high`.
  @inlinable
  public func clip(_ low: Element?, _ high: Element?) -> NDArray {
    _mapUnary(_Clip(low: low, high: high))
  }
}

extension NDArray where Element: NDArrayRealElement & NDArrayNumeric {
  /// The absolute value of every element.
  ///
  /// The NumPy equivalent is `numpy.abs`: for signed integers the most negative value
  /// wraps to itself (`abs(int8(-128)) == -128`), as in NumPy; `-0.0` becomes `0.0`.
  @inlinable
  public func abs() -> NDArray { _mapUnary(_Absolute<Element>()) }
}

extension NDArray where Element: Real {
  /// The square root of every element (`numpy.sqrt`); NaN for negative values.
  @inlinable
  public func sqrt() -> NDArray { _mapUnary(_SquareRoot<Element>()) }

  /// `e` raised to every element (`numpy.exp`), via swift-numerics' `RealModule` (the
  /// platform's libm): results may differ from NumPy's SIMD `exp` in the last bit.
  @inlinable
  public func exp() -> NDArray { _mapUnary(_Exponential<Element>()) }

  /// The natural logarithm of every element (`numpy.log`); `-inf` at 0, NaN below. Via
  /// the platform's libm: results may differ from NumPy's SIMD `log` in the last bit.
  @inlinable
  public func log() -> NDArray { _mapUnary(_Logarithm<Element>()) }
}
