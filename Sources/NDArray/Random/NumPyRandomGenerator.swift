// The generator whose streams equal np.random.default_rng(seed)'s, bit for bit.

/// A random generator that gives the same numbers as NumPy's
/// `np.random.default_rng(seed)`, bit for bit: the same doubles, integers, normals,
/// permutations and samples for the same seed and the same sequence of calls.
///
/// The NumPy equivalent is `numpy.random.Generator` over `numpy.random.PCG64`, seeded
/// through `numpy.random.SeedSequence` (what `default_rng` builds). A Swift program and a
/// Python script that make the same calls in the same order see the same values, so they
/// shuffle, split and augment data alike.
///
/// ```swift
/// var rng = NumPyRandomGenerator(seed: 42)
/// let u = rng.random()                          // rng.random()
/// let order = rng.permutation(10)               // rng.permutation(10)
/// let noise = rng.normal(mean: 0, std: 0.1, shape: [2, 3])  // rng.normal(0, 0.1, (2, 3))
/// ```
///
/// It is also a `RandomNumberGenerator` whose `next()` is PCG64's raw 64-bit output
/// (`rng.bit_generator.random_raw()`), so it plugs into Swift's own APIs; those
/// (`Int.random(in:using:)`, `Array.shuffle(using:)`) use Swift's algorithms, not NumPy's,
/// and give different values from NumPy's methods of the same name.
///
/// The matched methods and dtypes are listed in <doc:RandomNumbers>. Like NumPy's, the
/// generator is a value: copying it copies the stream.
///
/// ## Topics
///
/// ### Coming from NumPy
///
/// - <doc:RandomNumbers>
public struct NumPyRandomGenerator: RandomNumberGenerator, Sendable {
  /// The bit generator (`Generator.bit_generator`).
  public var bitGenerator: PCG64

  /// The generator of `np.random.default_rng(seed)` for a non-negative integer seed.
  public init(seed: UInt64) {
    self.init(seedSequence: SeedSequence(seed))
  }

  /// The generator of `np.random.default_rng([w0, w1, ...])`: a seed of any size given as
  /// 32-bit words, least significant first (how NumPy reads a large Python `int`).
  public init(seed words: [UInt32]) {
    self.init(seedSequence: SeedSequence(entropy: words))
  }

  /// The generator of `np.random.Generator(np.random.PCG64(seedSequence))`.
  public init(seedSequence: SeedSequence) {
    bitGenerator = PCG64(seedSequence: seedSequence)
  }

  /// The next 64 random bits: PCG64's raw output (`rng.bit_generator.random_raw()`).
  @inlinable
  public mutating func next() -> UInt64 {
    bitGenerator.next()
  }

  /// The next 32 random bits, with NumPy's buffering of the unused half
  /// (the bit generator's `next_uint32`).
  @inlinable
  public mutating func nextUInt32() -> UInt32 {
    bitGenerator.nextUInt32()
  }

  /// An array of `shape` whose elements, in C order, are successive results of `draw`
  /// (written straight into new storage). Traps if a dimension is negative.
  @inlinable
  mutating func fill<E: NDArrayElement>(shape: [Int], _ draw: (inout NumPyRandomGenerator) -> E) -> NDArray<E> {
    let count = NDArray<E>.elementCount(of: shape)
    let storage = _NDArrayStorage<E>(uninitializedCount: count)
    for index in 0..<count { (storage.base + index).initialize(to: draw(&self)) }
    return NDArray(_storage: storage, shape: shape, strides: NDArray<E>.cStrides(for: shape), offset: 0)
  }
}
