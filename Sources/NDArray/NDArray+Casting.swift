extension NDArray {
  /// A C-contiguous copy of the array with every element converted to `type`, following
  /// NumPy's casting rules.
  ///
  /// The NumPy equivalent is `ndarray.astype(dtype)` (with `casting='unsafe'`, NumPy's
  /// default):
  /// - integer → integer wraps (two's complement), as C casts do;
  /// - integer → float and float → float round to nearest; overflow gives ±inf;
  /// - float → integer truncates toward zero. Out-of-range values and NaN are undefined
  ///   in NumPy; we return what NumPy 2.4 returns on x86-64 (the `cvttsd2si` "integer
  ///   indefinite" value: `Int32.min` for `int32`, `Int64.min` for `int64`, its low bits
  ///   for 8/16-bit types, so e.g. `300.0 → uint8 44`, `-1.0 → uint8 255`, NaN → 0);
  /// - to `Bool`: nonzero is `true` (NaN is `true`); from `Bool`: 0 or 1;
  /// - complex → real keeps the real part (NumPy warns with `ComplexWarning`); real →
  ///   complex has a zero imaginary part.
  ///
  /// ```swift
  /// let pixels = NDArray<UInt8>([0, 128, 255])
  /// let unit = pixels.astype(Float.self)   // [0.0, 128.0, 255.0]
  /// ```
  ///
  /// - Complexity: O(`count`), split across cores for large arrays.
  @inlinable
  public func astype<Target: NDArrayElement>(_ type: Target.Type) -> NDArray<Target> {
    let source = contiguous()
    let total = source.count
    return NDArray<Target>(unsafeUninitializedShape: shape) { destination in
      guard let out = destination.baseAddress, total > 0 else { return }
      source.withUnsafeStridedStorage { base, offset, _, _ in
        let input = base + offset
        if _castFastPath(input, out, total) { return }
        _Parallel.mapContiguous(input, out, count: total) { Target(_castFrom: $0._castValue) }
      }
    }
  }
}

/// Dedicated loops for the conversions that image pipelines run on large arrays; returns
/// false when the pair has none (the generic path then runs).
@inlinable
func _castFastPath<Source, Target>(
  _ input: UnsafePointer<Source>, _ out: UnsafeMutablePointer<Target>, _ count: Int
) -> Bool {
  @inline(__always)
  func run<S, T>(_ s: S.Type, _ t: T.Type, _ transform: (S) -> T) -> Bool {
    let i = UnsafeRawPointer(input).assumingMemoryBound(to: S.self)
    let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: T.self)
    _Parallel.mapContiguous(i, o, count: count, transform)
    return true
  }
  if Source.self == UInt8.self {
    if Target.self == Float.self { return run(UInt8.self, Float.self) { Float($0) } }
    if Target.self == Double.self { return run(UInt8.self, Double.self) { Double($0) } }
    if Target.self == Float16.self { return run(UInt8.self, Float16.self) { Float16($0) } }
  } else if Source.self == Float.self {
    if Target.self == Double.self { return run(Float.self, Double.self) { Double($0) } }
    if Target.self == Float16.self { return run(Float.self, Float16.self) { Float16($0) } }
  } else if Source.self == Double.self {
    if Target.self == Float.self { return run(Double.self, Float.self) { Float($0) } }
  } else if Source.self == Float16.self {
    if Target.self == Float.self { return run(Float16.self, Float.self) { Float($0) } }
  }
  return false
}

extension _Parallel {
  /// Fixed block size for element-wise work: blocks never depend on the thread count.
  @usableFromInline static let elementBlock = 1 << 16

  /// `out[i] = transform(input[i])` for `i` in `0..<count`, in parallel blocks. The output
  /// memory may be uninitialized (trivial element types only).
  @inlinable
  static func mapContiguous<S, T>(
    _ input: UnsafePointer<S>, _ out: UnsafeMutablePointer<T>, count: Int, _ transform: (S) -> T
  ) {
    let blocks = (count + elementBlock - 1) / elementBlock
    let i = _UnsafeSendable(input), o = _UnsafeSendable(out)
    forEach(items: blocks, elements: count) { block in
      let start = block * elementBlock
      let end = Swift.min(count, start + elementBlock)
      let src = i.value, dst = o.value
      for k in start..<end { (dst + k).initialize(to: transform(src[k])) }
    }
  }
}
