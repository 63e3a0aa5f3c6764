// Approximate equality.

extension NDArray where Element: NDArrayRealElement {
  /// True when every pair of elements (broadcast) satisfies
  /// `|a − b| ≤ atol + rtol · |b|`; infinities must match exactly; NaNs are equal only
  /// when `equalNaN`.
  ///
  /// The NumPy equivalent is `numpy.allclose(a, b, rtol, atol, equal_nan)` (note that, as
  /// in NumPy, the test is not symmetric: `rtol` scales `|b|`). Traps when the shapes do
  /// not broadcast.
  @inlinable
  public func allClose(
    _ other: NDArray, rtol: Double = 1e-5, atol: Double = 1e-8,
    equalNaN: Bool = false
  ) -> Bool {
    let shape = broadcastShapes(self.shape, other.shape)
    var close = true
    withUnsafeStridedStorage { pa, _, _, _ in
      other.withUnsafeStridedStorage { pb, _, _, _ in
        NDArray._forEachBroadcastPair(self, other, shape: shape) { _, ia, ib in
          if !close { return }
          let a = pa[ia]._doubleValue, b = pb[ib]._doubleValue
          if a.isNaN || b.isNaN {
            if !(equalNaN && a.isNaN && b.isNaN) { close = false }
          } else if a.isInfinite || b.isInfinite {
            if a != b { close = false }
          } else if !(Swift.abs(a - b) <= atol + rtol * Swift.abs(b)) {
            close = false
          }
        }
      }
    }
    return close
  }
}

extension NDArray: Equatable where Element: Equatable {
  /// True when the shapes are equal and every element is `==` (so NaN ≠ NaN).
  ///
  /// The NumPy equivalent is `numpy.array_equal(a, b)`.
  @inlinable
  public static func == (lhs: NDArray, rhs: NDArray) -> Bool {
    lhs.shape == rhs.shape && lhs.flatElements == rhs.flatElements
  }
}
