
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
}
