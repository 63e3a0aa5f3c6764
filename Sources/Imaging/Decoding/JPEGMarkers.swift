/// A bounds-checked walk over the marker segments of a JPEG file, up to the first scan.
enum JPEGMarkers {
  /// Calls `body(marker, payload)` for each marker segment before SOS (start of scan);
  /// stops early when `body` returns false. Malformed data ends the walk quietly.
  static func forEachSegment(
    _ bytes: UnsafeRawBufferPointer,
    _ body: (UInt8, UnsafeRawBufferPointer) -> Bool
  ) {
    var position = 2  // after SOI
    let count = bytes.count
    while position + 4 <= count {
      guard bytes[position] == 0xFF else { return }
      let marker = bytes[position + 1]
      if marker == 0xFF { position += 1; continue }  // fill byte
      if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
        position += 2
        continue
      }
      if marker == 0xD9 || marker == 0xDA { return }  // EOI or SOS
      let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
      guard length >= 2, position + 2 + length <= count else { return }
      let payload = UnsafeRawBufferPointer(rebasing: bytes[(position + 4)..<(position + 2 + length)])
      if !body(marker, payload) { return }
      position += 2 + length
    }
  }

  /// Width and height from the first SOFn segment.
  static func frameSize(_ bytes: UnsafeRawBufferPointer) -> (width: Int, height: Int)? {
    var found: (width: Int, height: Int)?
    forEachSegment(bytes) { marker, payload in
      let isSOF = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
      if isSOF && payload.count >= 5 {
        found = (Int(payload[3]) << 8 | Int(payload[4]), Int(payload[1]) << 8 | Int(payload[2]))
        return false
      }
      return true
    }
    return found
  }
}
