import Testing
import _ByteOrder

/// One bounds-checked integer reader for zip and `.npy` records (little-endian) and EXIF
/// (either order); values as Python's `struct.unpack_from` gives them.
@Suite struct IntegerReaderTests {
  static let bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xFF]

  @Test func readsBothByteOrdersAsStructDoes() {
    let little = IntegerReader(Self.bytes, order: .little)
    let big = IntegerReader(Self.bytes, order: .big)
    // struct.unpack_from('<H', b, 1), ('<I', b, 0), ('<Q', b, 1), and the '>' forms.
    #expect(little.integer(UInt16.self, at: 1) == 0x0302)
    #expect(little.integer(UInt32.self, at: 0) == 0x0403_0201)
    #expect(little.integer(UInt64.self, at: 1) == 0xFF08_0706_0504_0302)
    #expect(big.integer(UInt16.self, at: 1) == 0x0203)
    #expect(big.integer(UInt32.self, at: 0) == 0x0102_0304)
    #expect(big.integer(UInt64.self, at: 1) == 0x0203_0405_0607_08FF)
    #expect(big.integer(UInt8.self, at: 8) == 0xFF)
  }

  @Test func readsPastEitherEndGiveNil() {
    let reader = IntegerReader(Self.bytes, order: .little)
    #expect(reader.integer(UInt16.self, at: 8) == nil)
    #expect(reader.integer(UInt64.self, at: 2) == nil)
    #expect(reader.integer(UInt8.self, at: -1) == nil)
    #expect(reader.integer(UInt32.self, at: Int.max - 1) == nil)
    #expect(IntegerReader([UInt8](), order: .big).integer(UInt8.self, at: 0) == nil)
  }

  @Test func sequentialReadsMoveOnlyWhenTheyFit() {
    var reader = IntegerReader(Self.bytes, order: .little, at: 3)
    #expect(reader.u8() == 0x04)
    #expect(reader.u16() == 0x0605)
    #expect(reader.remaining == 3)
    #expect(reader.u32() == nil)
    #expect(reader.position == 6)
    #expect(reader.take(2).map(Array.init) == [0x07, 0x08])
    #expect(reader.take(2) == nil)
    #expect(reader.u8() == 0xFF)
    #expect(reader.u8() == nil)
  }

  @Test func worksOnSlicesAndRawBuffersFromTheirOwnStart() {
    let slice = Self.bytes[4...]
    #expect(IntegerReader(slice, order: .big).integer(UInt16.self, at: 0) == 0x0506)
    Self.bytes.withUnsafeBytes { raw in
      #expect(IntegerReader(raw, order: .little).integer(UInt32.self, at: 4) == 0x0807_0605)
    }
  }
}
