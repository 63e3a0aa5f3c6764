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

  /// Sorts a float32/float64 lane by radix (NDArray._RadixSort.swift) into `out`; false
  /// for other element types and short lanes, which the comparison sort handles.
  @inlinable
  static func _radixSortedLane(_ lane: UnsafeBufferPointer<Element>, _ out: UnsafeMutableBufferPointer<Element>) -> Bool
  {
    if Element.self == Float.self {
      return lane.withMemoryRebound(to: Float.self) { l in
        out.withMemoryRebound(to: Float.self) { _radixSortedFloat(l, into: $0) }
      }
    }
    if Element.self == Double.self {
      return lane.withMemoryRebound(to: Double.self) { l in
        out.withMemoryRebound(to: Double.self) { _radixSortedDouble(l, into: $0) }
      }
    }
    return false
  }

  /// The stable sorting permutation of a float32/float64 lane by radix; false otherwise.
  @inlinable
  static func _radixArgsortLane(_ lane: UnsafeBufferPointer<Element>, _ out: UnsafeMutableBufferPointer<Int64>) -> Bool
  {
    if Element.self == Float.self {
      return lane.withMemoryRebound(to: Float.self) { _radixArgsortFloat($0, into: out) }
    }
    if Element.self == Double.self {
      return lane.withMemoryRebound(to: Double.self) { _radixArgsortDouble($0, into: out) }
    }
    return false
  }

  /// The indices that sort the array along `axis` (nil: the flattened array), stable:
  /// equal elements keep their order, and NaNs come last.
  ///
  /// The NumPy equivalent is `numpy.argsort(a, axis=axis, kind='stable')` (MLX Swift's
  /// `argSort`). Traps on an axis out of range.
  @inlinable
  public func argsort(axis: Int? = -1) -> NDArray<Int64> {
    _mapLanes(axis: axis) { lane, out in
      if NDArray._radixArgsortLane(lane, out) { return }
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
      if NDArray._radixSortedLane(lane, out) { return }
      for (k, index) in NDArray._stableOrder(lane).enumerated() { out[k] = lane[index] }
    }
  }
}
