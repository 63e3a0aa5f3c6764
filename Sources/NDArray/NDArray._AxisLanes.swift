// The one loop behind every operation that works on the 1-d lanes along an axis (sort,
// cumsum, quantile, …): move the axis last, make it contiguous, run a kernel per lane,
// move the axis back. Implementation detail; no stable API.

extension NDArray {
  /// A new C-contiguous array whose lanes along `axis` (nil: the flattened array, whose
  /// result is 1-d) are `body(inputLane, outputLane)`. The output lane has
  /// `outputLength` elements (nil: the input lane's length), all of which `body` must
  /// write. Traps on an axis out of range.
  @inlinable
  func _mapLanes<R: NDArrayElement>(
    axis: Int?, outputLength: Int? = nil,
    _ body: (UnsafeBufferPointer<Element>, UnsafeMutableBufferPointer<R>) -> Void
  ) -> NDArray<R> {
    guard let axis else { return raveled()._mapLanes(axis: 0, outputLength: outputLength, body) }
    let a = _checkedAxis(axis)
    var order = Array(0..<rank)
    order.remove(at: a)
    order.append(a)
    let source = transposed(order).contiguous()
    let length = shape[a]
    let lanes = NDArray.elementCount(of: Array(source.shape.dropLast()))
    let outLength = outputLength ?? length
    let moved = NDArray<R>(unsafeUninitializedShape: Array(source.shape.dropLast()) + [outLength]) { out in
      guard let destination = out.baseAddress else { return }
      if out.isEmpty { return }
      source.withUnsafeStridedStorage { base, offset, _, _ in
        for lane in 0..<lanes {
          let input = UnsafeBufferPointer(start: base + offset + lane * length, count: length)
          let output = UnsafeMutableBufferPointer(start: destination + lane * outLength, count: outLength)
          body(input, output)
        }
      }
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (position, original) in order.enumerated() { inverse[original] = position }
    return moved.transposed(inverse).contiguous()
  }
}
