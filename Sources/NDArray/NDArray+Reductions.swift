// Reductions over any set of axes.
//
// Every reduction takes `axes: [Int]?` (nil: all axes; `[]`: none; negative axes count
// from the end) and `keepDims` (keep reduced axes with size 1, NumPy's `keepdims`). A bad
// axis, or the same axis twice, traps with the array's shape in the message.
//
// Accumulation: integers of 8 and 16 bits are summed exactly (64-bit sums, 128-bit sums of
// squares); other integers sum in wrapping 64-bit integers for `sum` (as NumPy) and in
// `Double` for `mean`/`variance`/`std`; floating point accumulates in `Double` and the
// result is rounded once to the result type. Results never depend on the thread count.

extension NDArray where Element: NDArrayRealElement {
  /// Runs `body` on the reduction's contiguous input and layout.
  @inlinable
  func _withReduction<R>(
    axes: [Int]?, keepDims: Bool,
    _ body: (UnsafePointer<Element>, _ReductionLayout) -> R
  ) -> R {
    let (source, layout) = _reductionSource(axes: axes, keepDims: keepDims)
    return source.withUnsafeStridedStorage { base, offset, _, _ in body(base + offset, layout) }
  }

  /// The sum of the elements over `axes`.
  ///
  /// The NumPy equivalent is `numpy.sum(a, axis=axes, keepdims=keepDims)`. The result type
  /// follows NumPy: `Int64` for signed integers, `UInt64` for unsigned ones (both wrap on
  /// overflow, as NumPy's), the element type for floating point (accumulated in `Double`,
  /// rounded once, so `Float` results can differ from NumPy's float32 pairwise sum in the
  /// last bits). An empty reduction gives 0.
  ///
  /// ```swift
  /// let a = NDArray<UInt8>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// a.sum(axes: [0])   // [5, 7, 9] as UInt64
  /// ```
  ///
  /// Traps on an axis out of range or repeated.
  @inlinable
  public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Element.SumResult> {
    _withReduction(axes: axes, keepDims: keepDims) { base, layout in
      let (bits, values) = NDArray._sums(base, layout)
      let elements = (0..<layout.resultCount).map { Element._sumResult(bits: bits[$0], value: values[$0]) }
      return NDArray<Element.SumResult>(elements, shape: layout.resultShape)
    }
  }

  /// The arithmetic mean over `axes`.
  ///
  /// The NumPy equivalent is `numpy.mean(a, axis=axes, keepdims=keepDims)`: `Double` for
  /// integer input, the element type for floating point (accumulated in `Double`). An
  /// empty reduction gives NaN. Traps on an axis out of range or repeated.
  @inlinable
  public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Element.MeanResult> {
    let means = _meansInDouble(axes: axes, keepDims: keepDims)
    return NDArray<Element.MeanResult>(means.flatElements.map { Element.MeanResult($0) }, shape: means.shape)
  }

  /// The variance over `axes`: the mean squared deviation from the mean, divided by
  /// `count − ddof` instead of `count` (`ddof: 1` gives the unbiased estimate).
  ///
  /// The NumPy equivalent is `numpy.var(a, axis=axes, ddof=ddof, keepdims=keepDims)`.
  /// As in NumPy, `count − ddof ≤ 0` divides by zero (inf or NaN). Computed in `Double`
  /// (exact integer moments for 8/16-bit integers, two-pass per chunk otherwise). Traps on
  /// an axis out of range or repeated.
  @inlinable
  public func variance(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false)
    -> NDArray<Element.MeanResult>
  {
    let v = _variancesInDouble(axes: axes, ddof: ddof, keepDims: keepDims)
    return NDArray<Element.MeanResult>(v.flatElements.map { Element.MeanResult($0) }, shape: v.shape)
  }

  /// The variance over `axes` (`numpy.var`); the same as ``variance(axes:ddof:keepDims:)``.
  @inlinable
  public func `var`(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false)
    -> NDArray<Element.MeanResult>
  {
    variance(axes: axes, ddof: ddof, keepDims: keepDims)
  }

  /// The standard deviation over `axes`: the square root of
  /// ``variance(axes:ddof:keepDims:)``.
  ///
  /// The NumPy equivalent is `numpy.std(a, axis=axes, ddof=ddof, keepdims=keepDims)`.
  /// Traps on an axis out of range or repeated.
  @inlinable
  public func std(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false)
    -> NDArray<Element.MeanResult>
  {
    let v = _variancesInDouble(axes: axes, ddof: ddof, keepDims: keepDims)
    return NDArray<Element.MeanResult>(
      v.flatElements.map { Element.MeanResult($0.squareRoot()) },
      shape: v.shape)
  }

