/// The count, mean and sum of squared deviations from the mean (M2) of a set of values,
/// merged with Chan et al.'s pairwise formula, so that sets summarised apart (chunks,
/// shards, threads) combine into the summary of their union.
///
/// The NumPy equivalent of a merge is recomputing from the concatenated values:
/// `x = np.concatenate([a, b])` gives `count = x.size`, `mean = x.mean()`,
/// `m2 = x.var() * x.size`. The variance is `m2 / count` (`ddof` 0).
///
/// Merging is not associative in floating point: merge in a fixed order for the same bits
/// every time.
///
/// ```swift
/// var total = Moments(count: 2, mean: 1.5, m2: 0.5)          // [1, 2]
/// total.merge(Moments(count: 1, mean: 6, m2: 0))              // + [6]
/// // total.count == 3, total.mean == 3, total.m2 == 14
/// ```
@frozen
public struct Moments: Sendable, Hashable {
  /// How many values.
  public var count: Double
  /// Their mean.
  public var mean: Double
  /// The sum of their squared deviations from ``mean``.
  public var m2: Double

  /// The moments of no values.
  @inlinable public init() {
    count = 0
    mean = 0
    m2 = 0
  }

  /// Moments given directly.
  @inlinable public init(count: Double, mean: Double, m2: Double) {
    self.count = count
    self.mean = mean
    self.m2 = m2
  }

  /// Adds the values `other` summarises (Chan et al.): `mean += δ·n_b/n`,
  /// `m2 += m2_b + δ²·n_a·n_b/n` with `δ = mean_b − mean_a`, `n = n_a + n_b`. Merging moments
  /// of no values changes nothing.
  @inlinable
  public mutating func merge(_ other: Moments) {
    if other.count == 0 { return }
    if count == 0 { self = other; return }
    let total = count + other.count
    let delta = other.mean - mean
    mean += delta * (other.count / total)
    m2 += other.m2 + delta * delta * (count * other.count / total)
    count = total
  }

  /// Merges per-channel moments stored as parallel arrays (`count[c]`, `mean[c]`, `m2[c]`
  /// for channel `c`), channel by channel, with ``merge(_:)``.
  ///
  /// Traps if the six arrays do not all have the same length.
  @inlinable
  public static func merge(
    count: inout [Double], mean: inout [Double], m2: inout [Double],
    withCount otherCount: [Double], mean otherMean: [Double], m2 otherM2: [Double]
  ) {
    let channels = count.count
    precondition(
      [mean.count, m2.count, otherCount.count, otherMean.count, otherM2.count].allSatisfy { $0 == channels },
      "cannot merge moments of \(otherCount.count) channels into \(channels)")
    for c in 0..<channels {
      var merged = Moments(count: count[c], mean: mean[c], m2: m2[c])
      merged.merge(Moments(count: otherCount[c], mean: otherMean[c], m2: otherM2[c]))
      count[c] = merged.count
      mean[c] = merged.mean
      m2[c] = merged.m2
    }
  }
}
