// Counting: `histogram` with equal-width bins and `bincount`.

extension NDArray where Element: NDArrayRealElement {
  /// The number of elements in each of `bins` equal-width bins over `range` (nil: from
  /// the smallest to the largest element), and the `bins + 1` bin edges. Every bin is
  /// half-open `[left, right)` except the last, which also holds its right edge;
  /// elements outside the range are not counted.
  ///
  /// The NumPy equivalent is `numpy.histogram(a, bins=bins, range=range)`, computed as
  /// NumPy does, in the same types: edges from `linspace` in the edge type (`Double` for
  /// integer input, the element type for floating point, as NumPy's `bin_edges.dtype`),
  /// a bin from the scaled offset, then corrected against the edges. Traps when
  /// `bins < 1`, the range is not finite, or the array has a NaN or an infinity and no
  /// `range`.
  @inlinable
  public func histogram(bins: Int, range: ClosedRange<Double>? = nil)
    -> (counts: NDArray<Int64>, edges: NDArray<Element.MeanResult>)
  {
    typealias Edge = Element.MeanResult
    precondition(bins >= 1, "`bins` must be positive, when an integer (got \(bins))")
    let values = flatElements.map { Edge($0._doubleValue) }
    var counts = [Int64](repeating: 0, count: bins)
    let edges: [Edge]
    if range != nil || values.isEmpty {
      // Python-float bounds: edges computed in float64 then rounded to the edge type; the
      // offset is divided by the float64 width (NumPy's promotion of these scalars).
      var low = range?.lowerBound ?? 0, high = range?.upperBound ?? 1
      precondition(low.isFinite && high.isFinite, "supplied range of [\(low), \(high)] is not finite")
      if low == high {
        low -= 0.5
        high += 0.5
      }
      edges = NDArray._linspace(low, high, count: bins + 1).map { Edge($0) }
      let first = Edge(low), last = Edge(high), width = high - low
      for x in values where x >= first && x <= last {
        counts[NDArray._bin(of: x, scaled: Double(x - first) / width * Double(bins), edges: edges)] += 1
      }
    } else {
      precondition(
        !values.contains { $0.isNaN || $0.isInfinite },
        "autodetected range of [\(values.min()!), \(values.max()!)] is not finite")
      var first = values.min()!, last = values.max()!
      if first == last {
        first -= 0.5
        last += 0.5
      }
      edges = NDArray._linspace(first, last, count: bins + 1)
      let width = last - first
      for x in values where x >= first && x <= last {
        counts[NDArray._bin(of: x, scaled: (x - first) / width * Edge(bins), edges: edges)] += 1
      }
    }
    return (NDArray<Int64>(counts), NDArray<Edge>(edges))
  }

  /// NumPy's bin of `x`: the truncated scaled offset, the right edge put in the last bin,
  /// then moved by one where rounding put it beside the bin whose edges hold `x`.
  @inlinable
  static func _bin<F: BinaryFloatingPoint, E: BinaryFloatingPoint>(of x: E, scaled: F, edges: [E]) -> Int {
    let bins = edges.count - 1
    var index = Int(scaled)
    if index == bins { index -= 1 }
    if x < edges[index] { index -= 1 }
    if index != bins - 1 && x >= edges[index + 1] { index += 1 }
    return index
  }

  /// `numpy.linspace(start, stop, count)` evaluated in `F` as NumPy does: `i * step +
  /// start` (or `i / divisions * delta + start` when the step underflows to 0), the last
  /// value exactly `stop`.
  @inlinable
  static func _linspace<F: BinaryFloatingPoint>(_ start: F, _ stop: F, count: Int) -> [F] {
    let divisions = count - 1
    let delta = stop - start
    let step = delta / F(divisions)
    var values = (0..<count).map { i in
      step == 0 ? F(i) / F(divisions) * delta + start : F(i) * step + start
    }
    if count > 1 { values[count - 1] = stop }
    return values
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
    precondition(
      weights.shape == shape,
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
