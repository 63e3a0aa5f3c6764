import Foundation

/// `RUN/stats.json`, written by `normtool shard merge`: the sum of every shard's exact
/// integer moments, which the `write` pass normalizes with. Integer sums do not depend on
/// how the images were grouped or in which order the parts are added, so the statistics
/// are bit-identical to `normtool convert`'s for any shard count (as Python's `math.fsum`
/// is order-free; Dask's or Ray's float partial sums are not).
public struct ShardMergedStatistics: Codable, Sendable, Equatable {
  /// The plan's hash.
  public var plan: String
  /// Images measured.
  public var images: Int
  /// The size every image has, pixels.
  public var height: Int
  /// The size every image has, pixels.
  public var width: Int
  /// The summed moments.
  public var moments: PixelMoments
  /// `--whiten`: the matrix fitted to the summed covariance, in `RUN/whitening.npz`
  /// (``ShardCovariance``).
  public var whitening: WhiteningRecord? = nil
  /// CRC-32 of `RUN/whitening.npz`, as 8 hex digits.
  public var whiteningChecksum: String? = nil
}

/// `normtool shard merge RUN`: checks every `stats` part and sums their moments.
public enum ShardMerge {
  /// `RUN/stats.json`.
  public static func url(in run: URL) -> URL { run.appendingPathComponent("stats.json") }

  /// Sums the moments of every shard's `stats` (or `all`) marker and writes `RUN/stats.json`;
  /// with `--whiten`, also sums their covariance and fits the matrix (``ShardCovariance``).
  ///
  /// - Throws: ``ConversionError`` naming the missing shards (as a Slurm `--array=` list),
  ///   or the first part from another plan, with a wrong checksum or of another image size.
  @discardableResult
  public static func merge(run: URL) throws(ConversionError) -> ShardMergedStatistics {
    let plan = try ShardPlan.read(run: run)
    let pass: ShardPass = plan.needsStatisticsPass ? .stats : .all
    let markers = try ShardParts.verifiedMarkers(plan: plan, run: run, pass: pass)
    var merged = try sum(markers, plan: plan, run: run)
    if plan.options.whitening != nil {
      (merged.whitening, merged.whiteningChecksum) = try ShardCovariance.fit(
        markers, plan: plan, run: run, merged: merged)
    }
    try ShardParts.writeAtomically(ShardPlan.canonicalJSON(merged), to: url(in: run))
    return merged
  }

  /// The sum of the moments in verified `markers`, which must share one image size (a
  /// marker that measured nothing has size 0×0 and is passed over).
  static func sum(_ markers: [ShardMarker], plan: ShardPlan, run: URL) throws(ConversionError) -> ShardMergedStatistics
  {
    var moments = PixelMoments(channels: plan.options.channels, maximumValue: plan.options.depth.maximumValue)
    var size: (height: Int, width: Int)?
    for marker in markers {
      guard let partMoments = marker.moments, partMoments.channels == moments.channels,
        partMoments.maximumValue == moments.maximumValue
      else {
        throw .statisticsFile(
          path: ShardParts.markerURL(in: run, index: marker.index, pass: marker.pass).path,
          reason:
            "shard \(marker.index): expected moments of \(moments.channels) channels of values up to \(moments.maximumValue)"
        )
      }
      // A shard with no image to measure (no training image, with splits) has no size.
      if marker.height == 0 && marker.width == 0 { continue }
      if let size, size != (marker.height, marker.width) {
        throw .sizeMismatch(
          file: "shard \(marker.index)", width: marker.width, height: marker.height,
          expectedWidth: size.width, expectedHeight: size.height)
      }
      size = (marker.height, marker.width)
      moments.merge(partMoments)
    }
    // `--on-error skip`: the measured images left out.
    let skipped = markers.flatMap { $0.skipped ?? [] }.filter { plan.isMeasured(entry: $0.entry) }.count
    guard let size else {
      throw .allImagesSkipped(folder: URL(fileURLWithPath: plan.dataset.root).path, skipped: skipped)
    }
    return ShardMergedStatistics(
      plan: plan.hash, images: plan.measuredImages - skipped, height: size.height, width: size.width,
      moments: moments)
  }

  /// Reads `RUN/stats.json` and checks that it belongs to `plan`.
  static func read(run: URL, plan: ShardPlan) throws(ConversionError) -> ShardMergedStatistics {
    let url = url(in: run)
    guard let data = try? Data(contentsOf: url) else {
      throw .statisticsFile(
        path: url.path, reason: "not found: run 'normtool shard merge \(run.path)' after the stats pass")
    }
    let merged = try ShardParts.decode(
      ShardMergedStatistics.self, from: data, at: url, expected: "the statistics 'normtool shard merge' writes")
    guard merged.plan == plan.hash else {
      throw .statisticsFile(
        path: url.path, reason: "it belongs to another plan; run 'normtool shard merge \(run.path)' again")
    }
    return merged
  }
}
