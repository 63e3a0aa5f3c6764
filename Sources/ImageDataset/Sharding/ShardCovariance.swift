import Foundation
import NDArray
import NPYIO

/// A shard's exact covariance sums (`--whiten`): `RUN/parts/I.covariance.npz`, written by its
/// `stats` pass beside its moments and named in its marker. No NumPy equivalent; the arrays
/// are those `np.savez(count=n, sums=X.sum(0), products=np.triu(X.T @ X))` gives for the
/// shard's (n, D) `uint8` vectors in int64.
public struct ShardCovariancePart: Codable, Sendable, Equatable {
  /// The file, in `RUN/parts`.
  public var part: String
  /// CRC-32 of the file, as 8 hex digits.
  public var checksum: String
  /// The vectors (pixels for `--whiten-scope channel`, images for `image`) it sums.
  public var vectors: Int64
}

/// The covariance sums and whitening of a sharded run: each shard's `stats` pass saves its
/// partial sums (``ShardCovariancePart``), `merge` adds them in shard order (integer
/// addition, so any shard count gives the same bits as `normtool convert`), saves the total
/// as `RUN/covariance.npz`, fits ``WhiteningMatrix`` once and saves it as
/// `RUN/whitening.npz`, which `RUN/stats.json` names with its checksum; the `write` passes
/// and `finalize` read it from there.
public enum ShardCovariance {
  /// `RUN/parts/I.covariance.npz`.
  public static func partName(index: Int) -> String { "\(index).covariance.npz" }
  /// `RUN/covariance.npz`: the merged sums (`count`, `sums`, `products`).
  public static let mergedName = "covariance.npz"
  /// `RUN/whitening.npz`: the fitted matrix (members ``WhiteningMatrix/memberNames``).
  public static let whiteningName = "whitening.npz"
  /// The members of a sums file.
  static let memberNames = ["count", "sums", "products"]

  /// How the sums files are compressed: deflate at zlib level 1 makes a 3072² file 4.3×
  /// smaller (17 MB instead of 75.5 MB: half the matrix is zeros, the rest small integers)
  /// for about half a second, which every shard of a large run saves on disk and transfer.
  static let compression = NPZCompression.deflate(level: 1)

