/// The colour mode a decoded image is converted to.
///
/// The Pillow equivalents are the modes of `Image.convert`: `"RGB"`, `"L"`, `"RGBA"`, and
/// `convert("L").convert("RGB")` for ``gray3``.
public enum ColorMode: String, Sendable, CaseIterable {
  /// Three channels, red, green, blue (Pillow `"RGB"`).
  case rgb
  /// One channel of luma, `(19595 R + 38470 G + 7471 B + 0x8000) >> 16` (Pillow `"L"`).
  case gray
  /// Four channels, red, green, blue, alpha (Pillow `"RGBA"`; Keras's `color_mode="rgba"`).
  /// Images without alpha are opaque (255).
  case rgba
  /// Luma replicated to three channels (Pillow `convert("L").convert("RGB")`; torchvision's
  /// `Grayscale(num_output_channels=3)`), for backbones trained on RGB.
  case gray3

  /// Channels per pixel: 3, 1, 4 or 3.
  public var channels: Int {
    switch self {
    case .rgb, .gray3: 3
    case .gray: 1
    case .rgba: 4
    }
  }
}

/// How `ImageDecoder` turns a file into pixels.
///
/// The Pillow equivalent is `Image.open(f)` followed by optional `draft`,
/// `ImageOps.exif_transpose`, `Image.alpha_composite` onto a background, and `convert(mode)`.
public struct DecodeOptions: Sendable {
  /// The mode to convert to (`Image.convert("RGB")`, `convert("L")`, ...).
  public var mode: ColorMode = .rgb
  /// Rotate and flip the image as its EXIF Orientation tag says (`ImageOps.exif_transpose`).
  /// Off by default, as in Pillow, Keras and torchvision.
  public var applyEXIFOrientation = false
  /// Opt-in JPEG DCT-domain downscaling (`Image.draft("RGB", (width, height))`): the JPEG is
  /// decoded at 1/2, 1/4 or 1/8 scale, the largest reduction that keeps both sides at least
  /// this size. Ignored for PNG. Nil decodes at full size. Only the scale is drafted: the
  /// colour conversion stays `convert(mode)` (Pillow's `draft("RGB", size)` then
  /// `convert`), so `.gray` uses the L24 formula, not libjpeg's luma channel.
  public var draft: (width: Int, height: Int)? = nil
  /// Composite images with transparency onto this colour before alpha is dropped
  /// (`Image.alpha_composite(background, im.convert("RGBA")).convert(mode)`); nil drops
  /// alpha as Pillow's `convert("RGB")` does. Not with ``ColorMode/rgba``, which keeps alpha.
  public var alphaBackground: BackgroundColor? = nil

  /// Options with the given mode, orientation handling, draft size and alpha background.
  public init(
    mode: ColorMode = .rgb, applyEXIFOrientation: Bool = false,
    draft: (width: Int, height: Int)? = nil, alphaBackground: BackgroundColor? = nil
  ) {
    self.mode = mode
    self.applyEXIFOrientation = applyEXIFOrientation
    self.draft = draft
    self.alphaBackground = alphaBackground
  }
}
