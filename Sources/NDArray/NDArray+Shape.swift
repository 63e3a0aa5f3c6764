// Views that change the shape: transpose, reshape, squeeze, expand, broadcast.

extension NDArray {
  /// A view with the axes permuted: axis `i` of the result is axis `axes[i]` of `self`.
  /// Without arguments, the axes are reversed. Negative axes count from the end.
  ///
  /// The NumPy equivalent is `numpy.transpose(a, axes)`. No data is copied.
  /// Traps unless `axes` is a permutation of the array's axes.
  @inlinable
  public func transposed(_ axes: [Int]? = nil) -> NDArray {
    let order = axes ?? Array((0..<rank).reversed())
    precondition(order.count == rank, "axes \(order) don't match array of shape \(shape)")
    var seen = [Bool](repeating: false, count: rank)
    var newShape: [Int] = [], newStrides: [Int] = []
    for axis in order {
      precondition(
        axis >= -rank && axis < rank,
        "axis \(axis) is out of bounds for array of shape \(shape)")
      let a = axis < 0 ? axis + rank : axis
      precondition(!seen[a], "repeated axis in transpose: \(order) for shape \(shape)")
      seen[a] = true
      newShape.append(shape[a])
      newStrides.append(strides[a])
    }
    return NDArray(_storage: _storage, shape: newShape, strides: newStrides, offset: offset)
  }

  /// A view with two axes swapped (`numpy.swapaxes`). Traps on an axis out of range.
  @inlinable
  public func swappingAxes(_ first: Int, _ second: Int) -> NDArray {
    var order = Array(0..<rank)
    let a = first < 0 ? first + rank : first, b = second < 0 ? second + rank : second
    precondition(
      a >= 0 && a < rank && b >= 0 && b < rank,
      "axes \(first), \(second) out of bounds for shape \(shape)")
    order.swapAt(a, b)
    return transposed(order)
  }

  /// The same elements in C order with a new shape: a view when the layout allows it,
  /// otherwise a copy. One dimension may be `-1`; it is inferred.
  ///
  /// The NumPy equivalent is `numpy.reshape(a, shape)`. Traps when the element count does
  /// not match ("cannot reshape array of size 6 into shape [4]").
  @inlinable
  public func reshaped(_ newShape: [Int]) -> NDArray {
    let resolved = NDArray._resolveReshape(newShape, count: count, from: shape)
    if let strides = NDArray._reshapeStrides(from: shape, strides: strides, to: resolved) {
      return NDArray(_storage: _storage, shape: resolved, strides: strides, offset: offset)
    }
    let copy = contiguousCopy()
    return NDArray(
      _storage: copy._storage, shape: resolved,
      strides: NDArray.cStrides(for: resolved), offset: 0)
  }

  /// The same elements in C order with a new shape (`a.reshape(3, 4)`).
  @inlinable
  public func reshaped(_ newShape: Int...) -> NDArray { reshaped(newShape) }

  /// The elements as a one-dimensional array, a view when possible (`numpy.ravel`).
  @inlinable
  public func raveled() -> NDArray { reshaped([count]) }

  @usableFromInline
  static func _resolveReshape(_ newShape: [Int], count: Int, from shape: [Int]) -> [Int] {
    var resolved = newShape
    let unknown = newShape.indices.filter { newShape[$0] == -1 }
    precondition(unknown.count <= 1, "can only specify one unknown dimension in \(newShape)")
    for d in newShape where d != -1 {
      precondition(d >= 0, "negative dimension \(d) in new shape \(newShape)")
    }
    let known = newShape.filter { $0 != -1 }.reduce(1, *)
    if let u = unknown.first {
      precondition(
        known != 0 && count % known == 0,
        "cannot reshape array of size \(count) (shape \(shape)) into shape \(newShape)")
      resolved[u] = count / known
    }
    precondition(
      resolved.reduce(1, *) == count,
      "cannot reshape array of size \(count) (shape \(shape)) into shape \(newShape)")
    return resolved
  }

