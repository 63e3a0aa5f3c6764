/// The order of an integer's bytes in a file format: zip and `.npy` records are little-endian,
/// PNG chunks big-endian, EXIF either (its TIFF header says which).
/// The Python equivalent is `struct`'s `<` and `>` prefixes.
package enum ByteOrder: Sendable, Equatable {
  case little, big
}

/// Reads unsigned integers of one byte order from bytes, bounds-checked: a read past either
/// end gives nil, never a trap, so hostile records cannot crash a parser.
/// The Python equivalent is `struct.unpack_from('<I', data, offset)`, with `None` for
/// `struct.error`.
package struct IntegerReader<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
  /// The bytes read from.
  package let bytes: Bytes
  /// The byte order of every integer read.
  package let order: ByteOrder
  /// Where ``next(_:)`` and ``take(_:)`` read, counted from the first byte.
  package var position: Int

  package init(_ bytes: Bytes, order: ByteOrder, at position: Int = 0) {
    self.bytes = bytes
    self.order = order
    self.position = position
  }

  /// Bytes from ``position`` to the end.
  package var remaining: Int { bytes.count - position }

  /// The integer of type `T` whose first byte is `offset` bytes from the start, or nil if
  /// it does not lie wholly inside the bytes.
  package func integer<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, at offset: Int) -> T? {
    let size = MemoryLayout<T>.size
    guard offset >= 0, offset <= bytes.count - size else { return nil }
    let first = bytes.startIndex + offset
    var value: T = 0
    switch order {
    case .little:
      for index in (first..<first + size).reversed() { value = value << 8 | T(bytes[index]) }
    case .big:
      for index in first..<first + size { value = value << 8 | T(bytes[index]) }
    }
    return value
  }

  /// Reads a `T` at ``position`` and moves past it; nil (not moving) past the end.
  package mutating func next<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) -> T? {
    guard let value = integer(type, at: position) else { return nil }
    position += MemoryLayout<T>.size
    return value
  }

  package mutating func u8() -> UInt8? { next(UInt8.self) }
  package mutating func u16() -> UInt16? { next(UInt16.self) }
  package mutating func u32() -> UInt32? { next(UInt32.self) }
  package mutating func u64() -> UInt64? { next(UInt64.self) }

  /// The next `count` bytes, moving past them; nil (not moving) if fewer remain.
  package mutating func take(_ count: Int) -> Bytes.SubSequence? {
    guard count >= 0, position >= 0, remaining >= count else { return nil }
    defer { position += count }
    let first = bytes.startIndex + position
    return bytes[first..<first + count]
  }
}
