// Uniform floating-point draws: Generator.random and Generator.uniform.

extension NumPyRandomGenerator {
  /// A double in [0, 1) (`rng.random()`): the top 53 bits of one 64-bit output times 2⁻⁵³.
  @inlinable
  public mutating func random() -> Double {
    bitGenerator.nextDouble()
  }

  /// `count` doubles in [0, 1) (`rng.random(count)`).
  public mutating func random(count: Int) -> NDArray<Double> {
    random(shape: [count])
  }

  /// An array of doubles in [0, 1) (`rng.random(shape)`). Traps if a dimension is negative.
  public mutating func random(shape: [Int]) -> NDArray<Double> {
    fill(shape: shape) { $0.random() }
  }

  /// A float in [0, 1) (`rng.random(dtype=np.float32)`): the top 24 bits of a 32-bit draw
  /// times 2⁻²⁴.
  ///
  /// A 32-bit draw uses half of a 64-bit output and keeps the other half for the next
  /// 32-bit draw, exactly as NumPy's bit generator does, so an odd number of float32 draws
  /// shifts later 32-bit draws (bounded integers below 2³²) but not later 64-bit ones.
  @inlinable
  public mutating func randomFloat() -> Float {
    bitGenerator.nextFloat()
  }

  /// An array of floats in [0, 1) (`rng.random(shape, dtype=np.float32)`).
  /// Traps if a dimension is negative.
  public mutating func random(shape: [Int], as type: Float.Type) -> NDArray<Float> {
    fill(shape: shape) { $0.randomFloat() }
  }

  /// A double in [low, high) (`rng.uniform(low, high)`): `low + (high - low) · random()`.
  ///
  /// Traps if `high - low` is negative or not finite (NumPy raises `OverflowError` or
  /// `ValueError`).
  @inlinable
  public mutating func uniform(low: Double = 0, high: Double = 1) -> Double {
    let range = NumPyRandomGenerator.uniformRange(low: low, high: high)
    return low + range * random()
  }

  /// An array of doubles in [low, high) (`rng.uniform(low, high, shape)`).
  /// Traps as ``uniform(low:high:)`` does, or if a dimension is negative.
  public mutating func uniform(low: Double = 0, high: Double = 1, shape: [Int]) -> NDArray<Double> {
    let range = NumPyRandomGenerator.uniformRange(low: low, high: high)
    return fill(shape: shape) { low + range * $0.random() }
  }

  @inlinable
  static func uniformRange(low: Double, high: Double) -> Double {
    let range = high - low
    precondition(range.isFinite, "uniform: high - low is not finite (low \(low), high \(high))")
    precondition(range >= 0, "uniform: high (\(high)) is less than low (\(low))")
    return range
  }
}
