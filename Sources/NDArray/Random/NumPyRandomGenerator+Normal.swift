// Normal draws: Generator.standard_normal and Generator.normal (NumPy's ziggurat).

import RealModule

extension NumPyRandomGenerator {
  /// A standard normal double (`rng.standard_normal()`), by NumPy's 256-level ziggurat.
  ///
  /// One 64-bit output gives the layer (low 8 bits), the sign (next bit) and a 52-bit
  /// magnitude; about 99.3% of draws return at once. The rest take one more `random()`
  /// for the wedge test against `exp(-x²/2)`, or, in the base layer, pairs of
  /// `random()` for Marsaglia's tail. The arithmetic is NumPy's, operation for operation
  /// (no fused multiply-add), and `exp`/`log1p` are the platform C library's, as NumPy's.
  public mutating func standardNormal() -> Double {
    while true {
      var bits = next()
      let layer = Int(bits & 0xFF)
      bits >>= 8
      let negative = bits & 1 != 0
      let magnitude = (bits >> 1) & 0x000F_FFFF_FFFF_FFFF
      var x = Double(magnitude) * _NormalZiggurat.wi[layer]
      if negative { x = -x }
      if magnitude < _NormalZiggurat.ki[layer] { return x }
      if layer == 0 {
        while true {
          let xx = -_NormalZiggurat.inverseR * Double.log(onePlus: -random())
          let yy = -Double.log(onePlus: -random())
          if yy + yy > xx * xx {
            return (magnitude >> 8) & 1 != 0 ? -(_NormalZiggurat.r + xx) : _NormalZiggurat.r + xx
          }
        }
      }
      let upper = _NormalZiggurat.fi[layer - 1], lower = _NormalZiggurat.fi[layer]
      if (upper - lower) * random() + lower < Double.exp(-0.5 * x * x) { return x }
    }
  }

  /// An array of standard normal doubles (`rng.standard_normal(shape)`).
  /// Traps if a dimension is negative.
  public mutating func standardNormal(shape: [Int]) -> NDArray<Double> {
    fill(shape: shape) { $0.standardNormal() }
  }

  /// A standard normal float (`rng.standard_normal(dtype=np.float32)`), by NumPy's float32
  /// ziggurat.
  ///
  /// One 32-bit draw (sharing NumPy's buffered half of a 64-bit output) gives the layer
  /// (low 8 bits), the sign (bit 8) and a 23-bit magnitude; rare draws take float32
  /// uniforms for the wedge or the tail. As in NumPy's C, the wedge test compares the
  /// float wedge value with `exp(-0.5·x·x)` evaluated in double precision.
  public mutating func standardNormalFloat() -> Float {
    while true {
      let bits = nextUInt32()
      let layer = Int(bits & 0xFF)
      let negative = (bits >> 8) & 1 != 0
      let magnitude = (bits >> 9) & 0x007F_FFFF
      var x = Float(magnitude) * _NormalZigguratFloat.wi[layer]
      if negative { x = -x }
      if magnitude < _NormalZigguratFloat.ki[layer] { return x }
      if layer == 0 {
        while true {
          let xx = -_NormalZigguratFloat.inverseR * Float.log(onePlus: -randomFloat())
          let yy = -Float.log(onePlus: -randomFloat())
          if yy + yy > xx * xx {
            return (magnitude >> 8) & 1 != 0 ? -(_NormalZigguratFloat.r + xx) : _NormalZigguratFloat.r + xx
          }
        }
      }
      let upper = _NormalZigguratFloat.fi[layer - 1], lower = _NormalZigguratFloat.fi[layer]
      let wedge = (upper - lower) * randomFloat() + lower
      let wide = Double(x)
      if Double(wedge) < Double.exp(-0.5 * wide * wide) { return x }
    }
  }

  /// An array of standard normal floats (`rng.standard_normal(shape, dtype=np.float32)`).
  /// Traps if a dimension is negative.
  public mutating func standardNormal(shape: [Int], as type: Float.Type) -> NDArray<Float> {
    fill(shape: shape) { $0.standardNormalFloat() }
  }

  /// A normal double with the given mean and standard deviation
  /// (`rng.normal(loc=mean, scale=std)`): `mean + std · standardNormal()`.
  ///
  /// Traps if `std` is negative (NumPy raises `ValueError: scale < 0`).
  public mutating func normal(mean: Double = 0, std: Double = 1) -> Double {
    precondition(std >= 0, "normal: std must be non-negative, got \(std)")
    return mean + std * standardNormal()
  }

  /// An array of normal doubles (`rng.normal(mean, std, shape)`).
  /// Traps as ``normal(mean:std:)`` does, or if a dimension is negative.
  public mutating func normal(mean: Double = 0, std: Double = 1, shape: [Int]) -> NDArray<Double> {
    precondition(std >= 0, "normal: std must be non-negative, got \(std)")
    return fill(shape: shape) { mean + std * $0.standardNormal() }
  }
}
