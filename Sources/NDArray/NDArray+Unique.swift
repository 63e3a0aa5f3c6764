// The sorted distinct elements of an array, with counts and the inverse mapping.

extension NDArray where Element: NDArrayRealElement {
  /// The distinct elements in sorted order with how many times each occurs, and for
  /// every element of `self` the position of its value among them. All NaNs count as
  /// one value, placed last (NumPy's `equal_nan=True`).
  @inlinable
  func _uniqueGroups() -> (values: [Element], counts: [Int64], inverse: [Int64]) {
    let flat = contiguous().flatElements
    let order = flat.withUnsafeBufferPointer { NDArray._stableOrder($0) }
    var values: [Element] = [], counts: [Int64] = []
    var inverse = [Int64](repeating: 0, count: flat.count)
    for index in order {
      let value = flat[index]
      if let last = values.last, last == value || (last != last && value != value) {
        counts[counts.count - 1] += 1
      } else {
        values.append(value)
        counts.append(1)
      }
      inverse[index] = Int64(values.count - 1)
    }
    return (values, counts, inverse)
  }

  /// The sorted distinct elements, as a one-dimensional array; NaNs collapse to one.
  ///
  /// The NumPy equivalent is `numpy.unique(a)`.
  @inlinable
  public func unique() -> NDArray { NDArray(_uniqueGroups().values) }

  /// The sorted distinct elements and how many times each occurs.
  ///
  /// The NumPy equivalent is `numpy.unique(a, return_counts=True)`.
  @inlinable
  public func uniqueCounts() -> (values: NDArray, counts: NDArray<Int64>) {
    let groups = _uniqueGroups()
    return (NDArray(groups.values), NDArray<Int64>(groups.counts))
  }

  /// The sorted distinct elements and, for every element of `self` (same shape), the
  /// index of its value among them: `values.take(inverse.flatElements)` rebuilds `self`.
  ///
  /// The NumPy equivalent is `numpy.unique(a, return_inverse=True)` (NumPy 2 gives the
  /// inverse the input's shape, as here).
  @inlinable
  public func uniqueInverse() -> (values: NDArray, inverse: NDArray<Int64>) {
    let groups = _uniqueGroups()
    return (NDArray(groups.values), NDArray<Int64>(groups.inverse, shape: shape))
  }
}
