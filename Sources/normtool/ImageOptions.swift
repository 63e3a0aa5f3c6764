import ArgumentParser
import ImageDataset
import Imaging

/// How each image is decoded and resized, shared by `convert` and `stats FOLDER` (one
/// `@OptionGroup`), so that `stats` measures exactly the pixels `convert` normalizes.
///
/// The Pillow equivalent is `Image.open(path).convert(mode).resize(size, filter)` (with
/// `Image.alpha_composite` onto `--alpha-background` first, and 16-bit samples kept with
/// `--depth 16`).
struct ImageOptions: ParsableArguments {
  @Option(help: "Output size: N (N x N) or WxH. Default: keep; all images must then share one size.")
  var size: String?

  @Option(help: "How --size fits the image: stretch, crop (ImageOps.fit) or pad (ImageOps.pad).")
  var resize: ResizeMode = .stretch

  @Option(help: "Resampling filter (Pillow's Image.Resampling).")
  var filter: ResizeFilter = .bilinear

  @Option(
    help:
      "Color mode: rgb, gray (Pillow's convert('RGB' | 'L')), rgba (alpha kept, Keras color_mode='rgba') or gray3 (convert('L').convert('RGB'))."
  )
  var color: ColorMode = .rgb

  @Flag(help: "Rotate images by their EXIF orientation tag (off, as in Pillow, Keras, torchvision).")
  var exifOrientation = false

  // Issue 11 (--depth, --alpha-background, --draft): kept together.
  @Option(
    help:
      "Bits per sample: 8 (Pillow's behaviour) or 16 (16-bit PNG, TIFF and PNM keep full precision, scale v/65535; 8-bit images x257; --normalize none writes uint16)."
  )
  var depth: SampleDepth = .eight

  @Option(
    help:
      "Composite images with transparency onto this color, R,G,B (0-255 each), before alpha is dropped (Image.alpha_composite). Default: drop alpha, as Pillow's convert('RGB')."
  )
  var alphaBackground: String?

  @Flag(
    help:
      "Decode JPEGs with DCT scaling (1/2, 1/4, 1/8) to at least --size first, as Pillow's Image.draft('RGB', size) before resize (what Image.thumbnail does): faster for large photos, not the pixels of a full decode."
  )
  var draft = false

  /// Whether any option differs from its default (they apply to image folders only).
  var isSet: Bool {
    size != nil || resize != .stretch || filter != .bilinear || color != .rgb || exifOrientation
      || depth != .eight || alphaBackground != nil || draft
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
    options.depth = depth
    options.draft = draft
    if let alphaBackground {
      guard let color = BackgroundColor(argument: alphaBackground) else {
        throw ValidationError("--alpha-background: expected R,G,B with each 0-255, found '\(alphaBackground)'")
      }
      options.alphaBackground = color
    }
  }
}
