extension DType {
  /// Converts `count` native-endian elements of this dtype stored at `raw` to `Target`,
  /// value by value as ``NDArray/astype(_:)`` converts them (NumPy's casts: round to
  /// nearest for floats, truncation toward zero for float to integer).
  ///
  /// The NumPy equivalent is `np.frombuffer(raw, dtype=self, count=count).astype(target)`.
  /// `raw` must be aligned for this dtype and `target` must have room for `count` elements.
  public func convertElements<Target: NDArrayElement>(
    _ raw: UnsafeRawPointer, count: Int, into target: UnsafeMutablePointer<Target>
  ) {
    withElementType(RawConversion(raw: raw, count: count, target: target))
  }
}

/// The loop of ``DType/convertElements(_:count:into:)`` for one source element type.
private struct RawConversion<Target: NDArrayElement>: NDArrayElementTypeVisitor {
  let raw: UnsafeRawPointer
  let count: Int
  let target: UnsafeMutablePointer<Target>

  func visit<Element: NDArrayElement>(_ type: Element.Type) {
    let source = raw.assumingMemoryBound(to: Element.self)
    if Element.self == Target.self {
      UnsafeMutableRawPointer(target).copyMemory(from: raw, byteCount: count * MemoryLayout<Element>.stride)
      return
    }
    for i in 0..<count { target[i] = Target(_castFrom: source[i]._castValue) }
  }
}
