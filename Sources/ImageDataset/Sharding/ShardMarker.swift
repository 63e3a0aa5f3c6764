import Foundation

/// `RUN/parts/I.PASS.json`: the proof that shard `I`'s pass finished, written last (after
/// its part), so a task killed at any point leaves no marker. It names the plan it belongs
/// to and holds the checksums that `merge` and `finalize` verify. No NumPy equivalent.
public struct ShardMarker: Codable, Sendable, Equatable {
  /// The plan's hash.
  public var plan: String
  /// The shard.
  public var index: Int
  /// The pass.
  public var pass: ShardPass
  /// Images in the shard.
  public var images: Int
  /// The size of every image, pixels.
  public var height: Int
  /// The size of every image, pixels.
  public var width: Int
  /// The shard's exact pixel moments (`stats` and `all`).
  public var moments: PixelMoments?
  /// `--stats image|batch:N` (a plan of ``ShardPlan/Statistics/groups(size:)``): the exact
  /// moments of each group of rows normalized together, in row order; finalize's
  /// `mean.npy` and `std.npy` hold their statistics, one row per group, as convert's do.
  public var groups: [PixelMoments]? = nil
  /// `--on-error skip`: the shard's images left out, in entry order (the `write` pass's
  /// list includes its `stats` pass's); nil when none.
  public var skipped: [ShardSkippedImage]? = nil
  /// `--whiten`, `stats` pass: the shard's exact covariance sums (`RUN/parts/I.covariance.npz`);
  /// nil when it measured no image.
  public var covariance: ShardCovariancePart? = nil
  /// CRC-32 of `RUN/parts/I.facts.json` (``ShardImageFacts``), written by the plan's
  /// ``ShardPlan/factsPass``.
  public var factsChecksum: String? = nil
  /// The part file beside the marker: `I.x.npy` (`write` and `all`), `I.pixels.npy`
  /// (`stats` of a plan that keeps pixels).
  public var part: String?
  /// For a plan with splits, the `write` and `all` passes: one part per split the shard
  /// has images of, in the plan's split order (``part`` is then nil).
  public var splits: [ShardSplitPart]? = nil
  /// The part's size in bytes.
  public var partBytes: Int?
  /// CRC-32 (zlib's) of the part file, or when there is none of the moments' canonical
  /// JSON, or with ``splits`` of their canonical JSON, as 8 hex digits.
  public var checksum: String
  /// CRC-32 of the moments' canonical JSON, when there are moments.
  public var momentsChecksum: String?
  /// The task's peak resident memory (`getrusage`'s `ru_maxrss`), for sizing.
  public var peakRSSBytes: Int
  /// Wall time of the task.
  public var seconds: Double

  /// The checksum of `moments` as stored (CRC-32 of its canonical JSON).
  static func checksum(of moments: PixelMoments) -> String {
    ShardParts.hex(ShardParts.crc32(of: ShardPlan.canonicalJSON(moments)))
  }
}

/// One split's rows of a shard of a plan with splits: `RUN/parts/I.S.x.npy` (`S`: the
/// split's position in the plan), `np.save` of those rows of the split's `x`. No NumPy
/// equivalent.
public struct ShardSplitPart: Codable, Sendable, Equatable {
  /// The split.
  public var split: String
  /// The part file, in `RUN/parts`.
  public var part: String
  /// Rows of the part.
  public var rows: Int
  /// The part's size in bytes.
  public var partBytes: Int
  /// CRC-32 of the part file, as 8 hex digits.
  public var checksum: String
  /// The exact pixel moments of these images (`all` pass: a split's `stats.json` records
  /// them when the normalization uses none).
  public var moments: PixelMoments?
  /// The moments of each group of these rows normalized together (``ShardMarker/groups``).
  public var groups: [PixelMoments]? = nil
}

/// An image a shard left out with `--on-error skip`: its entry in the plan and the one-line
/// reason (``SkippedImage`` of `normtool convert`). No NumPy equivalent.
public struct ShardSkippedImage: Codable, Sendable, Equatable {
  /// The entry's index in the plan.
  public var entry: Int
  /// Why it could not be read.
  public var reason: String
}

/// `RUN/parts/I.PASS.failed.json`: why a task of shard `I` failed, for `status`. Removed when
/// the shard's pass succeeds.
public struct ShardFailure: Codable, Sendable, Equatable {
  /// The plan's hash.
  public var plan: String
  /// The error, one line.
  public var error: String
}
