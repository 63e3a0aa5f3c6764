// Running sums and products along an axis, with NumPy's result dtypes.

extension NDArray where Element: NDArrayRealElement & NDArrayNumeric {
  /// The running sum along `axis` (nil: of the flattened array).
  ///
  /// The NumPy equivalent is `numpy.cumsum(a, axis=axis)`: integers accumulate in
  /// `Int64` (signed) or `UInt64` (unsigned), wrapping on overflow; floating point
  /// accumulates sequentially in its own type, so the bits match NumPy's. Traps on an
  /// axis out of range.
  @inlinable
  public func cumsum(axis: Int? = nil) -> NDArray<Element.SumResult> {
    _cumulative(axis: axis, multiply: false)
  }

  /// The running product along `axis` (nil: of the flattened array).
  ///
  /// The NumPy equivalent is `numpy.cumprod(a, axis=axis)`, with the same result dtypes
  /// and accumulation as ``cumsum(axis:)``. Traps on an axis out of range.
  @inlinable
  public func cumprod(axis: Int? = nil) -> NDArray<Element.SumResult> {
    _cumulative(axis: axis, multiply: true)
  }

  @inlinable
  func _cumulative(axis: Int?, multiply: Bool) -> NDArray<Element.SumResult> {
    _mapLanes(axis: axis) { lane, out in
      guard let first = lane.first else { return }
      if Element._accumulation == .floatingPoint {
        var running = first
        out[0] = Element._sumResult(bits: 0, value: running._doubleValue)
        for k in 1..<lane.count {
          running = multiply ? Element._multiply(running, lane[k]) : Element._add(running, lane[k])
          out[k] = Element._sumResult(bits: 0, value: running._doubleValue)
        }
      } else {
        var running = first._int64Bits
        out[0] = Element._sumResult(bits: running, value: 0)
        for k in 1..<lane.count {
          running = multiply ? running &* lane[k]._int64Bits : running &+ lane[k]._int64Bits
          out[k] = Element._sumResult(bits: running, value: 0)
        }
      }
    }
  }
}