  /// Writes `sums` to `url` as an `.npz` (``compression``) of int64 arrays `count` (0-d),
  /// `sums` (D,) and `products` (D, D; upper triangle, zero below), under a temporary name
  /// renamed into place.
  static func write(_ sums: CovarianceAccumulator, to url: URL) throws(ConversionError) {
    do {
      let archive = try NPZWriter(url: url, compression: compression)
      do {
        try archive.write(name: memberNames[0], array: NDArray(scalar: sums.count))
        try archive.write(name: memberNames[1], array: NDArray(sums.sums))
        try archive.write(name: memberNames[2], array: NDArray(sums.products, shape: [sums.dimension, sums.dimension]))
        try archive.finish()
      } catch {
        archive.abort()
        throw error
      }
    } catch {
      throw .output(path: url.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// Reads the sums shard `shard` saved at `url`.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` naming the file: unreadable,
  ///   not int64 arrays of one dimension D ≤ ``WhiteningScope/maximumImageDimension``, or
  ///   not valid sums (a negative count, a non-zero lower triangle).
  static func read(at url: URL, shard: Int) throws(ConversionError) -> CovarianceAccumulator {
    let rerun = "re-run --pass stats for shard \(shard)"
    let expected =
      "shard \(shard): expected int64 covariance sums (count (), sums (D,), products (D, D) upper-triangular, D <= \(WhiteningScope.maximumImageDimension)); \(rerun)"
    do {
      let archive = try NPZReader(url: url)
      let shapes = try memberNames.map { try archive.header(of: $0).shape }
      guard shapes[0] == [], shapes[1].count == 1, (1...WhiteningScope.maximumImageDimension).contains(shapes[1][0]),
        shapes[2] == [shapes[1][0], shapes[1][0]]
      else { throw ConversionError.statisticsFile(path: url.path, reason: expected) }
      let arrays = try memberNames.map { try archive.read(Int64.self, $0).flatElements }
      guard let sums = CovarianceAccumulator(count: arrays[0][0], sums: arrays[1], products: arrays[2]) else {
        throw ConversionError.statisticsFile(path: url.path, reason: expected)
      }
      return sums
    } catch let error as ConversionError {
      throw error
    } catch {
      throw .statisticsFile(path: url.path, reason: "shard \(shard): \(FileSystemReason.text(of: error)); \(rerun)")
    }
  }

  /// `merge`'s whitening: adds every measuring marker's sums in shard order, checks that
  /// they cover the `merged` images, writes `RUN/covariance.npz` and the fitted
  /// `RUN/whitening.npz`, and returns the record `RUN/stats.json` keeps and the file's
  /// CRC-32.
  ///
  /// - Throws: ``ConversionError`` naming the missing or corrupt part, or the fit's failure.
  static func fit(
    _ markers: [ShardMarker], plan: ShardPlan, run: URL, merged: ShardMergedStatistics
  ) throws(ConversionError) -> (WhiteningRecord, checksum: String) {
    let options = plan.options.whitening!
    let channels = plan.options.channels
    if let refusal = options.scope.refusal(width: merged.width, height: merged.height, channels: channels) {
      throw .invalidOptions(refusal)
    }
    let dimension = options.scope.dimension(width: merged.width, height: merged.height, channels: channels)
    var total = CovarianceAccumulator(dimension: dimension)
    for marker in markers {
      let markerPath = ShardParts.markerURL(in: run, index: marker.index, pass: marker.pass).path
      guard let part = marker.covariance else {
        // A shard that measured no image (none of the training split) has no sums.
        if marker.height == 0 && marker.width == 0 { continue }
        throw .statisticsFile(
          path: markerPath,
          reason:
            "shard \(marker.index): no covariance sums for --whiten; re-run --pass stats for shard \(marker.index)")
      }
      let url = ShardParts.folder(in: run).appendingPathComponent(part.part)
      let sums = try read(at: url, shard: marker.index)
      guard sums.dimension == dimension, sums.count == part.vectors else {
        throw .statisticsFile(
          path: url.path,
          reason:
            "shard \(marker.index): sums of \(sums.count) vectors of \(sums.dimension) values, expected \(part.vectors) of \(dimension); re-run --pass stats for shard \(marker.index)"
        )
      }
      total.merge(sums)
    }
    let perImage = options.scope == .channel ? Int64(merged.height * merged.width) : 1
    guard total.count == Int64(merged.images) * perImage else {
      throw .statisticsFile(
        path: run.path,
        reason:
          "the covariance sums cover \(total.count) vectors, the measured \(merged.images) images give \(Int64(merged.images) * perImage); re-run --pass stats"
      )
    }
    // Saved before the fit, which frees the sums; removed again if the fit fails, so a failed
    // merge leaves nothing beside the parts.
    let covariance = run.appendingPathComponent(mergedName)
    try write(total, to: covariance)
    let url = run.appendingPathComponent(whiteningName)
    do throws(ConversionError) {
      let matrix = try WhiteningMatrix(fitting: &total, options: options)
      do { try matrix.write(to: url) } catch {
        throw .output(path: url.path, reason: FileSystemReason.text(of: error))
      }
      return (matrix.record(file: whiteningName), ShardParts.hex(try ShardParts.crc32(ofFile: url)))
    } catch {
      try? FileManager.default.removeItem(at: covariance)
      throw error
    }
  }

  /// The matrix the plan whitens with: a stats file's saved one (``ShardSavedWhitening``,
  /// `--whiten` with `--stats FILE`), or the one `merge` fitted, read from
  /// `RUN/whitening.npz` after checking it against the checksum `RUN/stats.json` records
  /// (`merged`; nil before the merge). Nil when the plan does not whiten.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` naming `RUN/whitening.npz`
  ///   when it is missing, changed or unreadable.
  static func whitening(run: URL, plan: ShardPlan, merged: ShardMergedStatistics?) throws(ConversionError)
    -> WhiteningMatrix?
  {
    guard plan.options.whitening != nil else { return nil }
    if let saved = plan.savedWhitening { return try saved.matrix(in: run) }
    guard let merged else { return nil }
    let url = run.appendingPathComponent(whiteningName)
    let again = "run 'normtool shard merge \(run.path)' again"
    guard let record = merged.whitening, let checksum = merged.whiteningChecksum else {
      throw .statisticsFile(path: ShardMerge.url(in: run).path, reason: "it records no whitening; \(again)")
    }
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw .statisticsFile(path: url.path, reason: "not found; \(again)")
    }
    guard ShardParts.hex(try ShardParts.crc32(ofFile: url)) == checksum else {
      throw .statisticsFile(path: url.path, reason: "wrong checksum (it changed after merge); \(again)")
    }
    return try WhiteningMatrix.read(record: record, statsFile: ShardMerge.url(in: run))
  }
}
