import CZlib

/// CRC-32 as zip uses it (zlib's `crc32`, `crc32_combine`).
package enum CRC32 {
  /// Continues `crc` over `bytes`.
  package static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard var base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return crc }
    var value = uLong(crc)
    var remaining = bytes.count
    while remaining > 0 {
      let length = min(remaining, 1 << 30)
      value = crc32(value, base, uInt(length))
      base += length
      remaining -= length
    }
    return UInt32(truncatingIfNeeded: value)
  }

  /// The CRC of A followed by B, from the CRCs of A and B and B's length.
  static func combine(_ first: UInt32, _ second: UInt32, secondLength: Int) -> UInt32 {
    UInt32(truncatingIfNeeded: crc32_combine(uLong(first), uLong(second), .init(secondLength)))
  }
}
