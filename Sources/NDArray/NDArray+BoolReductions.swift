// Reductions of boolean arrays (masks): counting, fractions, any, all.

extension NDArray where Element == Bool {
  /// The number of `true` elements over `axes` (nil: all), as NumPy's `int64` sum.
  ///
  /// The NumPy equivalent is `numpy.sum(mask, axis=axes, keepdims=keepDims)`. Traps on an
  /// axis out of range or repeated.
  @inlinable
  public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Int64> {
    astype(Int8.self).sum(axes: axes, keepDims: keepDims)
  }

  /// The fraction of `true` elements over `axes` (`numpy.mean(mask, axis=axes)`, `float64`).
  @inlinable
  public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Double> {
    astype(UInt8.self).mean(axes: axes, keepDims: keepDims)
  }

  /// Whether any element over `axes` is `true` (`numpy.any(mask, axis=axes)`); false for
  /// an empty reduction.
  @inlinable
  public func any(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Bool> {
    let counts = sum(axes: axes, keepDims: keepDims)
    return counts.map { $0 > 0 }
  }

  /// Whether every element over `axes` is `true` (`numpy.all(mask, axis=axes)`); true for
  /// an empty reduction.
  @inlinable
  public func all(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Bool> {
    let falses = map { !$0 }.sum(axes: axes, keepDims: keepDims)
    return falses.map { $0 == 0 }
  }
}
