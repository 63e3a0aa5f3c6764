import Foundation
import Imaging

/// What the summary and the duplicate search need of one image of a shard: its file's facts
/// (``ImageInfo``) and its file and pixel SHA-256. A shard's pass that decodes every image
/// (``ShardPlan/factsPass``) writes them, in entry order, to `RUN/parts/I.facts.json`;
/// `finalize` replays them through ``DuplicateFinder`` and ``DatasetSummary`` in the order
/// `normtool convert` meets the images. The Python equivalent is a list of
/// `(im.format, im.size, …, hashlib.sha256(…).hexdigest())` tuples per shard.
struct ShardImageFacts: Codable, Sendable, Equatable {
  /// Pillow's `Image.format`; nil when the loader gave no facts.
  var format: String?
  /// The stored size (`im.size`).
  var width: Int?
  /// The stored size (`im.size`).
  var height: Int?
  /// Samples wider than 8 bits.
  var sixteenBit: Bool?
  /// Transparent pixels.
  var transparency: Bool?
  /// The EXIF orientation, 1…8.
  var orientation: Int?
  /// SHA-256 of the file's bytes, hex; nil when unknown.
  var fileHash: String?
  /// SHA-256 of the decoded, resized pixels and their shape, hex.
  var pixelHash: String?
  /// Why the image was left out (`--on-error skip`); nil when it was written.
  var skipped: String? = nil

  /// An image left out with `--on-error skip`, for `reason`.
  init(skipped reason: String) { skipped = reason }

  /// The facts of a decoded image (loaded with `describe: true`).
  init(_ image: LoadedImage) {
    if let info = image.info {
      format = info.format.rawValue
      (width, height) = (info.width, info.height)
      (sixteenBit, transparency) = (info.hasSixteenBitSamples, info.hasTransparency)
      orientation = info.orientation.rawValue
    }
    fileHash = image.fileHash?.description
    pixelHash = image.pixelHash?.description
  }

  /// The file facts as ``ImageInfo``; nil when none were recorded.
  var info: ImageInfo? {
    guard let format = format.flatMap(ImageFormat.init(rawValue:)), let width, let height,
      let orientation = orientation.flatMap(EXIFOrientation.init(rawValue:))
    else { return nil }
    return ImageInfo(
      format: format, width: width, height: height, hasSixteenBitSamples: sixteenBit ?? false,
      hasTransparency: transparency ?? false, orientation: orientation)
  }

  /// A digest from its lower-case hex; nil when it is not 64 hex digits.
  static func digest(_ hex: String?) -> SHA256Digest? {
    guard let hex, hex.utf8.count == 64 else { return nil }
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    return SHA256Digest(bytes: bytes)
  }

  /// `RUN/parts/I.facts.json`.
  static func url(in run: URL, index: Int) -> URL {
    ShardParts.folder(in: run).appendingPathComponent("\(index).facts.json")
  }

  /// Writes shard `index`'s facts atomically; returns the CRC-32 its marker records.
  static func write(_ facts: [ShardImageFacts], run: URL, index: Int) throws(ConversionError) -> String {
    let data = ShardPlan.canonicalJSON(facts)
    try ShardParts.writeAtomically(data, to: url(in: run, index: index))
    return ShardParts.hex(ShardParts.crc32(of: data))
  }

  /// Reads shard `index`'s facts, checked against the marker's `checksum` and the shard's
  /// image count.
  ///
  /// - Throws: ``ConversionError`` naming the file and the shard to re-run.
  static func read(run: URL, index: Int, checksum: String?, images: Int, pass: ShardPass) throws(ConversionError)
    -> [ShardImageFacts]
  {
    let url = url(in: run, index: index)
    let rerun = "re-run --pass \(pass.rawValue) for shard \(index)"
    guard let checksum, let data = try? Data(contentsOf: url) else {
      throw .statisticsFile(path: url.path, reason: "shard \(index): no image facts for the summary; \(rerun)")
    }
    guard ShardParts.hex(ShardParts.crc32(of: data)) == checksum else {
      throw .statisticsFile(path: url.path, reason: "shard \(index): the checksum does not match its marker; \(rerun)")
    }
    let facts = try ShardParts.decode(
      [ShardImageFacts].self, from: data, at: url, expected: "the image facts 'normtool shard run' writes")
    guard facts.count == images else {
      throw .statisticsFile(
        path: url.path, reason: "shard \(index): facts of \(facts.count) images, the shard has \(images); \(rerun)")
    }
    return facts
  }
}
