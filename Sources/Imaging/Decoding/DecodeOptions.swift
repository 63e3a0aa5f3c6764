/// The colour mode a decoded image is converted to.
///
/// The Pillow equivalents are the modes `"RGB"` and `"L"` of `Image.convert`.
public enum ColorMode: String, Sendable, CaseIterable {
  /// Three channels, red, green, blue (Pillow `"RGB"`).
  case rgb
  /// One channel of luma, `(19595 R + 38470 G + 7471 B + 0x8000) >> 16` (Pillow `"L"`).
  case gray

  /// Channels per pixel: 3 or 1.
  public var channels: Int { self == .rgb ? 3 : 1 }
}

/// How `ImageDecoder` turns a file into pixels.
///
/// The Pillow equivalent is `Image.open(f)` followed by optional `draft`,
/// `ImageOps.exif_transpose` and `convert(mode)`.
public struct DecodeOptions: Sendable {
  /// The mode to convert to (`Image.convert("RGB")` or `convert("L")`).
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

  /// Options with the given mode, orientation handling and draft size.
  public init(
    mode: ColorMode = .rgb, applyEXIFOrientation: Bool = false,
    draft: (width: Int, height: Int)? = nil
  ) {
    self.mode = mode
    self.applyEXIFOrientation = applyEXIFOrientation
    self.draft = draft
  }
}
