// The engine behind every element-wise operation of two arrays with NumPy broadcasting.
//
// Fast path: one operand C-contiguous with the result's shape, the other a C-contiguous
// array whose shape (without leading 1s) is a suffix of the result's — a scalar, a
// per-channel vector, a same-shape array. Then the small operand repeats with period
// `count` along the flat result, and the loop is a flat, vectorisable walk split across
// cores. Everything else goes through a strided walk over the broadcast views.

extension NDArray {
  /// The period of `small` along the flat C order of an array of shape `shape`, when
  /// `small` is C-contiguous and broadcasts to `shape` by repetition; else nil.
  @inlinable
  static func _repetitionPeriod(of small: NDArray, in shape: [Int]) -> Int? {
    guard small.isCContiguous else { return nil }
    var smallShape = small.shape[...]
    while let first = smallShape.first, first == 1 { smallShape = smallShape.dropFirst() }
    guard smallShape.count <= shape.count, Array(shape.suffix(smallShape.count)) == Array(smallShape) else {
      return nil
    }
    return small.count
  }

  /// `out[i] = op(a[i], b[i mod period])` (or with the roles swapped when
  /// `periodicOnLeft`) for `i` in `0..<count`, in parallel blocks. `out` may alias `big`.
  @inlinable
  static func _periodicBinary<Op: _BinaryOperation>(
    big: UnsafePointer<Element>, periodic: UnsafePointer<Element>, period: Int,
    periodicOnLeft: Bool, count: Int, out: UnsafeMutablePointer<Op.Output>, _ op: Op
  ) where Op.Operand == Element {
    if count == 0 { return }
    // Repeat a short period into a lane buffer so the inner loop runs long enough to
    // vectorise.
    let lanes = period >= 64 ? period : period * ((64 + period - 1) / period)
    withUnsafeTemporaryAllocation(of: Element.self, capacity: period >= 64 ? 1 : lanes) { scratch in
      let lane: UnsafePointer<Element>
      if period >= 64 {
        lane = periodic
      } else {
        for j in 0..<lanes { (scratch.baseAddress! + j).initialize(to: periodic[j % period]) }
        lane = UnsafePointer(scratch.baseAddress!)
      }
      let block = _Parallel.elementBlock
      let blocks = (count + block - 1) / block
      let inPlace = UnsafeRawPointer(big) == UnsafeRawPointer(out) && !periodicOnLeft
      let b = _UnsafeSendable(big), l = _UnsafeSendable(lane), o = _UnsafeSendable(out)
      _Parallel.forEach(items: blocks, elements: count) { item in
        var i = item * block
        let end = Swift.min(count, i + block)
        var j = i % lanes
        let bigBase = b.value, laneBase = l.value, outBase = o.value
        while i < end {
          let length = Swift.min(end - i, lanes - j)
          let x = bigBase + i, y = laneBase + j, z = outBase + i
          if inPlace {
            // Read and write through one pointer so the compiler sees no aliasing
            // between input and output and vectorises.
            let w = UnsafeMutableRawPointer(z).assumingMemoryBound(to: Element.self)
            for k in 0..<length { z[k] = op(w[k], y[k]) }
          } else if periodicOnLeft {
            for k in 0..<length { z[k] = op(y[k], x[k]) }
          } else {
            for k in 0..<length { z[k] = op(x[k], y[k]) }
          }
          i += length
          j = 0
        }
      }
      if period < 64 { scratch.baseAddress!.deinitialize(count: lanes) }
    }
  }

  /// Calls `body(position, aOffset, bOffset)` for every element of the broadcast shape in
  /// C order, with storage offsets into `a` and `b` (strided walk; the general path).
  @inlinable
  static func _forEachBroadcastPair(
    _ a: NDArray, _ b: NDArray, shape: [Int],
    _ body: (_ position: Int, _ aIndex: Int, _ bIndex: Int) -> Void
  ) {
    let total = NDArray.elementCount(of: shape)
    if total == 0 { return }
    let va = a.broadcast(to: shape), vb = b.broadcast(to: shape)
    let rank = shape.count
    if rank == 0 { body(0, va.offset, vb.offset); return }
    let inner = shape[rank - 1], sa = va.strides[rank - 1], sb = vb.strides[rank - 1]
    var outer = COrderOdometer(shape: Array(shape[..<(rank - 1)]))
    let stepsA = outer.offsetSteps(strides: Array(va.strides[..<(rank - 1)]))
    let stepsB = outer.offsetSteps(strides: Array(vb.strides[..<(rank - 1)]))
    var pa = va.offset, pb = vb.offset, position = 0
    while position < total {
      for k in 0..<inner { body(position + k, pa + k * sa, pb + k * sb) }
      position += inner
      if let axis = outer.advance() {
        pa += stepsA[axis]
        pb += stepsB[axis]
      }
    }
  }

