import ArgumentParser
import ImageDataset
import Imaging

/// How each image is decoded and resized, shared by `convert` and `stats FOLDER` (one
/// `@OptionGroup`), so that `stats` measures exactly the pixels `convert` normalizes.
///
/// The Pillow equivalent is `Image.open(path).convert(mode).resize(size, filter)`.
struct ImageOptions: ParsableArguments {
  @Option(help: "Output size: N (N x N) or WxH. Default: keep; all images must then share one size.")
  var size: String?

  @Option(help: "How --size fits the image: stretch, crop (ImageOps.fit) or pad (ImageOps.pad).")
  var resize: ResizeMode = .stretch

  @Option(help: "Resampling filter (Pillow's Image.Resampling).")
  var filter: ResizeFilter = .bilinear

  @Option(help: "Color mode the images are converted to (Pillow's convert('RGB' | 'L')).")
  var color: ColorMode = .rgb

  @Flag(help: "Rotate images by their EXIF orientation tag (off, as in Pillow, Keras, torchvision).")
  var exifOrientation = false

  /// Whether any option differs from its default (they apply to image folders only).
  var isSet: Bool {
    size != nil || resize != .stretch || filter != .bilinear || color != .rgb || exifOrientation
  }

  /// Sets the decoding and resizing fields of `options`.
  func apply(to options: inout ConversionOptions) throws {
    if let size {
      guard let parsed = ImageSize(argument: size) else {
        throw ValidationError("--size: expected N or WxH with positive numbers, found '\(size)'")
      }
      options.size = parsed
    }
    options.resizeMode = resize
    options.filter = filter
    options.color = color
    options.applyEXIFOrientation = exifOrientation
  }
}
