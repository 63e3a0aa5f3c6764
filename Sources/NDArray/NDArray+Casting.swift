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
  ///   for 8/16-bit types, so e.g. `300.0 → uint8 44`, `-1.0 → uint8 255`, NaN → 0;
  ///   for `uint32`/`uint64`, values ≥ 2³¹/2⁶³ are reduced by that first, so NaN and
  ///   -inf give 2³¹/2⁶³ and +inf gives 0 — NumPy's own answer for these depends on
  ///   whether the element lands in its SIMD loop or its scalar tail);
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
        _Parallel.mapContiguous(input, out, count: total, _Cast<Element, Target>())
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
  func run<Op: _UnaryOperation>(_ op: Op) -> Bool {
    let i = UnsafeRawPointer(input).assumingMemoryBound(to: Op.Input.self)
    let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Op.Output.self)
    _Parallel.mapContiguous(i, o, count: count, op)
    return true
  }
  if Source.self == UInt8.self {
    if Target.self == Float.self {
      let i = _UnsafeSendable(UnsafeRawPointer(input).assumingMemoryBound(to: UInt8.self))
      let o = _UnsafeSendable(UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self))
      let block = _Parallel.elementBlock
      _Parallel.forEach(items: (count + block - 1) / block, elements: count) { item in
        let start = item * block
        _uint8ToFloat(i.value + start, o.value + start, count: Swift.min(block, count - start))
      }
      return true
    }
    if Target.self == Double.self { return run(_Convert<UInt8, Double>()) }
    if Target.self == Float16.self { return run(_Convert<UInt8, Float16>()) }
  } else if Source.self == Float.self {
    if Target.self == Double.self { return run(_ConvertFloat<Float, Double>()) }
    if Target.self == Float16.self { return run(_ConvertFloat<Float, Float16>()) }
  } else if Source.self == Double.self {
    if Target.self == Float.self { return run(_ConvertFloat<Double, Float>()) }
  } else if Source.self == Float16.self {
    if Target.self == Float.self { return run(_ConvertFloat<Float16, Float>()) }
  }
  return false
}

extension _Parallel {
  /// Fixed block size for element-wise work: blocks never depend on the thread count.
  @usableFromInline static let elementBlock = 1 << 16

  /// `out[i] = transform(input[i])` for `i` in `0..<count`, in parallel blocks. The output
  /// memory may be uninitialized (trivial element types only).
  @inlinable
  static func mapContiguous<Op: _UnaryOperation>(
    _ input: UnsafePointer<Op.Input>, _ out: UnsafeMutablePointer<Op.Output>, count: Int, _ transform: Op
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

/// A plain numeric conversion (`Float(x)`), for the cast fast paths.
@usableFromInline
struct _Convert<S: BinaryInteger & Sendable, T: BinaryFloatingPoint>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: S) -> T { T(x) }
}

/// A plain floating-point conversion (`Double(x)`), for the cast fast paths.
@usableFromInline
struct _ConvertFloat<S: BinaryFloatingPoint, T: BinaryFloatingPoint>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: S) -> T { T(x) }
}
