/// A small, fast, seeded random number generator: Sebastiano Vigna's SplitMix64 (64-bit
/// state, one multiply-xorshift output per step), for reproducible test data, benchmarks
/// and samples.
///
/// The NumPy equivalent is `numpy.random.default_rng(seed)` in purpose, not in values: the
/// streams differ. The stream is fixed by `seed` on every machine, and simple enough to
/// repeat in Python (`python-interop/reference.py` does).
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let k = Int.random(in: 0..<10, using: &generator)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// A generator whose stream depends only on `seed`.
  @inlinable public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
