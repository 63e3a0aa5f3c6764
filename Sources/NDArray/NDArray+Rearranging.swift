// Rearranging elements: flip, roll, tile, repeat.

extension NDArray {
  /// A view with the order of elements reversed along `axes` (nil: every axis).
  ///
  /// The NumPy equivalent is `numpy.flip(a, axis=axes)` (a view with negative strides, as
  /// NumPy's). Traps on an axis out of range.
  @inlinable
  public func flipped(axes: [Int]? = nil) -> NDArray {
    let flip = axes.map { NDArray._reducedAxisFlags($0, shape: shape) } ?? [Bool](repeating: true, count: rank)
    return self[indices: flip.map { $0 ? NDIndex.range(nil, nil, step: -1) : NDIndex.all }]
  }

  /// The elements shifted by `shift` positions along `axis`, those pushed past the end
  /// coming back at the start (nil `axis`: along the flattened array, shape kept).
  ///
  /// The NumPy equivalent is `numpy.roll(a, shift, axis=axis)`. Traps on an axis out of
  /// range.
  @inlinable
  public func rolled(_ shift: Int, axis: Int? = nil) -> NDArray {
    guard let axis else { return raveled().rolled(shift, axis: 0).reshaped(shape) }
    let a = _checkedAxis(axis)
    let size = shape[a]
    if size == 0 { return contiguousCopy() }
    let positions = (0..<size).map { (($0 - shift) % size + size) % size }
    return take(positions, axis: a)
  }

  /// The array repeated `repetitions[i]` times along axis `i`; when the counts and the
  /// rank differ, the shorter one is padded with leading 1s.
  ///
  /// The NumPy equivalent is `numpy.tile(a, reps)`. Traps on a negative count.
  @inlinable
  public func tiled(_ repetitions: [Int]) -> NDArray {
    for r in repetitions { precondition(r >= 0, "negative dimensions are not allowed: reps \(repetitions)") }
    let newRank = Swift.max(rank, repetitions.count)
    let counts = [Int](repeating: 1, count: newRank - repetitions.count) + repetitions
    var result = reshaped([Int](repeating: 1, count: newRank - rank) + shape)
    for axis in 0..<newRank where counts[axis] != 1 {
      let size = result.shape[axis]
      let positions = (0..<counts[axis]).flatMap { _ in 0..<size }
      result = result.take(positions, axis: axis)
    }
    return result.contiguous()
  }

  /// Each element repeated `count` times in place along `axis` (nil: of the flattened
  /// array): `[1, 2]` becomes `[1, 1, 2, 2]`.
  ///
  /// The NumPy equivalent is `numpy.repeat(a, count, axis=axis)` (MLX Swift's
  /// `repeated`). Traps on a negative count or an axis out of range.
  @inlinable
  public func repeated(_ count: Int, axis: Int? = nil) -> NDArray {
    precondition(count >= 0, "repeats may not contain negative values (got \(count))")
    guard let axis else { return raveled().repeated(count, axis: 0) }
    let a = _checkedAxis(axis)
    let positions = (0..<shape[a]).flatMap { [Int](repeating: $0, count: count) }
    return take(positions, axis: a)
  }
}

extension NDArray where Element: NDArrayRealElement {
  /// Every element limited to `[low, high]`, the bounds being arrays broadcast with
  /// `self` (per-channel limits, say); NaN stays NaN.
  ///
  /// The NumPy equivalent is `numpy.clip(a, low, high)` with array bounds, i.e.
  /// `minimum(maximum(a, low), high)`. Traps when the shapes do not broadcast.
  @inlinable
  public func clip(_ low: NDArray, _ high: NDArray) -> NDArray {
    NDArray.minimum(NDArray.maximum(self, low), high)
  }
}
