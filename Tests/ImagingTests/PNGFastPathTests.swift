import Foundation
import NDArray
import Testing

@testable import Imaging

/// The one-pass PNG decoder (PNGFastDecode.c) gives the pixels written and the same pixels as
/// libpng, for every filter type and every 8-bit colour type it takes; files it must leave
/// to libpng still decode (or fail) as libpng decides.
///
/// The PNGs are written here from the specification, independently of both decoders: rows
/// filtered with the type asked for, the zlib stream in stored blocks, CRC-32 per chunk. A
/// private ancillary chunk (`prVt`, which the fast path does not list) makes the same file
/// go through libpng.
@Suite struct PNGFastPathTests {
  /// (colour type, channels, decode mode whose output is the stored samples).
  static let colourTypes: [(type: UInt8, channels: Int, mode: ColorMode)] = [
    (0, 1, .gray), (2, 3, .rgb), (6, 4, .rgba),
  ]

  @Test(arguments: [(1, 1), (5, 3), (32, 32), (33, 7), (300, 4)])
  func everyFilterTypeDecodesToTheWrittenPixelsOnBothPaths(width: Int, height: Int) throws {
    for (type, channels, mode) in Self.colourTypes {
      let samples = Self.smoothNoise(width: width, height: height, channels: channels)
      for filters: [UInt8] in [[0], [1], [2], [3], [4], [0, 1, 2, 3, 4]] {
        let png = Self.png(
          samples, width: width, height: height, colourType: type, channels: channels, filters: filters)
        let fast = try Self.decode(png, mode: mode)
        let viaLibpng = try Self.decode(Self.withPrivateChunk(png), mode: mode)
        #expect(fast.shape == [height, width, channels])
        #expect(fast.flatElements == samples, "type \(type), filters \(filters), \(width)x\(height)")
        #expect(viaLibpng.flatElements == samples, "libpng: type \(type), filters \(filters)")
      }
    }
  }

  @Test func grayAlphaDecodesLikeLibpng() throws {
    let samples = Self.smoothNoise(width: 9, height: 6, channels: 2)
    let png = Self.png(samples, width: 9, height: 6, colourType: 4, channels: 2, filters: [4, 3, 1])
    let fast = try Self.decode(png, mode: .rgba)
    let viaLibpng = try Self.decode(Self.withPrivateChunk(png), mode: .rgba)
    #expect(fast.flatElements == viaLibpng.flatElements)
    #expect(fast.flatElements.count == 9 * 6 * 4)
  }

  @Test func aBrokenIDATChecksumIsStillAnError() throws {
    var png = Self.png(
      Self.smoothNoise(width: 8, height: 8, channels: 3), width: 8, height: 8, colourType: 2, channels: 3,
      filters: [4])
    png[png.count - 12 - 5] ^= 0xFF  // the last byte of the IDAT chunk's CRC
    #expect(throws: ImageError.self) { try Self.decode(png, mode: .rgb) }
  }

  @Test func anUnknownFilterTypeIsStillAnError() throws {
    let png = Self.png(
      Self.smoothNoise(width: 4, height: 2, channels: 3), width: 4, height: 2, colourType: 2, channels: 3,
      filters: [5])
    #expect(throws: ImageError.self) { try Self.decode(png, mode: .rgb) }
  }

  @Test func aStreamShorterThanTheImageIsStillAnError() throws {
    let samples = Self.smoothNoise(width: 6, height: 4, channels: 3)
    // The stream holds three rows of four.
    let png = Self.png(
      Array(samples.prefix(6 * 3 * 3)), width: 6, height: 4, colourType: 2, channels: 3, filters: [0],
      declaredHeight: 4)
    #expect(throws: ImageError.self) { try Self.decode(png, mode: .rgb) }
  }

  // MARK: - Writing PNGs from the specification

  static func decode(_ png: [UInt8], mode: ColorMode) throws -> NDArray<UInt8> {
    try png.withUnsafeBytes { try ImageDecoder.decode($0, name: "test.png", options: DecodeOptions(mode: mode)) }
  }

  /// Gradients plus a little noise, so that every filter has work to do.
  static func smoothNoise(width: Int, height: Int, channels: Int) -> [UInt8] {
    var state: UInt64 = UInt64(width * 7919 + height * 104_729 + channels)
    var out: [UInt8] = []
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          out.append(UInt8(truncatingIfNeeded: x * 5 + y * 3 + c * 40 + Int(state >> 61)))
        }
      }
    }
    return out
  }

  /// A PNG of `samples` (rows of `width · channels` bytes); row `y` filtered with
  /// `filters[y % filters.count]` (a type above 4 is written as is, unfiltered).
  static func png(
    _ samples: [UInt8], width: Int, height: Int, colourType: UInt8, channels: Int, filters: [UInt8],
    declaredHeight: Int? = nil
  ) -> [UInt8] {
    let rowBytes = width * channels
    let rows = samples.count / rowBytes
    var filtered: [UInt8] = []
    for y in 0..<rows {
      let type = filters[y % filters.count]
      filtered.append(type)
      for i in 0..<rowBytes {
        let value = Int(samples[y * rowBytes + i])
        let left = i >= channels ? Int(samples[y * rowBytes + i - channels]) : 0
        let up = y > 0 ? Int(samples[(y - 1) * rowBytes + i]) : 0
        let upLeft = y > 0 && i >= channels ? Int(samples[(y - 1) * rowBytes + i - channels]) : 0
        let predictor: Int
        switch type {
        case 1: predictor = left
        case 2: predictor = up
        case 3: predictor = (left + up) / 2
        case 4:
          let p = left + up - upLeft
          let (pa, pb, pc) = (abs(p - left), abs(p - up), abs(p - upLeft))
          predictor = pa <= pb && pa <= pc ? left : (pb <= pc ? up : upLeft)
        default: predictor = 0
        }
        filtered.append(UInt8(truncatingIfNeeded: value - predictor))
      }
    }
    var header: [UInt8] = []
    header += bigEndian(UInt32(width)) + bigEndian(UInt32(declaredHeight ?? height))
    header += [8, colourType, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
      + chunk("IDAT", zlibStored(filtered)) + chunk("IEND", [])
  }

  /// The same file with a private ancillary chunk after IHDR.
  static func withPrivateChunk(_ png: [UInt8]) -> [UInt8] {
    Array(png[0..<33]) + chunk("prVt", Array("only libpng reads past this".utf8)) + Array(png[33...])
  }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
  }

  /// A zlib stream of stored (uncompressed) deflate blocks (RFC 1950/1951).
  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var start = 0
    repeat {
      let count = min(65_535, data.count - start)
      let final: UInt8 = start + count == data.count ? 1 : 0
      out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
      out += data[start..<(start + count)]
      start += count
    } while start < data.count
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in data {
      a = (a + UInt32(byte)) % 65_521
      b = (b + a) % 65_521
    }
    return out + bigEndian(b << 16 | a)
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
  }
}
