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
    withElementType(RawConversion(raw: raw, count: count, target: target, sourceDType: self))
  }
}

/// The loop of ``DType/convertElements(_:count:into:)`` for one source element type.
private struct RawConversion<Target: NDArrayElement>: NDArrayElementTypeVisitor {
  let raw: UnsafeRawPointer
  let count: Int
  let target: UnsafeMutablePointer<Target>
  /// The dtype `raw` holds (the visited element type's).
  let sourceDType: DType

  func visit<Element: NDArrayElement>(_ type: Element.Type) {
    let source = raw.assumingMemoryBound(to: Element.self)
    if Element.self == Target.self {
      UnsafeMutableRawPointer(target).copyMemory(from: raw, byteCount: count * MemoryLayout<Element>.stride)
      return
    }
    if convertedDirectly() { return }
    for i in 0..<count { target[i] = Target(_castFrom: source[i]._castValue) }
  }

  /// The common conversions to `Double`, `Float` and `Float16` as plain typed loops (the
  /// general path above goes through ``_NDArrayCastValue`` per element, about 30 times
  /// slower); the same values, rounded to nearest as NumPy's C casts round. False when
  /// this pair has no such loop.
  private func convertedDirectly() -> Bool {
    let out = UnsafeMutableRawPointer(target)
    switch Target.dtype {
    case .float64:
      switch sourceDType {
      case .float32: loop(out, { (v: Float) in Double(v) })
      case .float16: loop(out, { (v: Float16) in Double(v) })
      case .bool: loop(out, { (v: Bool) in v ? 1.0 : 0.0 })
      case .int8: loop(out, { (v: Int8) in Double(v) })
      case .uint8: loop(out, { (v: UInt8) in Double(v) })
      case .int16: loop(out, { (v: Int16) in Double(v) })
      case .uint16: loop(out, { (v: UInt16) in Double(v) })
      case .int32: loop(out, { (v: Int32) in Double(v) })
      case .uint32: loop(out, { (v: UInt32) in Double(v) })
      case .int64: loop(out, { (v: Int64) in Double(v) })
      case .uint64: loop(out, { (v: UInt64) in Double(v) })
      default: return false
      }
    case .float32:
      switch sourceDType {
      case .float64: loop(out, { (v: Double) in Float(v) })
      case .float16: loop(out, { (v: Float16) in Float(v) })
      case .bool: loop(out, { (v: Bool) in v ? Float(1) : 0 })
      case .int8: loop(out, { (v: Int8) in Float(v) })
      case .uint8: loop(out, { (v: UInt8) in Float(v) })
      case .int16: loop(out, { (v: Int16) in Float(v) })
      case .uint16: loop(out, { (v: UInt16) in Float(v) })
      default: return false
      }
    case .float16:
      switch sourceDType {
      case .float64: loop(out, { (v: Double) in Float16(v) })
      case .float32: loop(out, { (v: Float) in Float16(v) })
      default: return false
      }
    default: return false
    }
    return true
  }

  /// `target[i] = convert(source[i])` over the chunk.
  @inline(__always)
  private func loop<Source, Destination>(_ out: UnsafeMutableRawPointer, _ convert: (Source) -> Destination) {
    let source = raw.assumingMemoryBound(to: Source.self)
    let destination = out.assumingMemoryBound(to: Destination.self)
    for i in 0..<count { destination[i] = convert(source[i]) }
  }
}
