/// Zip format constants and little-endian field helpers (PKWARE APPNOTE), restricted to what
/// `.npz` files need. Values chosen to match what Python's `zipfile` writes for `np.savez`.
enum Zip {
  static let localHeaderSignature: UInt32 = 0x0403_4B50
  static let centralHeaderSignature: UInt32 = 0x0201_4B50
  static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
  static let zip64EndOfCentralDirectorySignature: UInt32 = 0x0606_4B50
  static let zip64LocatorSignature: UInt32 = 0x0706_4B50
  static let dataDescriptorSignature: UInt32 = 0x0807_4B50
  static let zip64ExtraID: UInt16 = 0x0001

  static let localHeaderSize = 30
  static let centralHeaderSize = 46
  static let endOfCentralDirectorySize = 22
  static let zip64EndOfCentralDirectorySize = 56
  static let zip64LocatorSize = 20

  /// "Version needed" and "made by" version 4.5, for ZIP64 (zipfile's `ZIP64_VERSION`).
  static let zip64Version: UInt16 = 45
  /// "Made by" Unix, as zipfile writes on Linux and macOS.
  static let createSystemUnix: UInt8 = 3
  /// `-rw-------` in the high 16 bits, what `ZipFile.open(name, 'w')` sets.
  static let externalAttributes: UInt32 = 0o600 << 16
  /// 1980-01-01 00:00:00, the `ZipInfo` default date that `ZipFile.open(name, 'w')` keeps.
  static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
  static let dosTime: UInt16 = 0
  /// zipfile switches to ZIP64 fields above this (its `ZIP64_LIMIT`, 2 GiB − 1).
  static let zip64Limit = (1 << 31) - 1
  /// zipfile switches to ZIP64 end records above this many entries.
  static let fileCountLimit = (1 << 16) - 1
  /// Flag bit 3: sizes and CRC follow the data in a data descriptor.
  static let flagDataDescriptor: UInt16 = 1 << 3
  /// Flag bit 11: the name is UTF-8.
  static let flagUTF8: UInt16 = 1 << 11
  /// Deflate cannot expand more than about 1032:1; bigger declared ratios are lies.
  static let maxDeflateRatio = 1032

  static let methodStored: UInt16 = 0
  static let methodDeflate: UInt16 = 8
}

/// Builds little-endian records.
struct LittleEndianWriter {
  var bytes: [UInt8] = []
  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
  mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
  mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
  mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads a byte range of a file in order, a piece (1 MiB or the size asked) at a time, so a
/// record list that declares more than it holds costs memory only as it is really read.
final class ChunkedFileReader {
  private let file: NPYFile
  private var position: Int
  private let end: Int
  private var buffer: [UInt8] = []
  private var bufferStart: Int
  static let pieceSize = 1 << 20

  init(file: NPYFile, start: Int, end: Int) {
    self.file = file
    self.position = start
    self.end = end
    self.bufferStart = start
  }

  /// Bytes left in the range.
  var remaining: Int { end - position }

  /// The next `count` bytes, or nil when the range (or the file) ends first.
  func take(_ count: Int) throws -> [UInt8]? {
    guard count >= 0, remaining >= count else { return nil }
    if position + count > bufferStart + buffer.count {
      let length = Swift.min(Swift.max(count, Self.pieceSize), end - position)
      var piece = [UInt8](repeating: 0, count: length)
      let n = try piece.withUnsafeMutableBytes { try file.read(into: $0, fromAbsoluteOffset: position) }
      guard n >= count else { return nil }
      piece.removeSubrange(n...)
      buffer = piece
      bufferStart = position
    }
    let start = position - bufferStart
    position += count
    return Array(buffer[start..<(start + count)])
  }
}
