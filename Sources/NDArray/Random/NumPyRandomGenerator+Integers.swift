// Bounded integers: Generator.integers (Lemire's method as NumPy runs it) and the
// masked rejection NumPy's shuffle uses.

extension NumPyRandomGenerator {
  /// An integer in [low, high) (`rng.integers(low, high, dtype=...)` with `size=None`;
  /// `endpoint: true` makes it [low, high]).
  ///
  /// `T` picks NumPy's dtype: `Int64` is NumPy's default `np.int64`; `Int32`, `Int16`,
  /// `Int8` and their unsigned twins match `dtype=np.int32` … `np.uint8`. The draw uses
  /// Lemire's multiply-and-reject method exactly as NumPy does: 32-bit draws (sharing
  /// NumPy's buffered half) for ranges below 2³², 64-bit draws above, and for 8- and
  /// 16-bit dtypes bytes and half-words taken in turn from 32-bit draws.
  ///
  /// Traps if the interval is empty (NumPy raises `ValueError: low >= high`).
  @inlinable
  public mutating func integers<T: FixedWidthInteger & NDArrayElement>(
    low: T, high: T, endpoint: Bool = false
  ) -> T {
    var sampler = _BoundedIntegerSampler(low: low, high: high, endpoint: endpoint)
    return T(truncatingIfNeeded: sampler.next(&bitGenerator))
  }

  /// `count` integers in [low, high) as a one-dimensional array
  /// (`rng.integers(low, high, count, dtype=...)`). Traps as ``integers(low:high:endpoint:)``.
  @inlinable
  public mutating func integers<T: FixedWidthInteger & NDArrayElement>(
    low: T, high: T, count: Int, endpoint: Bool = false
  ) -> NDArray<T> {
    integers(low: low, high: high, shape: [count], endpoint: endpoint)
  }

  /// An array of integers in [low, high) (`rng.integers(low, high, shape, dtype=...)`).
  ///
  /// One call draws its values in order with one 8/16-bit buffer, as NumPy's fill does, so
  /// `integers(..., shape: [6])` equals six scalar calls only for 32- and 64-bit dtypes.
  /// Traps as ``integers(low:high:endpoint:)``, or if a dimension is negative.
  @inlinable
  public mutating func integers<T: FixedWidthInteger & NDArrayElement>(
    low: T, high: T, shape: [Int], endpoint: Bool = false
  ) -> NDArray<T> {
    var sampler = _BoundedIntegerSampler(low: low, high: high, endpoint: endpoint)
    return fill(shape: shape) { T(truncatingIfNeeded: sampler.next(&$0.bitGenerator)) }
  }

  /// `count` int64 values in [low, high) from plain `Int` bounds
  /// (`rng.integers(low, high, count)`, NumPy's default dtype `np.int64`), so that
  /// `rng.integers(low: 0, high: 10, count: 5)` reads as it does in Python.
  /// Traps as ``integers(low:high:endpoint:)``.
  @inlinable
  public mutating func integers(low: Int, high: Int, count: Int, endpoint: Bool = false) -> NDArray<Int64> {
    integers(low: Int64(low), high: Int64(high), shape: [count], endpoint: endpoint)
  }

  /// An int64 array of `shape` with values in [low, high) from plain `Int` bounds
  /// (`rng.integers(low, high, shape)`). Traps as ``integers(low:high:endpoint:)``.
  @inlinable
  public mutating func integers(low: Int, high: Int, shape: [Int], endpoint: Bool = false) -> NDArray<Int64> {
    integers(low: Int64(low), high: Int64(high), shape: shape, endpoint: endpoint)
  }

  /// NumPy's `random_bounded_uint64(state, 0, range, 0, false)`: a value in [0, range] by
  /// Lemire's method (32-bit draws when `range` < 2³²). `choice` and its shuffles use it.
  mutating func boundedUInt64(_ range: UInt64) -> UInt64 {
    var sampler = _BoundedIntegerSampler(offset: 0, range: range, bitWidth: 64)
    return sampler.next(&bitGenerator)
  }

  /// NumPy's `random_interval(state, max)`: a value in [0, max] by masking draws to the
  /// smallest all-ones mask ≥ `max` and rejecting values above it (32-bit draws when
  /// `max` < 2³²). `shuffle` and `permutation` use it.
  mutating func interval(_ max: UInt64) -> UInt64 {
    if max == 0 { return 0 }
    var mask = max
    mask |= mask >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    mask |= mask >> 16
    mask |= mask >> 32
    if max <= UInt64(UInt32.max) {
      while true {
        let value = UInt64(nextUInt32()) & mask
        if value <= max { return value }
      }
    }
    while true {
      let value = next() & mask
      if value <= max { return value }
    }
  }
}

/// One call's worth of NumPy's `random_bounded_uint{8,16,32,64}_fill` (unmasked): the offset,
/// the inclusive range, the dtype width, and the byte/half-word buffer that 8- and 16-bit
/// fills keep for the length of one call.
///
/// This type provides no stable API.
@usableFromInline
struct _BoundedIntegerSampler {
  /// `low` as the dtype's unsigned bits, sign-extended to 64 bits.
  @usableFromInline let offset: UInt64
  /// `high - low` (or `high - 1 - low`), the largest value drawn before adding `offset`.
  @usableFromInline let range: UInt64
  @usableFromInline let bitWidth: Int
  @usableFromInline var buffer: UInt32 = 0
  @usableFromInline var bufferCount = 0

