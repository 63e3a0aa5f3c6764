import Foundation
import NDArray
import Testing

@testable import Imaging

/// PNGEncoder's files decode (through libpng, the decoder that matches Pillow bit for bit) to
/// the pixels encoded; python-interop/test_preview_report.py reads them with Pillow itself.
@Suite struct PNGEncoderTests {
  /// Pseudo-random bytes from a 64-bit LCG (Knuth's MMIX constants), top byte of each step.
  static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  @Test(arguments: [(1, 1, 1), (7, 5, 1), (33, 17, 3), (1, 64, 3), (300, 2, 1)])
  func decodesToTheEncodedPixels(width: Int, height: Int, channels: Int) throws {
    let pixels = NDArray(
      Self.noise(width * height * channels, seed: UInt64(width * 31 + height)), shape: [height, width, channels])
    let png = try PNGEncoder.encode(pixels)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    let decoded = try png.withUnsafeBytes { raw in
      try ImageDecoder.decode(raw, name: "encoded.png", options: DecodeOptions(mode: channels == 1 ? .gray : .rgb))
    }
    #expect(decoded.shape == [height, width, channels])
    #expect(decoded.flatElements == pixels.flatElements)
  }

  @Test func aRankTwoArrayIsOneGrayChannel() throws {
    let pixels = NDArray(Self.noise(12, seed: 3), shape: [3, 4])
    let png = try PNGEncoder.encode(pixels)
    let decoded = try png.withUnsafeBytes {
      try ImageDecoder.decode($0, name: "gray.png", options: DecodeOptions(mode: .gray))
    }
    #expect(decoded.shape == [3, 4, 1])
    #expect(decoded.flatElements == pixels.flatElements)
  }

  @Test(arguments: [[2, 2, 2], [2, 2, 4], [0, 3, 3], [3, 0, 1], [4], [1, 1, 1, 1]])
  func otherShapesAreRefusedWithTheShape(shape: [Int]) {
    let pixels = NDArray([UInt8](repeating: 0, count: shape.reduce(1, *)), shape: shape)
    #expect(throws: PNGEncoder.Failure.self) { try PNGEncoder.encode(pixels) }
    do {
      _ = try PNGEncoder.encode(pixels)
    } catch {
      #expect(error.description.contains("\(shape)"))
    }
  }
}
