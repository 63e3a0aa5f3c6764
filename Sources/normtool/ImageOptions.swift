import ArgumentParser
import ImageDataset
import Imaging

/// How each image is decoded and resized, shared by `convert` and `stats FOLDER` (one
/// `@OptionGroup`), so that `stats` measures exactly the pixels `convert` normalizes.
/// Options left out keep their defaults, or a `--preset`'s values.
///
/// The Pillow equivalent is `Image.open(path).convert(mode).resize(size, filter)` (with
/// `Image.alpha_composite` onto `--alpha-background` first, and 16-bit samples kept with
/// `--depth 16`).
struct ImageOptions: ParsableArguments {
  @Option(help: "Output size: N (N x N) or WxH. Default: keep; all images must then share one size.")
  var size: String?

  @Option(
    help: ArgumentHelp(
      "How --size fits the image (default: stretch).",
      discussion:
        "stretch: resize; crop: ImageOps.fit; pad: ImageOps.pad; short-side-crop: the shorter side to --short-side keeping the aspect ratio, then the centre --size window (torchvision's Resize(N) + CenterCrop)."
    ))
  var resize: ResizeMode?

  @Option(
    help: "The shorter side before the centre crop of --resize short-side-crop (default: the shorter side of --size).")
  var shortSide: Int?

  @Option(help: "Resampling filter, Pillow's Image.Resampling (default: bilinear).")
  var filter: ResizeFilter?

  @Option(
    help:
      "Color mode: rgb, gray (Pillow's convert('RGB' | 'L')), rgba (alpha kept, Keras color_mode='rgba') or gray3 (convert('L').convert('RGB')) (default: rgb)."
  )
  var color: ColorMode?

  @Option(help: "Channel order of x: rgb, or bgr for caffe-trained models (x[..., ::-1]) (default: rgb).")
  var channelOrder: ChannelOrder?

  @Flag(help: "Rotate images by their EXIF orientation tag (off, as in Pillow, Keras, torchvision).")
  var exifOrientation = false

  // Issue 11 (--depth, --alpha-background, --draft): kept together.
  @Option(
    help:
      "Bits per sample: 8 (Pillow's behaviour) or 16 (16-bit PNG, TIFF and PNM keep full precision, scale v/65535; 8-bit images x257; --normalize none writes uint16) (default: 8)."
  )
  var depth: SampleDepth?

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

  /// Whether any option was given (they apply to image folders only).
  var isSet: Bool {
    size != nil || resize != nil || shortSide != nil || filter != nil || color != nil || channelOrder != nil
      || exifOrientation || depth != nil || alphaBackground != nil || draft
  }

  /// Sets the decoding and resizing fields of `options` that were given; returns their
  /// option names (`--size`, …), which override a preset's.
  @discardableResult
  func apply(to options: inout ConversionOptions) throws -> [String] {
    var given: [String] = []
    if let size {
      guard let parsed = ImageSize(argument: size) else {
        throw ValidationError("--size: expected N or WxH with positive numbers, found '\(size)'")
      }
      options.size = parsed
      given.append("--size")
    }
    if let resize {
      options.resizeMode = resize
      given.append("--resize")
      if resize != .shortSideCrop { options.shortSide = nil }
    }
    if let shortSide { options.shortSide = shortSide; given.append("--short-side") }
    if let filter { options.filter = filter; given.append("--filter") }
    if let color { options.color = color; given.append("--color") }
    if let channelOrder { options.channelOrder = channelOrder; given.append("--channel-order") }
    options.applyEXIFOrientation = exifOrientation
    if exifOrientation { given.append("--exif-orientation") }
    if let depth { options.depth = depth; given.append("--depth") }
    if draft { options.draft = true; given.append("--draft") }
    if let alphaBackground {
      guard let color = BackgroundColor(argument: alphaBackground) else {
        throw ValidationError("--alpha-background: expected R,G,B with each 0-255, found '\(alphaBackground)'")
      }
      options.alphaBackground = color
      given.append("--alpha-background")
    }
    return given
  }
}
