/// Per-position statistics of an array over a set of axes, all in `Double`: what
/// `normtool stats` prints.
///
/// The NumPy equivalent is `numpy.mean`, `numpy.std`, `numpy.min` and `numpy.max` of
/// `a.astype(numpy.float64)` over the same axes.
public struct NDArrayStatistics: Sendable {
  /// Values per statistic: the product of the reduced dimensions.
  public var count: Int
  /// The means (`numpy.mean`).
  public var mean: NDArray<Double>
  /// The variances with the `ddof` asked for (`numpy.var`).
  public var variance: NDArray<Double>
  /// The standard deviations with the `ddof` asked for (`numpy.std`).
  public var std: NDArray<Double>
  /// The minima (`numpy.min`); NaN for an empty reduction.
  public var min: NDArray<Double>
  /// The maxima (`numpy.max`); NaN for an empty reduction.
  public var max: NDArray<Double>
}
