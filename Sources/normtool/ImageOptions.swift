import ArgumentParser
import ImageDataset

/// How each image is decoded and resized, shared by `convert` and `stats FOLDER` (one
/// `@OptionGroup`), so that `stats` measures exactly the pixels `convert` normalizes.
///
/// The Pillow equivalent is `Image.open(path).convert(mode).resize(size, filter)`.
struct ImageOptions: ParsableArguments {
  @Option(help: "Output size: N (N x N) or WxH. Default: keep; all images must then share one size.")
  var size: String?

  @Option(help: "stretch | crop | pad")
  var resize: String = "stretch"

  @Option(help: "bilinear | nearest | bicubic | lanczos | box | hamming")
  var filter: String = "bilinear"

  @Option(help: "rgb | gray")
  var color: String = "rgb"

  @Flag(help: "Rotate images by their EXIF orientation tag (off, as in Pillow, Keras, torchvision).")
  var exifOrientation = false

  /// Sets the decoding and resizing fields of `options`.
  func apply(to options: inout ConversionOptions) throws {
    if let size {
      guard let parsed = ImageSize(argument: size) else {
        throw ValidationError("--size: expected N or WxH with positive numbers, found '\(size)'")
      }
      options.size = parsed
    }
    options.resizeMode = try choose("--resize", resize, ["stretch": .stretch, "crop": .crop, "pad": .pad])
    options.filter = try choose("--filter", filter, [
      "bilinear": .bilinear, "nearest": .nearest, "bicubic": .bicubic, "lanczos": .lanczos,
      "box": .box, "hamming": .hamming,
    ])
    options.color = try choose("--color", color, ["rgb": .rgb, "gray": .gray])
    options.applyEXIFOrientation = exifOrientation
  }
}