  @inlinable
  init(offset: UInt64, range: UInt64, bitWidth: Int) {
    self.offset = offset
    self.range = range
    self.bitWidth = bitWidth
  }

  @inlinable
  init<T: FixedWidthInteger>(low: T, high: T, endpoint: Bool) {
    precondition(
      endpoint ? low <= high : low < high,
      "integers: empty interval, low \(low) \(endpoint ? ">" : ">=") high \(high)")
    let lowBits = UInt64(truncatingIfNeeded: low)
    let lastBits = UInt64(truncatingIfNeeded: high) &- (endpoint ? 0 : 1)
    self.init(offset: lowBits, range: lastBits &- lowBits, bitWidth: T.bitWidth)
  }

  /// `offset + value` modulo 2⁶⁴; the caller truncates to its dtype.
  @inlinable
  mutating func next(_ bits: inout PCG64) -> UInt64 {
    offset &+ draw(&bits)
  }

  @inlinable
  mutating func draw(_ bits: inout PCG64) -> UInt64 {
    if range == 0 { return 0 }
    switch bitWidth {
    case 8:
      if range == 0xFF { return UInt64(nextByte(&bits)) }
      return UInt64(lemire8(&bits, UInt8(range)))
    case 16:
      if range == 0xFFFF { return UInt64(nextHalfWord(&bits)) }
      return UInt64(lemire16(&bits, UInt16(range)))
    default:
      if range == UInt64(UInt32.max) { return UInt64(bits.nextUInt32()) }
      if range < UInt64(UInt32.max) { return UInt64(lemire32(&bits, UInt32(range))) }
      if range == UInt64.max { return bits.next() }
      return lemire64(&bits, range)
    }
  }

  /// NumPy's `buffered_uint8`: the four bytes of a 32-bit draw, low byte first.
  @inlinable
  mutating func nextByte(_ bits: inout PCG64) -> UInt8 {
    if bufferCount == 0 {
      buffer = bits.nextUInt32()
      bufferCount = 3
    } else {
      buffer >>= 8
      bufferCount -= 1
    }
    return UInt8(truncatingIfNeeded: buffer)
  }

  /// NumPy's `buffered_uint16`: the two halves of a 32-bit draw, low half first.
  @inlinable
  mutating func nextHalfWord(_ bits: inout PCG64) -> UInt16 {
    if bufferCount == 0 {
      buffer = bits.nextUInt32()
      bufferCount = 1
    } else {
      buffer >>= 16
      bufferCount -= 1
    }
    return UInt16(truncatingIfNeeded: buffer)
  }

  // Lemire's method (https://arxiv.org/abs/1805.10941) at each width: scale a draw by
  // range + 1, keep the high half, and reject the few low halves that would bias it.

  @inlinable
  mutating func lemire8(_ bits: inout PCG64, _ range: UInt8) -> UInt8 {
    let excluded = range &+ 1
    var m = UInt16(nextByte(&bits)) &* UInt16(excluded)
    var leftover = UInt8(truncatingIfNeeded: m)
    if leftover < excluded {
      let threshold = (UInt8.max &- range) % excluded
      while leftover < threshold {
        m = UInt16(nextByte(&bits)) &* UInt16(excluded)
        leftover = UInt8(truncatingIfNeeded: m)
      }
    }
    return UInt8(truncatingIfNeeded: m >> 8)
  }

  @inlinable
  mutating func lemire16(_ bits: inout PCG64, _ range: UInt16) -> UInt16 {
    let excluded = range &+ 1
    var m = UInt32(nextHalfWord(&bits)) &* UInt32(excluded)
    var leftover = UInt16(truncatingIfNeeded: m)
    if leftover < excluded {
      let threshold = (UInt16.max &- range) % excluded
      while leftover < threshold {
        m = UInt32(nextHalfWord(&bits)) &* UInt32(excluded)
        leftover = UInt16(truncatingIfNeeded: m)
      }
    }
    return UInt16(truncatingIfNeeded: m >> 16)
  }

  @inlinable
  func lemire32(_ bits: inout PCG64, _ range: UInt32) -> UInt32 {
    let excluded = range &+ 1
    var m = UInt64(bits.nextUInt32()) &* UInt64(excluded)
    var leftover = UInt32(truncatingIfNeeded: m)
    if leftover < excluded {
      let threshold = (UInt32.max &- range) % excluded
      while leftover < threshold {
        m = UInt64(bits.nextUInt32()) &* UInt64(excluded)
        leftover = UInt32(truncatingIfNeeded: m)
      }
    }
    return UInt32(truncatingIfNeeded: m >> 32)
  }

  @inlinable
  func lemire64(_ bits: inout PCG64, _ range: UInt64) -> UInt64 {
    let excluded = range &+ 1
    var (high, leftover) = bits.next().multipliedFullWidth(by: excluded)
    if leftover < excluded {
      let threshold = (UInt64.max &- range) % excluded
      while leftover < threshold {
        (high, leftover) = bits.next().multipliedFullWidth(by: excluded)
      }
    }
    return high
  }
}
