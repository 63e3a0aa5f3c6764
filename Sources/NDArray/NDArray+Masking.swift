// Boolean masks: selection `a[mask]`, `where`, `nonzero`, and `any`/`all` of any array.

extension NDArray {
  /// The elements where `mask` is true, in C order, as a new array.
  ///
  /// The NumPy equivalent is boolean-array indexing `a[mask]`. A mask of the same shape
  /// gives a one-dimensional result of `mask.sum()` elements; a one-dimensional mask of
  /// length `shape[0]` selects whole rows (a mask of the leading axes selects the
  /// sub-arrays behind them). Setting writes `newValue`, broadcast to the selection's
  /// shape, into the selected elements (`a[a .< 0] = NDArray(scalar: 0)` is NumPy's
  /// `a[a < 0] = 0`). Traps with NumPy's `IndexError` wording when the mask's shape does
  /// not match the leading axes, or when `newValue` does not broadcast.
  @inlinable
  public subscript(mask: NDArray<Bool>) -> NDArray {
    get {
      let (flags, innerShape, innerCount, selected) = _maskLayout(mask)
      let source = contiguous()
      return NDArray(unsafeUninitializedShape: [selected] + innerShape) { out in
        guard let destination = out.baseAddress, out.count > 0 else { return }
        source.withUnsafeStridedStorage { base, offset, _, _ in
          var written = 0
          for (position, keep) in flags.enumerated() where keep {
            (destination + written).initialize(from: base + offset + position * innerCount, count: innerCount)
            written += innerCount
          }
        }
      }
    }
    set {
      let (flags, innerShape, innerCount, selected) = _maskLayout(mask)
      let selectionShape = [selected] + innerShape
      precondition(
        broadcastShapes(selectionShape, newValue.shape) == selectionShape,
        "NumPy boolean array indexing assignment cannot assign \(newValue.shape) input values to the \(selected) output values where the mask is true"
      )
      let values = newValue.broadcast(to: selectionShape).contiguousCopy()
      if !isCContiguous { self = contiguousCopy() } else { makeUnique() }
      let base = _storage.base + offset
      values.withUnsafeStridedStorage { source, sourceOffset, _, _ in
        var read = 0
        for (position, keep) in flags.enumerated() where keep {
          (base + position * innerCount).update(from: source + sourceOffset + read, count: innerCount)
          read += innerCount
        }
      }
    }
  }

  /// The mask's flags in C order, the shape and size of what each flag selects, and the
  /// number of true flags. Traps when the mask does not match the leading axes.
  @inlinable
  func _maskLayout(_ mask: NDArray<Bool>) -> (flags: [Bool], innerShape: [Int], innerCount: Int, selected: Int) {
    let maskRank = mask.rank
    precondition(
      maskRank <= rank && Array(shape[..<maskRank]) == mask.shape,
      "boolean index did not match indexed array: mask shape \(mask.shape), array shape \(shape)")
    let flags = mask.flatElements
    let innerShape = Array(shape[maskRank...])
    return (flags, innerShape, NDArray.elementCount(of: innerShape), flags.reduce(0) { $0 + ($1 ? 1 : 0) })
  }

  /// `x` where `condition` is true and `y` elsewhere, all three broadcast together.
  ///
  /// The NumPy equivalent is `numpy.where(condition, x, y)`. Traps when the shapes do not
  /// broadcast.
  @inlinable
  public static func `where`(_ condition: NDArray<Bool>, _ x: NDArray, _ y: NDArray) -> NDArray {
    let shape = broadcastShapes(condition.shape, x.shape, y.shape)
    let c = condition.broadcast(to: shape).contiguous()
    let xs = x.broadcast(to: shape).contiguous(), ys = y.broadcast(to: shape).contiguous()
    return NDArray(unsafeUninitializedShape: shape) { out in
      guard let destination = out.baseAddress, out.count > 0 else { return }
      c.withUnsafeStridedStorage { pc, oc, _, _ in
        xs.withUnsafeStridedStorage { px, ox, _, _ in
          ys.withUnsafeStridedStorage { py, oy, _, _ in
            for i in 0..<out.count {
              (destination + i).initialize(to: pc[oc + i] ? px[ox + i] : py[oy + i])
            }
          }
        }
      }
    }
  }

  /// `x` where `condition` is true and the scalar `y` elsewhere (`numpy.where(c, x, y)`).
  @inlinable
  public static func `where`(_ condition: NDArray<Bool>, _ x: NDArray, _ y: Element) -> NDArray {
    NDArray.where(condition, x, NDArray(scalar: y))
  }

  /// The scalar `x` where `condition` is true and `y` elsewhere (`numpy.where(c, x, y)`).
  @inlinable
  public static func `where`(_ condition: NDArray<Bool>, _ x: Element, _ y: NDArray) -> NDArray {
    NDArray.where(condition, NDArray(scalar: x), y)
  }
}

extension NDArray where Element: Equatable {
  /// Whether each element is nonzero (`a != 0`, NumPy's truth value of an element).
  @inlinable
  func _isNonzero() -> NDArray<Bool> { map { $0 != Element.zero } }

  /// The indices of the nonzero elements, one `Int64` array per axis, in C order.
  ///
  /// The NumPy equivalent is `numpy.nonzero(a)` (a 0-d array is treated as 1-d, as
  /// NumPy 2 requires of callers: use `a.reshaped([1])` first). Traps on a 0-d array.
  @inlinable
  public func nonzero() -> [NDArray<Int64>] {
    precondition(rank > 0, "Calling nonzero on 0d arrays is not allowed. Use a.reshaped([1]).nonzero() instead")
    let flags = _isNonzero().flatElements
    var columns = [[Int64]](repeating: [], count: rank)
    var odometer = COrderOdometer(shape: shape)
    for keep in flags {
      if keep { for axis in 0..<rank { columns[axis].append(Int64(odometer.index[axis])) } }
      _ = odometer.advance()
    }
    return columns.map { NDArray<Int64>($0) }
  }

  /// Whether any element over `axes` (nil: all) is nonzero, i.e. true for a mask.
  ///
  /// The NumPy equivalent is `numpy.any(a, axis=axes, keepdims=keepDims)`; false for an
  /// empty reduction. Traps on an axis out of range or repeated.
  @inlinable
  public func any(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Bool> {
    _isNonzero().sum(axes: axes, keepDims: keepDims).map { $0 > 0 }
  }

  /// Whether every element over `axes` (nil: all) is nonzero, i.e. true for a mask.
  ///
  /// The NumPy equivalent is `numpy.all(a, axis=axes, keepdims=keepDims)`; true for an
  /// empty reduction. Traps on an axis out of range or repeated.
  @inlinable
  public func all(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Bool> {
    _isNonzero().map { !$0 }.sum(axes: axes, keepDims: keepDims).map { $0 == 0 }
  }
}
