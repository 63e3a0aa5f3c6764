import Foundation
import NDArray
import Testing

@testable import Imaging

/// `ImageDecoder.decodeSixteenBit` (`--depth 16`) on the checked-in 16-bit PNG fixtures,
/// held to Pillow through the 8-bit decoder: Pillow keeps the high byte of 16-bit colour
/// ("RGB;16B") and clips 16-bit gray at 255, so the 16-bit samples' high bytes must equal
/// the 8-bit (Pillow-checked, golden-CRC) decode, the low bytes must carry data, and 8-bit
/// files must come out as the 8-bit decode times 257. (python-interop/test_depth16.py checks
/// every value against NumPy on the samples.)
@Suite struct SixteenBitDecodeTests {
  func decode(_ file: String, mode: ColorMode) throws -> (wide: NDArray<UInt16>, narrow: NDArray<UInt8>) {
    let url = Fixtures.url("extra/" + file)
    let options = DecodeOptions(mode: mode)
    return (
      try ImageDecoder.decodeSixteenBit(contentsOf: url, options: options),
      try ImageDecoder.decode(contentsOf: url, options: options)
    )
  }

  @Test(arguments: ["png_rgb16.png", "png_rgba16.png", "png_gray_alpha16.png", "png_rgb16_adam7.png"])
  func highBytesArePillowsPixels(file: String) throws {
    for mode in [ColorMode.rgb, .rgba] {
      let (wide, narrow) = try decode(file, mode: mode)
      #expect(wide.shape == narrow.shape)
      let high = wide.flatElements.map { UInt8($0 >> 8) }
      #expect(high == narrow.flatElements, "\(file) \(mode)")
      let lowBytes = Set(wide.flatElements.map { UInt8(truncatingIfNeeded: $0) })
      #expect(lowBytes.count > 16, "\(file): the low bytes were dropped")
    }
  }

  @Test func sixteenBitGrayKeepsWhatPillowClips() throws {
    let (wide, narrow) = try decode("png_gray16.png", mode: .gray)
    let clipped = wide.flatElements.map { UInt8(Swift.min($0, 255)) }
    #expect(clipped == narrow.flatElements)
    #expect(wide.flatElements.contains { $0 > 255 })
  }

  @Test(arguments: ["jpeg_420.jpg", "png_rgba8.png", "png_gray8_trns.png", "png_palette4.png"])
  func eightBitFilesAreScaledBy257(file: String) throws {
    guard FileManager.default.fileExists(atPath: Fixtures.url("extra/" + file).path) else {
      Issue.record("fixture \(file) is missing")
      return
    }
    for mode in [ColorMode.rgb, .gray, .gray3, .rgba] {
      let (wide, narrow) = try decode(file, mode: mode)
      #expect(wide.flatElements == narrow.flatElements.map { UInt16($0) * 257 }, "\(file) \(mode)")
    }
  }

  @Test func resizingAConstantSixteenBitImageKeepsIt() {
    let image = NDArray<UInt16>(Array(repeating: 54321, count: 40 * 30 * 3), shape: [30, 40, 3])
    for filter in ResizeFilter.allCases {
      let resized = resize(image, width: 17, height: 13, filter: filter)
      #expect(resized.flatElements.allSatisfy { $0 == 54321 }, "\(filter)")
    }
  }
}
