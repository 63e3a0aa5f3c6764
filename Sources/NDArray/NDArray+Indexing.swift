// Basic indexing: integers, slices with steps (negative too), new axes and an ellipsis,
// as NumPy's `a[1, 2:8:3, None, ...]`. The result is a view sharing storage.

/// One entry of a NumPy-style index expression.
///
/// The NumPy equivalent is one element of the tuple in `a[...]`: an integer, a slice
/// `start:stop:step`, `numpy.newaxis` (`None`) or `...`. Integer literals convert, so
/// `a[.all, .range(1, 5, step: 2), .newAxis, .ellipsis, 3]` reads like
/// `a[:, 1:5:2, None, ..., 3]`.
public enum NDIndex: Sendable, Hashable, ExpressibleByIntegerLiteral {
  /// One position along the axis; the axis disappears (`a[3]`). Negative counts from the end.
  case at(Int)
  /// A slice `start:stop:step` (nil bounds are NumPy's omitted ones). `step` must not be 0.
  case slice(start: Int?, stop: Int?, step: Int)
  /// A new axis of size 1 (`numpy.newaxis`, `None`).
  case newAxis
  /// As many full slices as needed to index every axis (`...`).
  case ellipsis

  /// `:`, the whole axis.
  public static var all: NDIndex { .slice(start: nil, stop: nil, step: 1) }

  /// `start:stop:step`; nil bounds are omitted ones (`a[::-1]` is `.range(nil, nil, step: -1)`).
  public static func range(_ start: Int?, _ stop: Int?, step: Int = 1) -> NDIndex {
    .slice(start: start, stop: stop, step: step)
  }

  /// `lower:upper` from a Swift range.
  public static func range(_ range: Range<Int>, step: Int = 1) -> NDIndex {
    .slice(start: range.lowerBound, stop: range.upperBound, step: step)
  }

  /// `lower:` from a Swift range.
  public static func range(_ range: PartialRangeFrom<Int>, step: Int = 1) -> NDIndex {
    .slice(start: range.lowerBound, stop: nil, step: step)
  }

  /// `:upper` from a Swift range.
  public static func range(_ range: PartialRangeUpTo<Int>, step: Int = 1) -> NDIndex {
    .slice(start: nil, stop: range.upperBound, step: step)
  }

  /// An integer index (`a[3]`).
  public init(integerLiteral value: Int) { self = .at(value) }
}

extension NDArray {
  /// The layout (shape, strides, offset) that `indices` select, in this array's storage.
  /// Traps on an index out of range, a zero step, two ellipses or too many indices.
  @inlinable
  func _layout(of indices: [NDIndex]) -> (shape: [Int], strides: [Int], offset: Int) {
    let consuming = indices.reduce(0) { count, index in
      switch index {
      case .at, .slice: return count + 1
      case .newAxis, .ellipsis: return count
      }
    }
    precondition(
      consuming <= rank,
      "too many indices for array: array is \(rank)-dimensional (shape \(shape)), but \(consuming) were indexed")
    precondition(
      indices.filter { $0 == .ellipsis }.count <= 1,
      "an index can only have a single ellipsis ('...')")
    var newShape: [Int] = [], newStrides: [Int] = []
    var position = offset
    var axis = 0
    for index in indices {
      switch index {
      case .at(let i):
        let size = shape[axis]
        precondition(
          i >= -size && i < size,
          "index \(i) is out of bounds for axis \(axis) with size \(size) (shape \(shape))")
        position += (i < 0 ? i + size : i) * strides[axis]
        axis += 1
      case .slice(let start, let stop, let step):
        let (first, length) = NDArray._adjustSlice(start: start, stop: stop, step: step, size: shape[axis])
        if length > 0 { position += first * strides[axis] }
        newShape.append(length)
        newStrides.append(strides[axis] * step)
        axis += 1
      case .newAxis:
        newShape.append(1)
        newStrides.append(0)
      case .ellipsis:
        for _ in 0..<(rank - consuming) {
          newShape.append(shape[axis])
          newStrides.append(strides[axis])
          axis += 1
        }
      }
    }
    while axis < rank {
      newShape.append(shape[axis])
      newStrides.append(strides[axis])
      axis += 1
    }
    return (newShape, newStrides, position)
  }

  /// NumPy's `PySlice_AdjustIndices`: the first index and the length of `start:stop:step`
  /// over an axis of `size`. Traps when `step` is zero.
  @inlinable
  static func _adjustSlice(start: Int?, stop: Int?, step: Int, size: Int) -> (first: Int, length: Int) {
    precondition(step != 0, "slice step cannot be zero")
    var first: Int, last: Int
    if let start {
      first = start < 0 ? Swift.max(start + size, step < 0 ? -1 : 0) : Swift.min(start, step < 0 ? size - 1 : size)
    } else {
      first = step < 0 ? size - 1 : 0
    }
    if let stop {
      last = stop < 0 ? Swift.max(stop + size, step < 0 ? -1 : 0) : Swift.min(stop, step < 0 ? size - 1 : size)
    } else {
      last = step < 0 ? -1 : size
    }
    let length: Int
    if step > 0 {
      length = last > first ? (last - first - 1) / step + 1 : 0
    } else {
      length = last < first ? (first - last - 1) / (-step) + 1 : 0
    }
    return (first, length)
  }

  /// A view selected by a NumPy-style index expression, e.g.
  /// `a[.all, .range(1, 5, step: 2), .newAxis, .ellipsis, 3]` for `a[:, 1:5:2, None, ..., 3]`.
  ///
  /// The NumPy equivalent is basic indexing `a[...]`. Getting shares storage (no copy).
  /// Setting assigns `newValue`, broadcast to the selected shape, into the selection
  /// (`a[...] = b`). Traps on an index out of range, a zero step, more than one ellipsis,
  /// too many indices, or a value that does not broadcast.
  @inlinable
  public subscript(_ indices: NDIndex...) -> NDArray {
    get { self[indices: indices] }
    set { self[indices: indices] = newValue }
  }

  /// The view selected by `indices` (array form of ``subscript(_:)-(NDIndex...)``).
  @inlinable
  public subscript(indices indices: [NDIndex]) -> NDArray {
    get {
      let layout = _layout(of: indices)
      return NDArray(_storage: _storage, shape: layout.shape, strides: layout.strides, offset: layout.offset)
    }
    set {
      let value = newValue._storage === _storage ? newValue.contiguousCopy() : newValue
      makeUnique()
      let layout = _layout(of: indices)
      let target = NDArray(
        _storage: _storage, shape: layout.shape, strides: layout.strides,
        offset: layout.offset)
      let shape = broadcastShapes(layout.shape, value.shape)
      precondition(
        shape == layout.shape,
        "could not broadcast input array from shape \(value.shape) into shape \(layout.shape)")
      let base = _storage.base
      value.withUnsafeStridedStorage { source, _, _, _ in
        NDArray._forEachBroadcastPair(target, value, shape: shape) { _, t, s in base[t] = source[s] }
      }
    }
  }
}
