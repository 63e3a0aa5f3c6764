// NumPy's SeedSequence: turns a seed of any size into well-mixed state words.

/// NumPy's seed mixer: hashes user entropy into a pool of four 32-bit words and expands the
/// pool into as many state words as a bit generator needs.
///
/// The NumPy equivalent is `numpy.random.SeedSequence(entropy)` (with no `spawn_key` and the
/// default `pool_size=4`). `np.random.default_rng(seed)` seeds its `PCG64` through it, so
/// equal entropy here and there gives equal streams.
///
/// ```swift
/// let seq = SeedSequence(42)
/// seq.generateState(wordCount: 4)   // np.random.SeedSequence(42).generate_state(4)
/// ```
public struct SeedSequence: Sendable, Hashable {
  /// The entropy as NumPy sees it: 32-bit words, least significant first.
  public let entropy: [UInt32]
  /// The mixed pool (`SeedSequence.pool`), always four words.
  public let pool: [UInt32]

  static let poolSize = 4
  static let initA: UInt32 = 0x43b0_d7e5
  static let multA: UInt32 = 0x931e_8875
  static let initB: UInt32 = 0x8b51_f9dd
  static let multB: UInt32 = 0x58f3_8ded
  static let mixMultL: UInt32 = 0xca01_f9dd
  static let mixMultR: UInt32 = 0x4973_f715
  static let xshift: UInt32 = 16

  /// A sequence seeded by a non-negative integer (`numpy.random.SeedSequence(seed)`).
  ///
  /// NumPy splits a Python `int` into little-endian 32-bit words; zero is the single word 0.
  public init(_ seed: UInt64) {
    let low = UInt32(truncatingIfNeeded: seed), high = UInt32(truncatingIfNeeded: seed >> 32)
    self.init(entropy: high == 0 ? [low] : [low, high])
  }

  /// A sequence seeded by 32-bit words (`numpy.random.SeedSequence([w0, w1, ...])`).
  ///
  /// The same words, least significant first, are how NumPy reads a Python `int` of any
  /// size, so `SeedSequence(entropy: [7, 0, 0, 16])` equals `SeedSequence(2**100 + 7)`
  /// (as long as the last word is not zero). Traps if `entropy` is empty, as NumPy raises.
  public init(entropy: [UInt32]) {
    precondition(!entropy.isEmpty, "SeedSequence: entropy must hold at least one word")
    self.entropy = entropy
    self.pool = SeedSequence.mixEntropy(entropy)
  }

  /// `count` 32-bit state words (`SeedSequence.generate_state(count, np.uint32)`).
  public func generateState(wordCount count: Int) -> [UInt32] {
    precondition(count >= 0, "generateState: negative word count \(count)")
    var hashConst = SeedSequence.initB
    var state: [UInt32] = []
    state.reserveCapacity(count)
    for i in 0..<count {
      var value = pool[i % SeedSequence.poolSize]
      value ^= hashConst
      hashConst &*= SeedSequence.multB
      value &*= hashConst
      value ^= value >> SeedSequence.xshift
      state.append(value)
    }
    return state
  }

  /// `count` 64-bit state words (`SeedSequence.generate_state(count, np.uint64)`): pairs
  /// of 32-bit words, the first of each pair the low half.
  public func generateState64(count: Int) -> [UInt64] {
    let words = generateState(wordCount: 2 * count)
    return (0..<count).map { UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32 }
  }

  /// NumPy's `mix_entropy`: hash every entropy word into the pool and cross-mix the pool.
  static func mixEntropy(_ entropy: [UInt32]) -> [UInt32] {
    var hashConst = initA
    func hashmix(_ input: UInt32) -> UInt32 {
      var value = input ^ hashConst
      hashConst &*= multA
      value &*= hashConst
      return value ^ (value >> xshift)
    }
    func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
      let result = mixMultL &* x &- mixMultR &* y
      return result ^ (result >> xshift)
    }
    var mixer = (0..<poolSize).map { hashmix($0 < entropy.count ? entropy[$0] : 0) }
    for source in 0..<poolSize {
      for destination in 0..<poolSize where source != destination {
        mixer[destination] = mix(mixer[destination], hashmix(mixer[source]))
      }
    }
    for source in poolSize..<max(poolSize, entropy.count) {
      for destination in 0..<poolSize {
        mixer[destination] = mix(mixer[destination], hashmix(entropy[source]))
      }
    }
    return mixer
  }
}
