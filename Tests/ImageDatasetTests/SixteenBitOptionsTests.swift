import Foundation
import Imaging
import Testing

@testable import ImageDataset

/// `--depth 16` where it meets the other options: the 8-bit conventions refused, the plan's
/// coding and the shard markers' moments carrying 16-bit runs, and earlier 8-bit files
/// unchanged. The pixels themselves are checked against NumPy in python-interop/test_depth16.py
/// and sharded runs against convert in test_shard_depth16.py.
@Suite struct SixteenBitOptionsTests {
  @Test func the8BitConventionsAreRefusedAt16Bits() throws {
    var options = ConversionOptions()
    options.depth = .sixteen
    try options.validate()
    options.channelOrder = .bgr
    try options.validate()
    var scaled = options
    scaled.valueScale = .pixel
    #expect(throws: ConversionError.self) { try scaled.validate() }
    var preset = ConversionOptions()
    try #require(ModelPreset.named("torchvision")).apply(to: &preset)
    try preset.validate()
    preset.depth = .sixteen
    #expect(throws: ConversionError.self) { try preset.validate() }
  }

  @Test func thePlanCodingCarriesIssue11OptionsOnlyWhenSet() throws {
    let defaults = String(decoding: try JSONEncoder().encode(ConversionOptions()), as: UTF8.self)
    for key in ["depth", "draft", "alpha_background"] { #expect(!defaults.contains("\"\(key)\"")) }
    var options = ConversionOptions()
    options.size = ImageSize(width: 32, height: 24)
    options.depth = .sixteen
    options.draft = true
    options.alphaBackground = BackgroundColor(red: 255, green: 128, blue: 0)
    options.color = .gray3
    let decoded = try JSONDecoder().decode(ConversionOptions.self, from: try JSONEncoder().encode(options))
    #expect(decoded == options)
    #expect(options.record(folder: "f")["depth"] == "16")
    #expect(options.record(folder: "f")["alpha_background"] == "255,128,0")
    #expect(ConversionOptions().record(folder: "f")["depth"] == nil)
  }

  @Test func sixteenBitMomentsSurviveJSONPastSixtyFourBits() throws {
    var moments = PixelMoments(channels: 1, maximumValue: 65535)
    moments.count = [1 << 34]
    moments.sum = [(1 << 34) * 65535]
    moments.sumOfSquares = [UInt128(1 << 34) * 65535 * 65535]
    moments.minimum = [65535]
    moments.maximum = [65535]
    let data = try JSONEncoder().encode(moments)
    #expect(String(decoding: data, as: UTF8.self).contains("\"max_value\":65535"))
    #expect(try JSONDecoder().decode(PixelMoments.self, from: data) == moments)
    let eightBit = String(
      decoding: try JSONEncoder().encode(PixelMoments(channels: 1, maximumValue: 255)), as: UTF8.self)
    #expect(!eightBit.contains("max_value"))
    let overRange = Data(#"{"count":[1],"sum":[300],"sum_of_squares":[90000],"min":[300],"max":[300]}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(PixelMoments.self, from: overRange) }
  }
}
