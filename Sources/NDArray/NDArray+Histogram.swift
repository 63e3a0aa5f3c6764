// Counting: `histogram` with equal-width bins and `bincount`.

extension NDArray where Element: NDArrayRealElement {
  /// The number of elements in each of `bins` equal-width bins over `range` (nil: from
  /// the smallest to the largest element), and the `bins + 1` bin edges. Every bin is
  /// half-open `[left, right)` except the last, which also holds its right edge;
  /// elements outside the range are not counted.
  ///
  /// The NumPy equivalent is `numpy.histogram(a, bins=bins, range=range)`, computed as
  /// NumPy does: edges from `linspace`, a bin from the scaled offset, then corrected
  /// against the edges. Edges and arithmetic are `Double` (NumPy's `float64` edges; for
  /// `float32` input NumPy computes in `float32` instead). Traps when `bins < 1`, the
  /// range is not finite or `lower > upper`, or the array has a NaN and no `range`.
  @inlinable
  public func histogram(bins: Int, range: ClosedRange<Double>? = nil) -> (counts: NDArray<Int64>, edges: NDArray<Double>) {
    precondition(bins >= 1, "`bins` must be positive, when an integer (got \(bins))")
    let values = flatElements.map(\._doubleValue)
    var first: Double, last: Double
    if let range {
      first = range.lowerBound
      last = range.upperBound
    } else if values.isEmpty {
      first = 0
      last = 1
    } else {
      precondition(!values.contains { $0.isNaN }, "autodetected range of [nan, nan] is not finite")
      first = values.min()!
      last = values.max()!
      precondition(first.isFinite && last.isFinite, "autodetected range of [\(first), \(last)] is not finite")
    }
    precondition(first.isFinite && last.isFinite, "supplied range of [\(first), \(last)] is not finite")
    precondition(first <= last, "max must be larger than min in range parameter.")
    if first == last {
      first -= 0.5
      last += 0.5
    }
    let edges = NDArray<Double>.linspace(first, last, count: bins + 1)
    let edge = edges.flatElements
    let span = last - first
    var counts = [Int64](repeating: 0, count: bins)
    for x in values where x >= first && x <= last {
      var index = Int((x - first) / span * Double(bins))
      if index == bins { index -= 1 }
      if x < edge[index] { index -= 1 }
      if index != bins - 1 && x >= edge[index + 1] { index += 1 }
      counts[index] += 1
    }
    return (NDArray<Int64>(counts), edges)
  }
}

extension NDArray where Element: FixedWidthInteger & NDArrayRealElement {
  /// How many times each value `0…max` occurs in this one-dimensional array of
  /// non-negative integers, with at least `minLength` entries.
  ///
  /// The NumPy equivalent is `numpy.bincount(a, minlength=minLength)` (`int64` counts).
  /// Traps on a negative value or an array that is not one-dimensional.
  @inlinable
  public func bincount(minLength: Int = 0) -> NDArray<Int64> {
    let positions = _bincountPositions(minLength: minLength)
    var counts = [Int64](repeating: 0, count: positions.length)
    for p in positions.values { counts[p] += 1 }
    return NDArray<Int64>(counts)
  }

  /// The sum of `weights` for each value `0…max` of this one-dimensional array of
  /// non-negative integers, with at least `minLength` entries.
  ///
  /// The NumPy equivalent is `numpy.bincount(a, weights=weights, minlength=minLength)`
  /// (`float64`, summed in order; for an empty array NumPy gives `int64` zeros, this
  /// `Double` zeros). Traps on a negative value, an array that is not
  /// one-dimensional or weights of another shape.
  @inlinable
  public func bincount(weights: NDArray<Double>, minLength: Int = 0) -> NDArray<Double> {
    precondition(weights.shape == shape,
                 "The weights and list don't have the same length: weights shape \(weights.shape), array shape \(shape)")
    let positions = _bincountPositions(minLength: minLength)
    var sums = [Double](repeating: 0, count: positions.length)
    for (p, w) in zip(positions.values, weights.flatElements) { sums[p] += w }
    return NDArray<Double>(sums)
  }

  @inlinable
  func _bincountPositions(minLength: Int) -> (values: [Int], length: Int) {
    precondition(rank == 1, "object too deep for desired array: bincount needs a 1-d array, got shape \(shape)")
    precondition(minLength >= 0, "'minlength' must not be negative")
    let values = flatElements.map { value -> Int in
      precondition(value >= 0, "'list' argument must have no negative elements")
      return Int(value)
    }
    return (values, Swift.max(minLength, (values.max() ?? -1) + 1))
  }
}
