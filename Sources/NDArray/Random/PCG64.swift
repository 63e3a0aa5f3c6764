// NumPy's default bit generator: PCG64 (128-bit LCG, XSL-RR output).

/// The PCG64 bit generator exactly as NumPy runs it: a 128-bit linear congruential state
/// with the XSL-RR output function, plus the one buffered 32-bit half that NumPy keeps for
/// 32-bit draws.
///
/// The NumPy equivalent is `numpy.random.PCG64` (not `PCG64DXSM`). `next()` is
/// `PCG64.random_raw()`; `nextUInt32()` is the bit generator's `next_uint32`, which hands
/// out the low half of a fresh 64-bit output and keeps the high half for the next 32-bit
/// call (`has_uint32` / `uinteger` in `PCG64.state`). 64-bit draws leave that buffer alone,
/// as in NumPy.
///
/// The 128-bit arithmetic is written on two `UInt64` halves so the type works wherever
/// Swift runs, without `UInt128`'s availability limits.
public struct PCG64: RandomNumberGenerator, Sendable {
  @usableFromInline var stateHigh: UInt64
  @usableFromInline var stateLow: UInt64
  @usableFromInline var incrementHigh: UInt64
  @usableFromInline var incrementLow: UInt64
  /// Whether a 32-bit half is buffered (`has_uint32`).
  @usableFromInline var hasUInt32 = false
  /// The buffered high half of the last 64-bit output taken for a 32-bit draw (`uinteger`).
  @usableFromInline var bufferedUInt32: UInt32 = 0

  @usableFromInline static let multiplierHigh: UInt64 = 0x2360_ED05_1FC6_5DA4
  @usableFromInline static let multiplierLow: UInt64 = 0x4385_DF64_9FCC_F645

  /// The generator NumPy builds from `seedSequence` (`numpy.random.PCG64(seed_seq)`).
  ///
  /// NumPy draws four 64-bit words: the first two are the initial state (high, low), the
  /// last two the stream selector (high, low); then it runs PCG's `srandom`.
  public init(seedSequence: SeedSequence) {
    let words = seedSequence.generateState64(count: 4)
    self.init(state: (words[0], words[1]), stream: (words[2], words[3]))
  }

  /// The generator for a seed (`numpy.random.PCG64(seed)`).
  public init(seed: UInt64) {
    self.init(seedSequence: SeedSequence(seed))
  }

  /// PCG's `pcg_setseq_128_srandom_r`: increment = stream·2 + 1, state = 0, step,
  /// add the initial state, step.
  init(state: (high: UInt64, low: UInt64), stream: (high: UInt64, low: UInt64)) {
    incrementHigh = stream.high << 1 | stream.low >> 63
    incrementLow = stream.low << 1 | 1
    stateHigh = 0
    stateLow = 0
    step()
    let (low, carry) = stateLow.addingReportingOverflow(state.low)
    stateLow = low
    stateHigh = stateHigh &+ state.high &+ (carry ? 1 : 0)
    step()
  }

  /// One LCG step: state = state · multiplier + increment (mod 2¹²⁸).
  @inlinable
  mutating func step() {
    let (productHigh, productLow) = stateLow.multipliedFullWidth(by: PCG64.multiplierLow)
    let high = productHigh &+ stateLow &* PCG64.multiplierHigh &+ stateHigh &* PCG64.multiplierLow
    let (low, carry) = productLow.addingReportingOverflow(incrementLow)
    stateLow = low
    stateHigh = high &+ incrementHigh &+ (carry ? 1 : 0)
  }

  /// The next 64 random bits (`PCG64.random_raw()`): step, then XSL-RR of the new state.
  @inlinable
  public mutating func next() -> UInt64 {
    step()
    let folded = stateHigh ^ stateLow
    let rotation = stateHigh >> 58
    return folded >> rotation | folded << ((64 &- rotation) & 63)
  }

  /// The next 32 random bits as NumPy's `next_uint32` gives them: the buffered half if
  /// there is one, else the low half of a fresh 64-bit output (keeping the high half).
  @inlinable
  public mutating func nextUInt32() -> UInt32 {
    if hasUInt32 {
      hasUInt32 = false
      return bufferedUInt32
    }
    let value = next()
    hasUInt32 = true
    bufferedUInt32 = UInt32(truncatingIfNeeded: value >> 32)
    return UInt32(truncatingIfNeeded: value)
  }

  /// The next double in [0, 1) (`next_double`): the top 53 bits of a 64-bit output
  /// times 2⁻⁵³.
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// The next float in [0, 1) (`next_float`): the top 24 bits of a 32-bit draw times 2⁻²⁴.
  @inlinable
  public mutating func nextFloat() -> Float {
    Float(nextUInt32() >> 8) * 0x1p-24
  }
}
