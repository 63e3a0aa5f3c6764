import Crypto

/// SHA-256 (FIPS 180-4) of a byte buffer: the content hash that finds duplicate files and
/// duplicate pixels, and names plans. Computed by swift-crypto (BoringSSL's SHA-256, which
/// uses the CPU's SHA extensions where it has them: about 2 GB/s per core).
///
/// The Python equivalent is `hashlib.sha256(data).digest()`.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
  /// The 32 digest bytes.
  public let bytes: [UInt8]

  /// Lower-case hex, as `hashlib.sha256(data).hexdigest()`.
  public var description: String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }

  /// The digest of `data`.
  public init(of data: UnsafeRawBufferPointer) {
    var hasher = SHA256Hasher()
    hasher.update(data)
    self = hasher.finish()
  }

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// The first 8 bytes identify a digest well enough for a hash table (they are uniformly
  /// distributed); equality still compares all 32.
  public func hash(into hasher: inout Hasher) {
    var word: UInt64 = 0
    for byte in bytes.prefix(8) { word = word << 8 | UInt64(byte) }
    hasher.combine(word)
  }
}

/// Incremental SHA-256: ``update(_:)`` any number of times, then ``finish()``.
///
/// The Python equivalent is `hashlib.sha256()` with `update` and `digest`.
public struct SHA256Hasher {
  private var hasher = Crypto.SHA256()

  /// A hasher with nothing hashed yet.
  public init() {}

  /// Hashes `data` after what came before.
  public mutating func update(_ data: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: data)
  }

  /// Hashes `data` after what came before.
  public mutating func update(_ data: [UInt8]) {
    data.withUnsafeBytes { update($0) }
  }

  /// The digest of everything hashed (the hasher starts again empty).
  public mutating func finish() -> SHA256Digest {
    let digest = SHA256Digest(bytes: Array(hasher.finalize()))
    hasher = Crypto.SHA256()
    return digest
  }
}

/// SHA-256 of a whole byte sequence as hex: the digest that names a ``DatasetPlan`` and a
/// shard plan. Python's equivalent is `hashlib.sha256(data).hexdigest()`.
public enum SHA256 {
  /// The digest of `bytes` as 64 lower-case hexadecimal digits.
  public static func hexDigest<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var hasher = SHA256Hasher()
    hasher.update(Array(bytes))
    return hasher.finish().description
  }
}
