/// SHA-256 (FIPS 180-4) of a byte buffer, written from the standard: the content hash that
/// finds duplicate files and duplicate pixels.
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
}

/// Incremental SHA-256: ``update(_:)`` any number of times, then ``finish()``.
///
/// The Python equivalent is `hashlib.sha256()` with `update` and `digest`.
public struct SHA256Hasher: Sendable {
  private var state: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
  ]
  private var pending: [UInt8] = []
  private var length: UInt64 = 0

  /// A hasher with nothing hashed yet.
  public init() {}

  /// Hashes `data` after what came before.
  public mutating func update(_ data: UnsafeRawBufferPointer) {
    length &+= UInt64(data.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, data.count)
      pending.append(contentsOf: data[0..<take])
      offset = take
      if pending.count == 64 {
        pending.withUnsafeBytes { compress($0) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    while offset + 64 <= data.count {
      compress(UnsafeRawBufferPointer(rebasing: data[offset..<(offset + 64)]))
      offset += 64
    }
    if offset < data.count { pending.append(contentsOf: data[offset...]) }
  }

  /// Hashes `data` after what came before.
  public mutating func update(_ data: [UInt8]) {
    data.withUnsafeBytes { update($0) }
  }

  /// Pads, and returns the digest of everything hashed.
  public mutating func finish() -> SHA256Digest {
    let bits = length &* 8
    var tail: [UInt8] = [0x80]
    let used = (pending.count + 1) % 64
    tail += [UInt8](repeating: 0, count: used <= 56 ? 56 - used : 120 - used)
    for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    let savedLength = length
    update(tail)
    length = savedLength
    var out: [UInt8] = []
    out.reserveCapacity(32)
    for word in state {
      out += [
        UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
        UInt8(truncatingIfNeeded: word),
      ]
    }
    return SHA256Digest(bytes: out)
  }

  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  /// One 64-byte block: the message schedule in a 64-word scratch buffer, the eight working
  /// variables in locals (no array traffic in the 64 rounds).
  private mutating func compress(_ block: UnsafeRawBufferPointer) {
    var a = state[0], b = state[1], c = state[2], d = state[3]
    var e = state[4], f = state[5], g = state[6], h = state[7]
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      for t in 0..<16 {
        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
      }
      for t in 16..<64 {
        let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
        let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
      }
      Self.roundConstants.withUnsafeBufferPointer { k in
        for t in 0..<64 {
          let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
          let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
          h = g
          g = f
          f = e
          e = d &+ t1
          d = c
          c = b
          b = a
          a = t1 &+ t2
        }
      }
    }
    state[0] &+= a
    state[1] &+= b
    state[2] &+= c
    state[3] &+= d
    state[4] &+= e
    state[5] &+= f
    state[6] &+= g
    state[7] &+= h
  }
}

@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

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
