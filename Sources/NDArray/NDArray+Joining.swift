// Joining arrays: concatenate along an existing axis, stack along a new one.

extension NDArray {
  /// The arrays joined along an existing axis (negative counts from the end).
  ///
  /// The NumPy equivalent is `numpy.concatenate(arrays, axis=axis)`. Traps when `arrays`
  /// is empty, when ranks differ, or when the shapes differ off `axis`, naming the shapes.
  @inlinable
  public static func concatenate(_ arrays: [NDArray], axis: Int = 0) -> NDArray {
    precondition(!arrays.isEmpty, "need at least one array to concatenate")
    let first = arrays[0]
    let rank = first.rank
    precondition(rank > 0, "zero-dimensional arrays cannot be concatenated")
    precondition(
      axis >= -rank && axis < rank,
      "axis \(axis) is out of bounds for array of dimension \(rank) (shape \(first.shape))")
    let a = axis < 0 ? axis + rank : axis
    var total = 0
    for array in arrays {
      precondition(
        array.rank == rank,
        "all the input arrays must have same number of dimensions: shapes \(arrays.map(\.shape))")
      for d in 0..<rank where d != a {
        precondition(
          array.shape[d] == first.shape[d],
          "all the input array dimensions except for the concatenation axis must match exactly: shapes \(arrays.map(\.shape)), axis \(a)"
        )
      }
      total += array.shape[a]
    }
    var shape = first.shape
    shape[a] = total
    // Each source contributes, for every index of the axes before `a`, one contiguous run.
    let outer = shape[..<a].reduce(1, *)
    let innerAfter = shape[(a + 1)...].reduce(1, *)
    let rowLength = total * innerAfter
    return NDArray(unsafeUninitializedShape: shape) { out in
      guard let base = out.baseAddress else { return }
      var column = 0
      for array in arrays {
        let run = array.shape[a] * innerAfter
        let source = array.contiguous()
        source.withUnsafeStridedStorage { p, offset, _, _ in
          for o in 0..<outer {
            (base + o * rowLength + column).initialize(from: p + offset + o * run, count: run)
          }
        }
        column += run
      }
    }
  }

  /// The arrays, all of one shape, joined along a new axis at position `axis` of the result.
  ///
  /// The NumPy equivalent is `numpy.stack(arrays, axis=axis)`. Traps when `arrays` is
  /// empty or the shapes differ.
  @inlinable
  public static func stack(_ arrays: [NDArray], axis: Int = 0) -> NDArray {
    precondition(!arrays.isEmpty, "need at least one array to stack")
    let shape = arrays[0].shape
    for array in arrays {
      precondition(
        array.shape == shape,
        "all input arrays must have the same shape: shapes \(arrays.map(\.shape))")
    }
    let rank = shape.count + 1
    precondition(
      axis >= -rank && axis < rank,
      "axis \(axis) is out of bounds for array of dimension \(rank) (shape \(shape))")
    return concatenate(arrays.map { $0.expandingDims(at: axis) }, axis: axis)
  }
}
