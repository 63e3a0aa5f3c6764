import NDArray

/// Which images `--stats sample:K` estimates the statistics from.
///
/// The rule, simple enough to repeat in Python (`python-interop/reference.py` does):
/// a SplitMix64 generator seeded with `seed` drives a partial Fisher–Yates shuffle of the
/// indices `0..<count`: for `i` in `0..<k`, `j = i + next() % (count − i)`, swap `i` and
/// `j`. The first `k` indices, sorted, are the sample. `k ≥ count` takes every image.
/// The NumPy equivalent in spirit is `numpy.random.default_rng(seed).choice(count, k,
/// replace=False)`.
public enum SampleSelection {
  /// The sorted indices of the `k` images sampled from `count` with `seed`.
  public static func indices(count: Int, k: Int, seed: UInt64) -> [Int] {
    if k >= count { return Array(0..<count) }
    var indices = Array(0..<count)
    var generator = SplitMix64(seed: seed)
    for i in 0..<k {
      let j = i + Int(generator.next() % UInt64(count - i))
      indices.swapAt(i, j)
    }
    return indices[0..<k].sorted()
  }
}
