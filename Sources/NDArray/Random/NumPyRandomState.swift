// NumPy's legacy generator: MT19937 seeded as `np.random.RandomState(seed)`, and its shuffle.

/// The Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998), the bit generator of
/// NumPy's `np.random.RandomState` and `np.random.MT19937`.
///
/// Seeded from one 32-bit integer the way `RandomState(seed)` seeds it
/// (`mt19937_seed`, the reference `init_genrand`), it yields NumPy's `uint32` stream.
public struct MT19937: Sendable {
  private var state = [UInt32](repeating: 0, count: 624)
  private var position = 624

  /// The generator `np.random.RandomState(seed)` starts from (`init_genrand(seed)`).
  public init(seed: UInt32) {
    state[0] = seed
    for i in 1..<624 {
      let previous = state[i - 1]
      state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
    }
  }

  /// The next 32-bit output (`genrand_int32`; NumPy's `next_uint32`).
  public mutating func nextUInt32() -> UInt32 {
    if position >= 624 { regenerate() }
    var y = state[position]
    position += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// The next 64-bit output: two 32-bit outputs, the first in the high half (NumPy's
  /// `mt19937_next64`).
  public mutating func nextUInt64() -> UInt64 {
    let high = UInt64(nextUInt32())
    return high << 32 | UInt64(nextUInt32())
  }

  private mutating func regenerate() {
    for i in 0..<624 {
      let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
      var next = state[(i + 397) % 624] ^ (y >> 1)
      if y & 1 != 0 { next ^= 0x9908_B0DF }
      state[i] = next
    }
    position = 0
  }
}

/// NumPy's legacy random state, `np.random.RandomState(seed)`, for the draws that must match
/// it bit for bit (Keras shuffles its file list with `RandomState(seed).shuffle`).
public struct NumPyRandomState: Sendable {
  /// The bit generator.
  public var bitGenerator: MT19937

  /// `np.random.RandomState(seed)` for an integer seed in `0 ..< 2**32`.
  public init(seed: UInt32) { bitGenerator = MT19937(seed: seed) }

  /// A uniform integer in `0...max` (NumPy's legacy `random_interval`): the smallest bit
  /// mask covering `max`, and masked draws rejected until one is `<= max`; 32-bit draws
  /// when `max` fits in 32 bits, else 64-bit draws.
  public mutating func interval(_ max: UInt64) -> UInt64 {
    if max == 0 { return 0 }
    var mask = max
    for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
    if max <= 0xFFFF_FFFF {
      while true {
        let value = UInt64(bitGenerator.nextUInt32()) & mask
        if value <= max { return value }
      }
    }
    while true {
      let value = bitGenerator.nextUInt64() & mask
      if value <= max { return value }
    }
  }

  /// Shuffles in place as `RandomState.shuffle(x)` shuffles a Python list or a 1-d array:
  /// for `i` from `n - 1` down to 1, swap `x[i]` with `x[interval(i)]`.
  public mutating func shuffle<T>(_ elements: inout [T]) {
    guard elements.count > 1 else { return }
    for i in stride(from: elements.count - 1, to: 0, by: -1) {
      elements.swapAt(i, Int(interval(UInt64(i))))
    }
  }
}
