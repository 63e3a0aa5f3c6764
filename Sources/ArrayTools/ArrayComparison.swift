import NDArray

/// The tolerances and rules of one comparison.
///
/// The NumPy equivalent is the arguments of `numpy.testing.assert_allclose(actual, desired,
/// rtol=rtol, atol=atol, equal_nan=equalNaN, strict=exact)`; ``exact`` also sets both
/// tolerances to 0, so values must be equal (NaNs in the same places when ``equalNaN``).
public struct ArrayComparisonOptions: Sendable, Equatable {
  /// Relative tolerance (NumPy's default 1e-7).
  public var rtol: Double
  /// Absolute tolerance (NumPy's default 0).
  public var atol: Double
  /// NaNs in the same places compare equal (`equal_nan=True`, the default).
  public var equalNaN: Bool
  /// Equal values, equal shapes and equal dtypes: `assert_allclose(a, b, rtol=0, atol=0,
  /// strict=True)`.
  public var exact: Bool
  /// How many mismatches to list (NumPy lists 5).
  public var listed: Int

  /// Options with NumPy's defaults unless given.
  public init(rtol: Double = 1e-7, atol: Double = 0, equalNaN: Bool = true, exact: Bool = false, listed: Int = 5) {
    self.rtol = exact ? 0 : rtol
    self.atol = exact ? 0 : atol
    self.equalNaN = equalNaN
    self.exact = exact
    self.listed = listed
  }
}

/// Why two arrays are not equal, in NumPy's order of checks.
public enum ComparisonOutcome: String, Sendable, Equatable {
  /// Equal within the tolerances.
  case equal
  /// The shapes differ (and neither is a 0-d array, which NumPy broadcasts).
  case shapeMismatch = "shape mismatch"
  /// The dtypes differ under ``ArrayComparisonOptions/exact`` (NumPy's `strict=True`).
  case dtypeMismatch = "dtype mismatch"
  /// A NaN in one array where the other has none (with `equal_nan`).
  case nanLocationMismatch = "nan location mismatch"
  /// An infinity in one array where the other has none.
  case infLocationMismatch = "inf location mismatch"
  /// Infinities in the same places but of different signs.
  case infValuesMismatch = "inf values mismatch"
  /// Some values differ by more than the tolerance.
  case valuesDiffer = "values differ"
}

/// One listed mismatch: where, and the two values as NumPy prints them.
public struct ArrayMismatch: Sendable, Equatable {
  /// The multi-index (C order), as `numpy.argwhere` gives it.
  public var index: [Int]
  /// The actual value, as NumPy prints it (`2.0`, `-100`, `True`).
  public var actual: String
  /// The desired value, as NumPy prints it.
  public var desired: String
  /// The actual value as a number.
  public var actualValue: Double
  /// The desired value as a number.
  public var desiredValue: Double
}

/// A maximum difference among the mismatches and where it is.
public struct MaximumDifference: Sendable, Equatable {
  /// The difference (NaN when any mismatch has a NaN difference, as `numpy.max`; infinity
  /// for the relative difference when every mismatch has a zero desired value).
  public var value: Double
  /// The multi-index of its first occurrence in C order (nil for the infinite relative
  /// difference of zero desired values).
  public var index: [Int]?
  /// The value as NumPy prints it (`numpy.array2string`).
  public var text: String
}

/// The result of comparing two arrays (`numpy.testing.assert_allclose`).
public struct ArrayComparison: Sendable, Equatable {
  /// What was compared: a member name, or empty for two `.npy` files.
  public var name: String
  /// The actual array's file (or `archive.npz:member.npy`).
  public var actualPath: String
  /// The desired array's file.
  public var desiredPath: String
  /// The actual array's shape (`actual.shape`).
  public var actualShape: [Int]
  /// The actual array's dtype (`actual.dtype`).
  public var actualDType: DType
  /// The desired array's shape (`desired.shape`).
  public var desiredShape: [Int]
  /// The desired array's dtype (`desired.dtype`).
  public var desiredDType: DType
  /// The options used.
  public var options: ArrayComparisonOptions
  /// The verdict.
  public var outcome: ComparisonOutcome
  /// Elements outside the tolerance (NaN and infinity pairs in the same places excluded).
  public var mismatched: Int = 0
  /// Elements compared (the broadcast size when one array is 0-d).
  public var total: Int = 0
  /// The first listed mismatches in C order (at most ``ArrayComparisonOptions/listed``).
  public var mismatches: [ArrayMismatch] = []
  /// The largest absolute difference among the mismatches, in the dtype NumPy computes it
  /// (`abs(actual - desired)`); nil for booleans, which NumPy cannot subtract.
  public var maxAbsolute: MaximumDifference?
  /// The largest relative difference among the mismatches (`abs(actual - desired) /
  /// abs(desired)` where desired is not 0).
  public var maxRelative: MaximumDifference?
  /// The first multi-index where NaN or infinity locations (or infinity signs) differ.
  public var firstLocationMismatch: [Int]?

  /// Whether the arrays are equal within the options.
  public var isEqual: Bool { outcome == .equal }

  /// `mismatched / total` in percent.
  public var percentMismatched: Double { total == 0 ? 0 : 100 * Double(mismatched) / Double(total) }
}
