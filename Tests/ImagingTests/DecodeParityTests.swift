import Foundation
import NDArray
import Testing

@testable import Imaging

/// Decode + convert, EXIF orientation and draft, against Pillow's pixels.
@Suite struct DecodeParityTests {
  static let cases = Fixtures.manifest.cases.filter { $0.op == "decode" }

  @Test("decode matches Pillow", arguments: cases)
  func decodeMatchesPillow(_ reference: ReferenceCase) throws {
    try reference.check(try reference.run())
  }

  @Test func everyEncodingIsCovered() {
    let files = Set(Self.cases.map(\.file))
    for name in [
      "extra/jpeg_cmyk.jpg", "extra/png_gray16.png", "extra/png_gray1.png",
      "extra/png_palette4_trns.png", "extra/png_rgb16_adam7.png",
      "extra/png_gray_alpha16.png", "extra/exif_orientation_8.jpg",
    ] {
      #expect(files.contains(name), "manifest lacks \(name)")
    }
    #expect(Self.cases.filter { $0.exif }.count == 9)
    #expect(Self.cases.filter { $0.draft != nil }.count >= 6)
  }

  @Test func decodeFromMemoryEqualsDecodeFromFile() throws {
    let url = Fixtures.url("extra/jpeg_420.jpg")
    let data = try Data(contentsOf: url)
    let fromMemory = try data.withUnsafeBytes {
      try ImageDecoder.decode($0, name: "jpeg_420.jpg", options: DecodeOptions())
    }
    let fromFile = try ImageDecoder.decode(contentsOf: url)
    #expect(fromMemory.shape == fromFile.shape)
    #expect(fromMemory.flatElements == fromFile.flatElements)
  }

  @Test func formatIsFoundFromBytesNotName() throws {
    // A PNG saved under a .jpg name decodes as a PNG.
    let png = try Data(contentsOf: Fixtures.url("extra/png_rgba8.png"))
    let image = try png.withUnsafeBytes { try ImageDecoder.decode($0, name: "lying.jpg") }
    let reference = try ImageDecoder.decode(contentsOf: Fixtures.url("extra/png_rgba8.png"))
    #expect(image.flatElements == reference.flatElements)
  }

  @Test(arguments: EXIFOrientation.allCases)
  func transposeThenInverseIsIdentity(_ orientation: EXIFOrientation) {
    let image = NDArray<UInt8>((0..<(3 * 5 * 2)).map { UInt8($0) }, shape: [3, 5, 2])
    var result = orientation.transpose(image)
    // Applying a transposition 4 times (rotations) or twice (flips) returns the original;
    // applying it until the shape and values match bounds the loop.
    var steps = 1
    while result.flatElements != image.flatElements || result.shape != image.shape {
      result = orientation.transpose(result)
      steps += 1
      if steps > 4 { break }
    }
    #expect(steps <= 4, "\(orientation) is not a symmetry of the rectangle")
    if orientation == .leftMirrored || orientation == .right
      || orientation == .rightMirrored || orientation == .left
    {
      #expect(orientation.transpose(image).shape == [5, 3, 2])
    }
  }
}
