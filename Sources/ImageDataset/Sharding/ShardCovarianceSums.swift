import Foundation

/// A `stats` pass's covariance sums (`--whiten`): the measured images added as
/// `normtool convert`'s pass 1 adds them (``ImageCovarianceSums``), started at the first
/// image, whose size gives D, and saved as the shard's ``ShardCovariancePart``.
final class ShardCovarianceSums {
  private let options: WhiteningOptions
  private let channels: Int
  private var sums: ImageCovarianceSums?

  init(_ options: WhiteningOptions, channels: Int) {
    self.options = options
    self.channels = channels
  }

  /// Adds one measured image (its size was checked against the shard's first).
  ///
  /// - Throws: the `--whiten-scope image` refusal above D = 4096, at the first image.
  func add(_ pixels: LoadedPixels, height: Int, width: Int) throws(ConversionError) {
    guard case .eight(let values) = pixels else { preconditionFailure("--whiten with --depth 16") }
    if sums == nil {
      if let refusal = options.scope.refusal(width: width, height: height, channels: channels) {
        throw .invalidOptions(refusal)
      }
      sums = ImageCovarianceSums(
        scope: options.scope, dimension: options.scope.dimension(width: width, height: height, channels: channels))
    }
    sums!.add(values)
  }

  /// Writes the sums to `url` and describes them for the marker; nil when no image was added.
  func finish(to url: URL) throws(ConversionError) -> ShardCovariancePart? {
    guard let sums = sums?.finished() else { return nil }
    try ShardCovariance.write(sums, to: url)
    return ShardCovariancePart(
      part: url.lastPathComponent, checksum: ShardParts.hex(try ShardParts.crc32(ofFile: url)), vectors: sums.count)
  }
}