  /// A new array of `op(a, b)` element by element, broadcasting `a` and `b` (NumPy's ufunc
  /// machinery, e.g. `numpy.frompyfunc(op, 2, 1)(a, b)`). Traps when the shapes do not
  /// broadcast.
  @inlinable
  public static func elementwise<Result: NDArrayElement>(
    _ a: NDArray, _ b: NDArray, _ op: (Element, Element) -> Result
  ) -> NDArray<Result> {
    withoutActuallyEscaping(op) { _elementwise(a, b, _ClosureBinary($0)) }
  }

  @inlinable
  static func _elementwise<Op: _BinaryOperation>(_ a: NDArray, _ b: NDArray, _ op: Op)
    -> NDArray<Op.Output> where Op.Operand == Element, Op.Output: NDArrayElement
  {
    let shape = broadcastShapes(a.shape, b.shape)
    let total = NDArray.elementCount(of: shape)
    return NDArray<Op.Output>(unsafeUninitializedShape: shape) { out in
      guard let outBase = out.baseAddress, total > 0 else { return }
      if a.shape == shape, a.isCContiguous, let period = _repetitionPeriod(of: b, in: shape) {
        a.withUnsafeStridedStorage { pa, oa, _, _ in
          b.withUnsafeStridedStorage { pb, ob, _, _ in
            _periodicBinary(
              big: pa + oa, periodic: pb + ob, period: period, periodicOnLeft: false,
              count: total, out: outBase, op)
          }
        }
        return
      }
      if b.shape == shape, b.isCContiguous, let period = _repetitionPeriod(of: a, in: shape) {
        a.withUnsafeStridedStorage { pa, oa, _, _ in
          b.withUnsafeStridedStorage { pb, ob, _, _ in
            _periodicBinary(
              big: pb + ob, periodic: pa + oa, period: period, periodicOnLeft: true,
              count: total, out: outBase, op)
          }
        }
        return
      }
      a.withUnsafeStridedStorage { pa, _, _, _ in
        b.withUnsafeStridedStorage { pb, _, _, _ in
          _forEachBroadcastPair(a, b, shape: shape) { position, ia, ib in
            (outBase + position).initialize(to: op(pa[ia], pb[ib]))
          }
        }
      }
    }
  }

  /// Replaces every element `x` of `self` by `op(x, y)`, `y` the matching element of
  /// `other` broadcast to `self`'s shape (NumPy's `ufunc(a, b, out=a)`).
  ///
  /// Traps when `other` does not broadcast to `self`'s shape ("non-broadcastable output
  /// operand").
  @inlinable
  public mutating func applyElementwise(_ other: NDArray, _ op: (Element, Element) -> Element) {
    withoutActuallyEscaping(op) { _apply(other, _ClosureBinary($0)) }
  }

  @inlinable
  mutating func _apply<Op: _BinaryOperation>(_ other: NDArray, _ op: Op)
  where Op.Operand == Element, Op.Output == Element {
    let shape = broadcastShapes(self.shape, other.shape)
    precondition(
      shape == self.shape,
      "non-broadcastable output operand with shape \(self.shape) doesn't match the broadcast shape \(shape) (other operand shape \(other.shape))"
    )
    if !isCContiguous { self = contiguousCopy() } else { makeUnique() }
    let total = count
    if total == 0 { return }
    let base = _storage.base + offset
    // `other` may share our storage (x -= x); then read from a private copy.
    let source = other._storage === _storage ? other.contiguousCopy() : other
    if let period = NDArray._repetitionPeriod(of: source, in: shape) {
      source.withUnsafeStridedStorage { pb, ob, _, _ in
        NDArray._periodicBinary(
          big: UnsafePointer(base), periodic: pb + ob, period: period,
          periodicOnLeft: false, count: total, out: base, op)
      }
      return
    }
    source.withUnsafeStridedStorage { pb, _, _, _ in
      let me = NDArray(_storage: _storage, shape: shape, strides: NDArray.cStrides(for: shape), offset: offset)
      NDArray._forEachBroadcastPair(me, source, shape: shape) { position, ia, ib in
        base[position] = op(base[position], pb[ib])
      }
    }
  }
}
