// Sorting along an axis: `sorted` and `argsort`, stable, NaNs last (NumPy's order).

extension NDArray where Element: NDArrayRealElement {
  /// NumPy's sort order: `<`, with NaN after every number.
  @inlinable @inline(__always)
  static func _sortsBefore(_ a: Element, _ b: Element) -> Bool {
    a < b || (b != b && a == a)
  }

  /// The positions `0..<lane.count` in stable sorted order of `lane`.
  @inlinable
  static func _stableOrder(_ lane: UnsafeBufferPointer<Element>) -> [Int] {
    var order = Array(0..<lane.count)
    order.sort { i, j in
      let a = lane[i], b = lane[j]
      if _sortsBefore(a, b) { return true }
      if _sortsBefore(b, a) { return false }
      return i < j
    }
    return order
  }

  /// The indices that sort the array along `axis` (nil: the flattened array), stable:
  /// equal elements keep their order, and NaNs come last.
  ///
  /// The NumPy equivalent is `numpy.argsort(a, axis=axis, kind='stable')` (MLX Swift's
  /// `argSort`). Traps on an axis out of range.
  @inlinable
  public func argsort(axis: Int? = -1) -> NDArray<Int64> {
    _mapLanes(axis: axis) { lane, out in
      for (k, index) in NDArray._stableOrder(lane).enumerated() { out[k] = Int64(index) }
    }
  }

  /// A sorted copy along `axis` (nil: the flattened array), NaNs last.
  ///
  /// The NumPy equivalent is `numpy.sort(a, axis=axis)` (MLX Swift's `sorted`). Traps on
  /// an axis out of range.
  @inlinable
  public func sorted(axis: Int? = -1) -> NDArray {
    _mapLanes(axis: axis) { lane, out in
      for (k, index) in NDArray._stableOrder(lane).enumerated() { out[k] = lane[index] }
    }
  }
}