  /// The smallest element over `axes`; NaN if any element is NaN.
  ///
  /// The NumPy equivalent is `numpy.min(a, axis=axes, keepdims=keepDims)` (`amin`).
  /// Traps on an empty reduction (NumPy raises "zero-size array to reduction operation
  /// minimum which has no identity") and on an axis out of range or repeated.
  @inlinable
  public func min(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Element> {
    _withReduction(axes: axes, keepDims: keepDims) { base, layout in
      NDArray(NDArray._extrema(base, layout, wantMax: false, shape: shape), shape: layout.resultShape)
    }
  }

  /// The largest element over `axes`; NaN if any element is NaN.
  ///
  /// The NumPy equivalent is `numpy.max(a, axis=axes, keepdims=keepDims)` (`amax`).
  /// Traps on an empty reduction and on an axis out of range or repeated.
  @inlinable
  public func max(axes: [Int]? = nil, keepDims: Bool = false) -> NDArray<Element> {
    _withReduction(axes: axes, keepDims: keepDims) { base, layout in
      NDArray(NDArray._extrema(base, layout, wantMax: true, shape: shape), shape: layout.resultShape)
    }
  }

  /// Means in `Double` whatever the element type (the statistics behind `mean`).
  @inlinable
  func _meansInDouble(axes: [Int]?, keepDims: Bool) -> NDArray<Double> {
    _withReduction(axes: axes, keepDims: keepDims) { base, layout in
      NDArray<Double>(NDArray._moments(base, layout, wantM2: false).mean, shape: layout.resultShape)
    }
  }

  /// Variances in `Double` whatever the element type.
  @inlinable
  func _variancesInDouble(axes: [Int]?, ddof: Int, keepDims: Bool) -> NDArray<Double> {
    _withReduction(axes: axes, keepDims: keepDims) { base, layout in
      let m2 = NDArray._moments(base, layout, wantM2: true).m2
      let divisor = Double(Swift.max(layout.rows - ddof, 0))
      return NDArray<Double>(m2.map { $0 / divisor }, shape: layout.resultShape)
    }
  }
}

// MARK: - argmin / argmax

extension NDArray where Element: NDArrayRealElement {
  /// The index of the smallest element along `axis` (nil: of the flattened array); the
  /// first one on ties; the first NaN if there is one.
  ///
  /// The NumPy equivalent is `numpy.argmin(a, axis=axis, keepdims=keepDims)`. Traps on an empty axis and an
  /// axis out of range.
  @inlinable
  public func argmin(axis: Int? = nil, keepDims: Bool = false) -> NDArray<Int64> {
    _argExtremum(axis: axis, wantMax: false)._keepingReducedAxis(axis, rank: rank, keepDims: keepDims)
  }

  /// The index of the largest element along `axis` (nil: of the flattened array); the
  /// first one on ties; the first NaN if there is one.
  ///
  /// The NumPy equivalent is `numpy.argmax(a, axis=axis, keepdims=keepDims)`. Traps on an empty axis and an
  /// axis out of range.
  @inlinable
  public func argmax(axis: Int? = nil, keepDims: Bool = false) -> NDArray<Int64> {
    _argExtremum(axis: axis, wantMax: true)._keepingReducedAxis(axis, rank: rank, keepDims: keepDims)
  }

  @inlinable
  func _argExtremum(axis: Int?, wantMax: Bool) -> NDArray<Int64> {
    let name = wantMax ? "argmax" : "argmin"
    let source: NDArray
    let resultShape: [Int]
    if let axis {
      precondition(
        axis >= -rank && axis < rank,
        "axis \(axis) is out of bounds for array of dimension \(rank) (shape \(shape))")
      let a = axis < 0 ? axis + rank : axis
      var order = Array(0..<rank)
      order.remove(at: a)
      order.append(a)
      source = transposed(order).contiguous()
      resultShape = Array(source.shape.dropLast())
    } else {
      source = contiguous().reshaped([count])
      resultShape = []
    }
    let length = source.shape.last ?? 1
    let results = NDArray.elementCount(of: resultShape)
    precondition(
      length > 0 || results == 0,
      "attempt to get \(name) of an empty sequence (shape \(shape))")
    var indices = [Int64](repeating: 0, count: results)
    source.withUnsafeStridedStorage { base, offset, _, _ in
      for r in 0..<results {
        let row = base + offset + r * length
        var best = row[0], bestIndex = 0
        if best == best {
          for i in 1..<Swift.max(length, 1) {
            let v = row[i]
            if v != v { bestIndex = i; break }
            if wantMax ? v > best : v < best { best = v; bestIndex = i }
          }
        }
        indices[r] = Int64(bestIndex)
      }
    }
    return NDArray<Int64>(indices, shape: resultShape)
  }
}

extension NDArray {
  /// The result of a reduction over `axis` (nil: all axes) of an array of `rank`, with
  /// the reduced axes put back with size 1 when `keepDims` (NumPy's `keepdims=True`).
  @inlinable
  func _keepingReducedAxis(_ axis: Int?, rank: Int, keepDims: Bool) -> NDArray {
    guard keepDims else { return self }
    guard let axis else { return reshaped([Int](repeating: 1, count: rank)) }
    return expandingDims(at: axis < 0 ? axis + rank : axis)
  }
}
