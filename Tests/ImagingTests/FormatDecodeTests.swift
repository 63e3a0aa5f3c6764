import Foundation
import NDArray
import Testing

@testable import Imaging

/// BMP, PNM, GIF, WebP and TIFF: detection from the bytes, coverage of the Pillow manifest,
/// and the rules the per-case parity checks (DecodeParityTests) cannot show on their own.
@Suite struct FormatDecodeTests {
  static let formatCases = Fixtures.manifest.cases.filter { $0.file.hasPrefix("formats/") }

  @Test(arguments: [
    ("BM\u{0}\u{0}", ImageFormat.bmp), ("P4\n", .ppm), ("P1 ", .ppm), ("Pf\n", .ppm),
    ("GIF87a", .gif), ("GIF89a", .gif), ("RIFF\u{1}\u{0}\u{0}\u{0}WEBPVP8 ", .webp),
    ("II*\u{0}", .tiff), ("MM\u{0}*", .tiff), ("II+\u{0}", .tiff),
  ])
  func signaturesAreDetected(_ prefix: String, _ format: ImageFormat) {
    let bytes = Array(prefix.utf8)
    #expect(bytes.withUnsafeBytes { ImageFormat.detect($0) } == format)
  }

  @Test(arguments: ["P7\n", "GIF90a", "RIFF\u{1}\u{0}\u{0}\u{0}WAVE", "II\u{0}\u{0}", "B"])
  func nearMissesAreNotDetected(_ prefix: String) {
    let bytes = Array(prefix.utf8)
    #expect(bytes.withUnsafeBytes { ImageFormat.detect($0) } == nil)
  }

  @Test func everyFormatAndEncodingIsInTheManifest() {
    let files = Set(Self.formatCases.map(\.file))
    for prefix in ["formats/bmp_", "formats/pnm_", "formats/gif_", "formats/webp_", "formats/tiff_"] {
      #expect(files.filter { $0.hasPrefix(prefix) }.count >= 5, "too few \(prefix) cases")
    }
    for name in [
      "bmp_rle4.bmp", "bmp_rle8_topdown_delta.bmp", "bmp_h12_8bit.bmp", "bmp_h124_24bit.bmp",
      "bmp_16bit_bitfields_565.bmp", "pnm_P1.pbm", "pnm_P3_max4095.ppm", "pnm_P5_max65535.pgm",
      "gif_P16_interlaced.gif", "webp_animated.webp", "webp_lossless_alpha.webp",
      "tiff_be_rgb_packbits_tiles.tif", "tiff_le_gray16_deflate_predictor_tiles.tif",
      "tiff_pillow_rgb_jpeg.tif", "tiff_pillow_YCbCr_lzw.tif", "tiff_le_cmyk_planar.tif",
      "tiff_orientation_6.tif",
    ] {
      #expect(files.contains("formats/" + name), "manifest lacks \(name)")
    }
    #expect(Self.formatCases.filter { $0.op == "resize" }.count >= 60)
  }

  @Test func namesThatLieAreIgnored() throws {
    for (name, format) in [
      ("bmp_named.png", ImageFormat.bmp), ("pnm_named.jpg", .ppm),
      ("gif_named.webp", .gif), ("webp_named.tif", .webp),
    ] {
      let data = try Data(contentsOf: Fixtures.url("formats/" + name))
      #expect(data.withUnsafeBytes { ImageFormat.detect($0) } == format, "\(name)")
    }
  }

  @Test func tiffOrientationIsAppliedWithoutBeingAsked() throws {
    // Pillow's TIFF loader transposes by the Orientation tag on load; orientation 6 turns
    // the stored W×H into H×W whether or not EXIF orientation was requested.
    let stored = try ImageDecoder.decode(contentsOf: Fixtures.url("formats/tiff_le_rgb_none_strips.tif"))
    for exif in [false, true] {
      let rotated = try ImageDecoder.decode(
        contentsOf: Fixtures.url("formats/tiff_orientation_6.tif"),
        options: DecodeOptions(applyEXIFOrientation: exif))
      #expect(rotated.shape == [stored.shape[1], stored.shape[0], 3])
    }
  }

  @Test(arguments: [("12", 12), ("+7", 7), ("-3", -3), ("1_000", 1000), ("0", 0)])
  func pnmTokensParseAsPythonInt(_ text: String, _ value: Int) {
    #expect(PNMDecoder.pythonInt(Array(text.utf8)) == value)
  }

  @Test(arguments: ["", "_1", "1_", "1__0", "0x10", "1.0", "+", "1e3"])
  func pnmTokensPythonRefuses(_ text: String) {
    #expect(PNMDecoder.pythonInt(Array(text.utf8)) == nil)
  }
}

/// Inputs libFuzzer found in the new decoders, pinned to the error they give now (the files
/// are under Fuzz/Regressions/, which HostileInputTests also replays).
@Suite struct FormatFuzzRegressionTests {
  static let regressions = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz/Regressions")

  @Test func bmpWithZeroHeightAndAHugeWidthIsRefused() throws {
    // Width 0xFE000017, height 0: the pixel count passed the limit, then the width trapped
    // converting to Int32. Pillow does not identify an image without pixels.
    let url = Self.regressions.appendingPathComponent("bmp/fuzz-zero-height-huge-width-77d6d842.bmp")
    #expect {
      _ = try ImageDecoder.decode(contentsOf: url)
    } throws: { error in
      guard case ImageError.corrupt(_, .bmp, let message) = error else { return false }
      return message.contains("no pixels")
    }
  }

  @Test func gifWithAnEmptyFrameFarOutsideTheScreenIsRefused() throws {
    // A 23×17 screen whose first frame is 58×0 at (20452, 5423): the canvas grew to 111 M
    // pixels and the fuzzer timed out converting it. Pillow refuses the empty frame.
    let url = Self.regressions.appendingPathComponent("gif/fuzz-empty-frame-grows-canvas-timeout-0e494245.gif")
    #expect {
      _ = try ImageDecoder.decode(contentsOf: url)
    } throws: { error in
      guard case ImageError.corrupt(_, .gif, let message) = error else { return false }
      return message.contains("empty")
    }
  }
}
