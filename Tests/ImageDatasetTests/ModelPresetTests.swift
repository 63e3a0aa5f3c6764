import Foundation
import Imaging
import NDArray
import Testing

@testable import ImageDataset

/// The preset table and what presets need from the normalization: the frameworks' float32
/// order, channel order, the value scale, and the statistics file carrying them.
@Suite struct ModelPresetTests {
  @Test func everyNameAndAliasFindsItsPresetInAnyLetterCase() throws {
    #expect(Set(ModelPreset.allNames).count == ModelPreset.allNames.count)
    for preset in ModelPreset.all {
      for name in [preset.name] + preset.aliases {
        #expect(ModelPreset.named(name.uppercased()) == preset)
      }
    }
    #expect(ModelPreset.named("timm:resnet50.a1_in1k")?.name == "timm:resnet50")
    #expect(ModelPreset.named("vgg-16") == nil)
  }

  @Test func theKerasModelsUseTheirPreprocessInputModes() throws {
    // keras.applications: vgg16, vgg19, resnet50 call imagenet_utils mode="caffe";
    // inception_v3, xception, mobilenet_v2 mode="tf"; densenet mode="torch".
    for name in ["vgg16", "vgg19", "resnet50"] {
      let preset = try #require(ModelPreset.named(name))
      #expect(preset.family == "keras-caffe" && preset.channelOrder == .bgr && preset.normalization == .center)
      #expect(preset.mean == [103.939, 116.779, 123.68] && preset.valueScale == .pixel)
    }
    for (name, size) in [("inception_v3", 299), ("xception", 299), ("mobilenet_v2", 224)] {
      let preset = try #require(ModelPreset.named(name))
      #expect(preset.family == "keras-tf" && preset.size == size && preset.arithmetic == .float32DivideFirst)
    }
    #expect(ModelPreset.named("densenet121")?.family == "keras-torch")
  }

  @Test func timmShortSidesAreFloorOfSizeOverCropPercent() throws {
    // timm transforms_imagenet_eval: scale_size = math.floor(img_size / crop_pct).
    #expect(ModelPreset.named("timm:resnet50")?.shortSide == 235)  // 224 / 0.95 = 235.79
    #expect(ModelPreset.named("timm:efficientnet_b0")?.shortSide == 256)  // 224 / 0.875 = 256
    #expect(ModelPreset.named("timm:vit_base_patch16_224")?.shortSide == 248)  // 224 / 0.9 = 248.89
  }

  @Test func presetConstantsSurviveTheUnitScaleExactlyInFloat32() throws {
    // Statistics are kept on the unit scale; the float32 steps multiply back by 255. The
    // constants must come back as the same float32 the framework uses.
    for preset in ModelPreset.all {
      let statistics = preset.statistics
      for (given, kept) in zip(preset.mean + preset.std, statistics.mean + statistics.std) {
        #expect(Float(kept * preset.valueScale.divisor) == Float(given), "\(preset.name): \(given)")
      }
    }
  }

  @Test func float32ArithmeticIsTheFrameworksOrderOfSteps() throws {
    let imagenet = NormalizationStatistics(
      mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], minimum: nil, maximum: nil, count: nil)
    let torch = NormalizationTable<Float>(
      mode: .standardize, statistics: imagenet, channels: 3, arithmetic: .float32)
    let caffe = NormalizationTable<Float>(
      mode: .center, statistics: try #require(ModelPreset.named("vgg16")).statistics, channels: 3,
      scale: .pixel, arithmetic: .float32)
    let tf = NormalizationTable<Float>(
      mode: .standardize, statistics: try #require(ModelPreset.named("xception")).statistics, channels: 3,
      scale: .pixel, arithmetic: .float32DivideFirst)
    let caffeMean: [Float] = [103.939, 116.779, 123.68]
    for c in 0..<3 {
      for p in 0..<256 {
        // torchvision: img.float().div(255), then sub_(mean).div_(std) in float32.
        let unit = Float(p) / 255
        #expect(torch.values[256 * c + p] == (unit - Float(imagenet.mean[c])) / Float(imagenet.std[c]))
        // Keras mode="caffe": x[..., c] -= mean[c] on float32 pixels.
        #expect(caffe.values[256 * c + p] == Float(p) - caffeMean[c])
        // Keras mode="tf": x /= 127.5; x -= 1.0.
        #expect(tf.values[256 * c + p] == Float(p) / 127.5 - 1)
      }
    }
  }

  @Test func thePixelScaleInFloat64IsTheUnitScaleTimes255() throws {
    let statistics = NormalizationStatistics(
      mean: [0.25], std: [0.125], minimum: [0.0], maximum: [0.5], count: nil)
    let unit = NormalizationTable<Double>(mode: .center, statistics: statistics, channels: 1)
    let pixel = NormalizationTable<Double>(mode: .center, statistics: statistics, channels: 1, scale: .pixel)
    let standardized = NormalizationTable<Double>(
      mode: .standardize, statistics: statistics, channels: 1, scale: .pixel)
    for p in 0..<256 {
      #expect(pixel.values[p] == Double(p) - 63.75)
      #expect(abs(pixel.values[p] - 255 * unit.values[p]) < 1e-12)
      #expect(abs(standardized.values[p] - (Double(p) / 255 - 0.25) / 0.125) < 1e-12)
    }
  }

  @Test func bgrReversesEachPixel() {
    var pixels: [UInt8] = [1, 2, 3, 4, 5, 6]
    pixels.withUnsafeMutableBufferPointer { ChannelOrder.bgr.arrange($0, channels: 3) }
    #expect(pixels == [3, 2, 1, 6, 5, 4])
    pixels.withUnsafeMutableBufferPointer { ChannelOrder.rgb.arrange($0, channels: 3) }
    #expect(pixels == [3, 2, 1, 6, 5, 4])
  }

  @Test func aPresetRunsStatisticsFileCarriesItsTreatment() throws {
    let preset = try #require(ModelPreset.named("resnet50"))
    var report = StatisticsReport(
      statistics: preset.statistics, scope: .channel, channels: 3, images: 0,
      options: ["size": "64x64", "resize": "stretch", "filter": "nearest", "layout": "nhwc"])
    report.preset = preset.name
    report.channelOrder = preset.channelOrder
    report.valueScale = preset.valueScale
    let text = String(decoding: try report.encoded(), as: UTF8.self)
    // On the 0-255 scale in the file, as Keras writes the numbers.
    #expect(
      text.contains("103.939") && text.contains("\"scale\" : 255") && text.contains("\"channel_order\" : \"bgr\""))
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let read = try StatisticsReport.read(from: try dir.file("stats.json", text))
    #expect(read.statistics == preset.statistics && read.preset == "resnet50" && read.channelOrder == .bgr)
    var options = ConversionOptions()
    options.adoptTreatment(of: read)
    #expect(options.size == ImageSize(width: 64, height: 64) && options.channelOrder == .bgr)
    #expect(options.valueScale == .pixel && options.arithmetic == .float32 && options.normalization == .center)
  }
}
