/// How a duplicate matches the first image with the same content.
public enum DuplicateKind: String, Sendable, CaseIterable {
  /// The two files hold the same bytes (found from the file hash, before the pixels).
  case identicalFile = "identical-file"
  /// Different files whose decoded, resized pixels are the same (a re-encoding, a copy in
  /// another format, a copy at another size when `--size` is set).
  case samePixels = "same-pixels"
}

/// One image whose content an earlier image already had.
public struct Duplicate: Sendable, Equatable {
  /// The later file (relative path), the one `--dedupe keep-first` drops.
  public var file: String
  /// The first file with the same content.
  public var original: String
  /// How they match.
  public var kind: DuplicateKind
  /// The split of ``file``, when the run has splits.
  public var split: String?
  /// The split of ``original``.
  public var originalSplit: String?
  /// Whether it was left out of the output (`--dedupe keep-first`).
  public var dropped: Bool

  /// Whether the two are in different splits: a leak from training into evaluation, which
  /// the summary reports louder than a duplicate within one split.
  public var crossesSplits: Bool { split != originalSplit }
}

/// Finds exact duplicates among the images of a run, in file order: first by the SHA-256
/// of the file's bytes (cheap, and certain), then by the SHA-256 of the decoded, resized
/// pixels and their shape. Each later image is matched to the first image with the same
/// content, so `keep-first` keeps exactly one image per content.
///
/// The NumPy equivalent: `hashlib.sha256(open(f, "rb").read())` per file, then
/// `hashlib.sha256(np.ascontiguousarray(pixels).tobytes())` with the shape, grouped in a dict.
public struct DuplicateFinder: Sendable {
  private struct First {
    var file: String
    var split: String?
  }
  private var byFileHash: [SHA256Digest: First] = [:]
  private var byPixelHash: [SHA256Digest: First] = [:]
  /// Every duplicate found, in file order.
  public private(set) var duplicates: [Duplicate] = []

  /// An empty finder.
  public init() {}

  /// Records one image and returns the match, if an earlier image had the same content.
  ///
  /// - Parameters:
  ///   - file: the relative path.
  ///   - split: its split, when the run has splits.
  ///   - fileHash: the digest of the file's bytes (nil when unknown, e.g. a custom loader).
  ///   - pixelHash: the digest of its pixels and shape.
  ///   - drop: whether a duplicate is dropped from the output (`--dedupe keep-first`).
  public mutating func check(
    file: String, split: String? = nil, fileHash: SHA256Digest?, pixelHash: SHA256Digest, drop: Bool
  ) -> Duplicate? {
    let first = First(file: file, split: split)
    var match: (First, DuplicateKind)?
    if let fileHash {
      if let earlier = byFileHash[fileHash] { match = (earlier, .identicalFile) } else { byFileHash[fileHash] = first }
    }
    if let earlier = byPixelHash[pixelHash] {
      if match == nil { match = (earlier, .samePixels) }
    } else {
      byPixelHash[pixelHash] = first
    }
    guard let (earlier, kind) = match else { return nil }
    let duplicate = Duplicate(
      file: file, original: earlier.file, kind: kind, split: split, originalSplit: earlier.split, dropped: drop)
    duplicates.append(duplicate)
    return duplicate
  }

  /// The digest of decoded pixels together with their shape, so that two images of different
  /// sizes never match.
  public static func pixelHash(_ pixels: UnsafeRawBufferPointer, shape: [Int]) -> SHA256Digest {
    var hasher = SHA256Hasher()
    var header: [UInt8] = []
    for side in shape { withUnsafeBytes(of: UInt64(side).littleEndian) { header += $0 } }
    hasher.update(header)
    hasher.update(pixels)
    return hasher.finish()
  }
}