  /// Strides that give `newShape` over the same memory in C order, or nil when the
  /// existing layout cannot be viewed that way (NumPy's `_attempt_nocopy_reshape`).
  @usableFromInline
  static func _reshapeStrides(from shape: [Int], strides: [Int], to newShape: [Int]) -> [Int]? {
    if shape.contains(0) || newShape.isEmpty || shape.isEmpty {
      return NDArray.cStrides(for: newShape)
    }
    // Drop size-1 axes of the old shape; they carry no layout information.
    var oldShape: [Int] = [], oldStrides: [Int] = []
    for (d, s) in zip(shape, strides) where d != 1 { oldShape.append(d); oldStrides.append(s) }
    var result = [Int](repeating: 0, count: newShape.count)
    var oi = 0, oj = 1, ni = 0, nj = 1
    let oldCount = oldShape.count, newCount = newShape.count
    if oldCount == 0 {
      // Only size-1 axes: any strides work.
      return NDArray.cStrides(for: newShape)
    }
    while ni < newCount && oi < oldCount {
      var np = newShape[ni], op = oldShape[oi]
      while np != op {
        if np < op { np *= newShape[nj]; nj += 1 } else { op *= oldShape[oj]; oj += 1 }
      }
      // The old axes oi..<oj must be contiguous among themselves.
      for k in oi..<(oj - 1) where oldStrides[k] != oldShape[k + 1] * oldStrides[k + 1] {
        return nil
      }
      result[nj - 1] = oldStrides[oj - 1]
      var k = nj - 1
      while k > ni { result[k - 1] = result[k] * newShape[k]; k -= 1 }
      ni = nj; nj += 1
      oi = oj; oj += 1
    }
    // Trailing size-1 new axes.
    for k in ni..<newCount { result[k] = 1 }
    return result
  }

  /// A view without the size-1 axes (all of them, or those listed).
  ///
  /// The NumPy equivalent is `numpy.squeeze(a, axis)`. Traps when a listed axis does not
  /// have size 1.
  @inlinable
  public func squeezed(axes: [Int]? = nil) -> NDArray {
    let drop: [Bool]
    if let axes {
      drop = NDArray._reducedAxisFlags(axes, shape: shape)
      for a in 0..<rank where drop[a] {
        precondition(
          shape[a] == 1,
          "cannot select an axis to squeeze out which has size not equal to one: axis \(a) of shape \(shape)")
      }
    } else {
      drop = shape.map { $0 == 1 }
    }
    var newShape: [Int] = [], newStrides: [Int] = []
    for a in 0..<rank where !drop[a] { newShape.append(shape[a]); newStrides.append(strides[a]) }
    return NDArray(_storage: _storage, shape: newShape, strides: newStrides, offset: offset)
  }

  /// A view with a new size-1 axis at position `axis` of the result (negative counts from
  /// the end of the result).
  ///
  /// The NumPy equivalent is `numpy.expand_dims(a, axis)`. Traps on an axis out of range.
  @inlinable
  public func expandingDims(at axis: Int) -> NDArray {
    let newRank = rank + 1
    precondition(
      axis >= -newRank && axis < newRank,
      "axis \(axis) is out of bounds for array of dimension \(newRank) (shape \(shape))")
    let a = axis < 0 ? axis + newRank : axis
    var newShape = shape, newStrides = strides
    newShape.insert(1, at: a)
    newStrides.insert(a < rank ? strides[a] * shape[a] : 1, at: a)
    return NDArray(_storage: _storage, shape: newShape, strides: newStrides, offset: offset)
  }

  /// A read-only-in-spirit view of the array repeated to `newShape` by NumPy's
  /// broadcasting rules (stride 0 along broadcast axes). Writing to it copies first.
  ///
  /// The NumPy equivalent is `numpy.broadcast_to(a, shape)`. Traps when the shapes are not
  /// compatible.
  @inlinable
  public func broadcast(to newShape: [Int]) -> NDArray {
    precondition(
      newShape.count >= rank,
      "cannot broadcast array of shape \(shape) to shape \(newShape)")
    let lead = newShape.count - rank
    var newStrides = [Int](repeating: 0, count: newShape.count)
    for axis in 0..<rank {
      let target = newShape[lead + axis]
      if shape[axis] == target {
        newStrides[lead + axis] = target == 1 ? 0 : strides[axis]
      } else {
        precondition(
          shape[axis] == 1,
          "cannot broadcast array of shape \(shape) to shape \(newShape)")
      }
    }
    return NDArray(_storage: _storage, shape: newShape, strides: newStrides, offset: offset)
  }
}

/// The shape that NumPy's broadcasting rules give for operands of `shapes`.
///
/// The NumPy equivalent is `numpy.broadcast_shapes`. Traps when the shapes are not
/// compatible, naming them ("operands could not be broadcast together with shapes …").
public func broadcastShapes(_ shapes: [Int]...) -> [Int] {
  broadcastShapes(shapes)
}

/// The shape that NumPy's broadcasting rules give for operands of `shapes`
/// (`numpy.broadcast_shapes`). Traps when they are not compatible.
public func broadcastShapes(_ shapes: [[Int]]) -> [Int] {
  let rank = shapes.map(\.count).max() ?? 0
  var result = [Int](repeating: 1, count: rank)
  for shape in shapes {
    let lead = rank - shape.count
    for (i, d) in shape.enumerated() {
      let r = result[lead + i]
      if r == 1 {
        result[lead + i] = d
      } else {
        precondition(
          d == r || d == 1,
          "operands could not be broadcast together with shapes \(shapes.map { "\($0)" }.joined(separator: " "))")
      }
    }
  }
  return result
}
