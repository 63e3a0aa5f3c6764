extension NormalizationMode {
  /// The output for one value `x` under one entry of statistics: the formulas of
  /// docs/design.md §6, in Float64. `adjustedStd` is `std′ = max(std, 1/√count)`;
  /// `minimum` and `maximum` are used by ``minmax`` only. ``none`` and ``scale`` return `x`
  /// (a caller holding raw pixels handles ``none`` itself).
  ///
  /// The NumPy equivalents are `x - mean`, `(x - mean) / std`,
  /// `(np.clip((x - mean) / std, -1, 1) + 1) / 2` and
  /// `np.where(max == min, 0, (x - min) / (max - min))`.
  @inlinable
  public func apply(_ x: Double, mean: Double, adjustedStd: Double, minimum: Double, maximum: Double) -> Double {
    switch self {
    case .none, .scale: return x
    case .center: return x - mean
    case .standardize: return (x - mean) / adjustedStd
    case .positive:
      let z = (x - mean) / adjustedStd
      return (Swift.min(Swift.max(z, -1), 1) + 1) / 2
    case .minmax: return maximum == minimum ? 0 : (x - minimum) / (maximum - minimum)
    }
  }
}
