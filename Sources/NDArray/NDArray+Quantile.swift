// Quantiles and percentiles by NumPy's default ("linear", Hyndman & Fan type 7) method,
// following NumPy's formulas step by step so that the results are bit-identical.

extension NDArray where Element: NDArrayRealElement & NDArrayNumeric {
  /// The quantiles `q` (each in `[0, 1]`) along `axis` (nil: of the flattened array),
  /// interpolated linearly between the two nearest sorted elements.
  ///
  /// The NumPy equivalent is `numpy.quantile(a, q, axis=axis, keepdims=keepDims)` with
  /// `q` a list: the result is `Double` and its first axis runs over `q`; the other axes
  /// are those of `self` without `axis` (kept with size 1 when `keepDims`). A lane holding
  /// a NaN gives NaN. As in NumPy, the difference of two integer neighbours is taken in
  /// the element type (it wraps for 8-bit extremes). Traps on an empty lane, a `q`
  /// outside `[0, 1]` or an axis out of range.
  @inlinable
  public func quantile(_ q: [Double], axis: Int? = nil, keepDims: Bool = false) -> NDArray<Double> {
    for value in q {
      precondition(value >= 0 && value <= 1, "Quantiles must be in the range [0, 1], got \(value)")
    }
    let length = axis.map { shape[_checkedAxis($0)] } ?? count
    precondition(
      length > 0,
      "cannot compute quantiles of an empty lane (shape \(shape))")
    let lanes = _mapLanes(axis: axis, outputLength: q.count) {
      (lane: UnsafeBufferPointer<Element>, out: UnsafeMutableBufferPointer<Double>) in
      let order = NDArray._stableOrder(lane)
      let sorted = order.map { lane[$0] }
      let hasNaN = sorted.last.map { $0 != $0 } ?? false
      let n = sorted.count
      for (k, fraction) in q.enumerated() {
        if hasNaN { out[k] = .nan; continue }
        let virtualIndex = Double(n - 1) * fraction
        var previous = virtualIndex.rounded(.down)
        var next = previous + 1
        if virtualIndex >= Double(n - 1) { previous = -1; next = -1 }
        if virtualIndex < 0 { previous = 0; next = 0 }
        let gamma = virtualIndex - previous
        let below = sorted[previous < 0 ? n - 1 : Int(previous)]
        let above = sorted[next < 0 ? n - 1 : Int(next)]
        let difference = Element._subtract(above, below)._doubleValue
        out[k] =
          gamma >= 0.5
          ? above._doubleValue - difference * (1 - gamma)
          : below._doubleValue + difference * gamma
      }
    }
    // Lanes come back with the quantile axis where `axis` was; NumPy puts it first.
    var result: NDArray<Double>
    if let axis {
      let a = _checkedAxis(axis)
      var order = [a]
      order.append(contentsOf: (0..<rank).filter { $0 != a })
      result = lanes.transposed(order).contiguous()
      if keepDims { result = result.expandingDims(at: a + 1) }
    } else {
      result = lanes
      if keepDims { result = result.reshaped([q.count] + [Int](repeating: 1, count: rank)) }
    }
    return result.contiguous()
  }

  /// The percentiles `p` (each in `[0, 100]`) along `axis`: ``quantile(_:axis:keepDims:)``
  /// of `p / 100`.
  ///
  /// The NumPy equivalent is `numpy.percentile(a, p, axis=axis, keepdims=keepDims)` with
  /// `p` a list. Traps on a `p` outside `[0, 100]`, an empty lane or an axis out of range.
  @inlinable
  public func percentile(_ p: [Double], axis: Int? = nil, keepDims: Bool = false) -> NDArray<Double> {
    for value in p {
      precondition(value >= 0 && value <= 100, "Percentiles must be in the range [0, 100], got \(value)")
    }
    return quantile(p.map { $0 / 100 }, axis: axis, keepDims: keepDims)
  }
}
