// Integer indexing: `a[i]` as a view of row `i`, and `take` (NumPy's integer-array
// indexing along one axis, which copies).

extension NDArray {
  /// Axis `axis` counted from the front (negative counts from the end), checked against
  /// the rank with NumPy's `AxisError` wording. Traps when out of range.
  @inlinable
  func _checkedAxis(_ axis: Int) -> Int {
    precondition(
      axis >= -rank && axis < rank,
      "axis \(axis) is out of bounds for array of dimension \(rank) (shape \(shape))")
    return axis < 0 ? axis + rank : axis
  }

  /// A view of row `index` along the first axis: for an (N, H, W, C) array, image
  /// `index` of shape (H, W, C). Negative indices count from the end.
  ///
  /// The NumPy equivalent is `a[i]` (MLX Swift's `a[i]`); no data is copied. Setting
  /// assigns `newValue`, broadcast to the row's shape (`a[i] = b`). Traps with NumPy's
  /// `IndexError` wording when `index` is out of range or the array is 0-dimensional.
  @inlinable
  public subscript(_ index: Int) -> NDArray {
    get {
      precondition(rank > 0, "too many indices for array: array is 0-dimensional, but 1 were indexed")
      return self[indices: [.at(index)]]
    }
    set {
      precondition(rank > 0, "too many indices for array: array is 0-dimensional, but 1 were indexed")
      self[indices: [.at(index)]] = newValue
    }
  }

  /// The slices at `indices` along `axis`, in that order, as a new array (nil `axis`:
  /// of the flattened array, NumPy's default, so the axis is always spelled out here). Negative indices count from the end; repeats are allowed.
  ///
  /// The NumPy equivalent is `numpy.take(a, indices, axis=axis)` (`a[[3, 1, 7]]` for
  /// axis 0). The result has the shape of `self` with `axis` replaced by
  /// `indices.count`, and its own storage. Traps with NumPy's wording on an index out of
  /// range or an axis out of range.
  @inlinable
  public func take(_ indices: [Int], axis: Int?) -> NDArray {
    guard let axis else { return raveled().take(indices, axis: 0) }
    let a = _checkedAxis(axis)
    let size = shape[a]
    let positions = indices.map { index -> Int in
      precondition(
        index >= -size && index < size,
        "index \(index) is out of bounds for axis \(a) with size \(size)")
      return index < 0 ? index + size : index
    }
    var resultShape = shape
    resultShape[a] = indices.count
    // Outer: the axes before `axis`; inner: one contiguous block of the axes after it.
    let outerShape = Array(shape[..<a])
    let innerShape = Array(shape[(a + 1)...])
    let innerCount = NDArray.elementCount(of: innerShape)
    let outerCount = NDArray.elementCount(of: outerShape)
    let source = contiguous()
    return NDArray(unsafeUninitializedShape: resultShape) { out in
      guard let destination = out.baseAddress, out.count > 0 else { return }
      source.withUnsafeStridedStorage { base, offset, _, _ in
        let start = base + offset
        var written = 0
        for outer in 0..<outerCount {
          let row = start + outer * size * innerCount
          for position in positions {
            (destination + written).initialize(from: row + position * innerCount, count: innerCount)
            written += innerCount
          }
        }
      }
    }
  }

  /// The view with the axes reversed (`ndarray.T`, MLX Swift's `a.T`); no data is copied.
  @inlinable
  public var T: NDArray { transposed() }
}
