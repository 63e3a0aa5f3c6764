import CImageCodecs

/// Facts about one decoded file that the pixels no longer show: its format, its stored size,
/// whether it had samples wider than 8 bits or an alpha channel with transparent pixels, and
/// its EXIF orientation.
///
/// The Pillow equivalents, after `im = Image.open(path)`: `im.format`, `im.size`,
/// `im.mode == "I;16"` (or a 16-bit PNG, which Pillow reads as `"RGB"`/`"RGBA"`),
/// `"A" in im.getbands() and im.getchannel("A").getextrema()[0] < 255`, and
/// `im.getexif().get(0x0112, 1)`.
public struct ImageInfo: Sendable, Equatable {
  /// The container format, found from the leading bytes (Pillow's `Image.format`).
  public var format: ImageFormat
  /// Columns as stored, before any orientation or resizing (`im.size[0]`).
  public var width: Int
  /// Rows as stored (`im.size[1]`).
  public var height: Int
  /// Whether the file holds samples wider than 8 bits (16-bit PNG, 12/16-bit gray TIFF,
  /// PGM with maxval above 255), which the 8-bit output reduces.
  public var hasSixteenBitSamples: Bool
  /// Whether the file has an alpha channel with at least one pixel below 255 (fully opaque
  /// alpha, as every WebP decodes to, does not count). Palette transparency (GIF, PNG
  /// `tRNS`) is not counted: the decoders drop it before this is known.
  public var hasTransparency: Bool
  /// The EXIF Orientation tag (1…8), 1 when absent; for TIFF the Orientation tag, which
  /// Pillow applies itself.
  public var orientation: EXIFOrientation

  /// Facts given directly (a custom loader's, or a test's).
  public init(
    format: ImageFormat, width: Int, height: Int, hasSixteenBitSamples: Bool, hasTransparency: Bool,
    orientation: EXIFOrientation
  ) {
    self.format = format
    self.width = width
    self.height = height
    self.hasSixteenBitSamples = hasSixteenBitSamples
    self.hasTransparency = hasTransparency
    self.orientation = orientation
  }

  /// Whether the orientation asks for a rotation or flip (`orientation != 1`).
  public var isRotated: Bool { orientation != .up }
}

extension ImageInfo {
  /// The facts of a `cic_image` as its decoder returned it, before `ModeConversion` takes
  /// its pixels.
  /// The orientation is the TIFF Orientation tag for TIFF (Pillow applies it itself), else
  /// the EXIF one.
  init(_ image: cic_image, format: ImageFormat, bytes: UnsafeRawBufferPointer) {
    let tiffOrientation = format == .tiff ? EXIFOrientation(rawValue: Int(image.orientation)) : nil
    let orientation = tiffOrientation ?? EXIFOrientation.read(bytes, format: format)
    let layout = cic_layout(rawValue: UInt32(truncatingIfNeeded: image.layout))
    // A 16-bit colour PNG is reduced to 8 bits inside libpng; its IHDR bit depth (byte 24,
    // the IHDR chunk always comes first) says it was wider.
    let pngSixteen = format == .png && bytes.count > 24 && bytes[24] == 16
    self.init(
      format: format, width: Int(image.width), height: Int(image.height),
      hasSixteenBitSamples: layout == CIC_LAYOUT_GRAY16 || pngSixteen || image.stored_bits > 8,
      hasTransparency: Self.hasTransparentPixel(image, layout: layout),
      orientation: orientation)
  }

  /// Whether any alpha sample of a GRAY_ALPHA8 or RGBA8 image is below 255, or any pixel of
  /// a palette image uses an entry whose alpha is below 255 (GIF's transparent index, PNG's
  /// palette tRNS): Pillow's `convert("RGBA")` alpha, `min() < 255`.
  static func hasTransparentPixel(_ image: cic_image, layout: cic_layout) -> Bool {
    let stride: Int
    switch layout {
    case CIC_LAYOUT_GRAY_ALPHA8: stride = 2
    case CIC_LAYOUT_RGBA8: stride = 4
    case CIC_LAYOUT_PALETTE8: return hasTransparentPaletteEntryInUse(image)
    default: return false
    }
    guard let pixels = image.pixels else { return false }
    let count = min(Int(image.width) * Int(image.height), image.byte_count / stride)
    var index = stride - 1
    for _ in 0..<count {
      if pixels[index] != 255 { return true }
      index += stride
    }
    return false
  }

  /// Whether a pixel of a palette image points at an entry with alpha below 255 (entries past
  /// the alpha list are opaque).
  static func hasTransparentPaletteEntryInUse(_ image: cic_image) -> Bool {
    let alphaCount = min(Int(image.palette_alpha_count), 256)
    guard alphaCount > 0, let pixels = image.pixels else { return false }
    var transparent = [Bool](repeating: false, count: 256)
    withUnsafeBytes(of: image.palette_alpha) { alpha in
      for entry in 0..<alphaCount where alpha[entry] < 255 { transparent[entry] = true }
    }
    guard transparent.contains(true) else { return false }
    let count = min(Int(image.width) * Int(image.height), image.byte_count)
    for i in 0..<count where transparent[Int(pixels[i])] { return true }
    return false
  }
}
