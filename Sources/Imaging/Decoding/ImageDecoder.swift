import CImageCodecs
import Foundation
import NDArray

/// Decodes JPEG, PNG, BMP, PNM, GIF, WebP and TIFF files to `NDArray<UInt8>` (or, for
/// `--depth 16`, `NDArray<UInt16>`) of shape
/// (height, width, channels).
///
/// The Pillow equivalent is `numpy.asarray(Image.open(f).convert(mode))`: the pixels are
/// the same, bit for bit, for every JPEG and PNG encoding (see docs/design.md §4) and for the
/// encodings of the other formats the parity suites cover. The format is found from the
/// leading bytes, never from the file name.
public enum ImageDecoder {
  /// Decodes an image held in memory.
  ///
  /// - Parameters:
  ///   - bytes: the whole file.
  ///   - name: the file's name, used only in error messages.
  ///   - options: colour mode, EXIF orientation, JPEG draft size.
  /// - Returns: (H, W, C) with C = `options.mode.channels`, C-contiguous.
  /// - Throws: `ImageError` naming `name` and the reason.
  public static func decode(
    _ bytes: UnsafeRawBufferPointer, name: String,
    options: DecodeOptions = DecodeOptions()
  ) throws -> NDArray<UInt8> {
    try decodeDescribed(bytes, name: name, options: options).pixels
  }

  /// Decodes an image held in memory, as ``decode(_:name:options:)``, and says what the
  /// pixels no longer show: format, stored size, 16-bit samples, transparency, orientation.
  public static func decodeDescribed(
    _ bytes: UnsafeRawBufferPointer, name: String,
    options: DecodeOptions = DecodeOptions()
  ) throws -> (pixels: NDArray<UInt8>, info: ImageInfo) {
    var (image, format) = try decodeSamples(bytes, name: name, options: options, keepSixteenBit: false)
    let info = ImageInfo(image, format: format, bytes: bytes)
    let pixels = ModeConversion.convert(&image, to: options.mode, background: options.alphaBackground)
    return (oriented(pixels, image: image, bytes: bytes, format: format, options: options), info)
  }

  /// Decodes to 16-bit samples, as ``decodeSixteenBit(_:name:options:)``, with the file's
  /// facts (``decodeDescribed(_:name:options:)``).
  public static func decodeSixteenBitDescribed(
    _ bytes: UnsafeRawBufferPointer, name: String,
    options: DecodeOptions = DecodeOptions()
  ) throws -> (pixels: NDArray<UInt16>, info: ImageInfo) {
    var (image, format) = try decodeSamples(bytes, name: name, options: options, keepSixteenBit: true)
    let info = ImageInfo(image, format: format, bytes: bytes)
    let pixels = ModeConversion.convertSixteenBit(&image, to: options.mode, background: options.alphaBackground)
    return (oriented(pixels, image: image, bytes: bytes, format: format, options: options), info)
  }

  /// Decodes an image held in memory to 16-bit samples (`--depth 16`).
  ///
  /// 16-bit PNG, TIFF and PNM (maxval above 255) keep every sample as libpng, libtiff and the
  /// file give it; every other image is decoded as ``decode(_:name:options:)`` decodes it and
  /// scaled by 257 (so 255 becomes 65535 and both depths share the unit scale `v / 65535`).
  /// Colour conversion of 16-bit samples follows Pillow's 8-bit rules on 16-bit values
  /// (``ModeConversion``). The NumPy equivalent is `cv2.imread(f, cv2.IMREAD_UNCHANGED)`
  /// (or `tifffile.imread`) for the 16-bit files, and `numpy.asarray(im, numpy.uint16) * 257`
  /// for 8-bit ones.
  ///
  /// - Returns: (H, W, channels) `UInt16`, C-contiguous.
  /// - Throws: `ImageError` naming `name` and the reason.
  public static func decodeSixteenBit(
    _ bytes: UnsafeRawBufferPointer, name: String,
    options: DecodeOptions = DecodeOptions()
  ) throws -> NDArray<UInt16> {
    try decodeSixteenBitDescribed(bytes, name: name, options: options).pixels
  }

  /// The decoded samples before colour conversion, and the format they came from.
  static func decodeSamples(
    _ bytes: UnsafeRawBufferPointer, name: String, options: DecodeOptions, keepSixteenBit: Bool
  ) throws -> (cic_image, ImageFormat) {
    guard bytes.count > 0, let base = bytes.baseAddress else { throw ImageError.emptyFile(file: name) }
    guard let format = ImageFormat.detect(bytes) else {
      throw ImageError.unknownFormat(file: name, leadingBytes: Array(bytes.prefix(8)))
    }
    let data = base.assumingMemoryBound(to: UInt8.self)
    // A PNG's tRNS colour key becomes alpha only when alpha is used (Pillow's convert("RGB")
    // ignores it).
    let usesAlpha = options.mode == .rgba || options.alphaBackground != nil
    let flags = (keepSixteenBit ? CIC_DECODE_KEEP_16 : 0) | (usesAlpha ? CIC_DECODE_TRNS_ALPHA : 0)
    var image = cic_image()
    let status: cic_status
    switch format {
    case .jpeg:
      var denominator: Int32 = 1
      if let draft = options.draft {
        denominator = Int32(JPEGDraft.scaleDenominator(bytes, requested: draft))
      }
      status = cic_decode_jpeg(data, bytes.count, denominator, &image)
    case .png:
      status = cic_decode_png_depth(data, bytes.count, flags, &image)
    case .webp:
      status = cic_decode_webp(data, bytes.count, &image)
    case .tiff:
      status = cic_decode_tiff_depth(data, bytes.count, flags, &image)
    case .gif:
      status = cic_decode_gif(data, bytes.count, &image)
    case .bmp, .ppm:
      do {
        image =
          try format == .bmp
          ? BMPDecoder.decode(bytes) : PNMDecoder.decode(bytes, keepSixteenBit: keepSixteenBit)
        status = CIC_OK
      } catch let failure as NativeDecodeFailure {
        throw ImageError(status: failure.status, message: failure.message, file: name, format: format)
      }
    }
    guard status == CIC_OK else {
      cic_image_free(&image)
      throw ImageError(status: status, message: Self.message(of: &image), file: name, format: format)
    }
    return (image, format)
  }

  /// Applies a TIFF's Orientation tag (Pillow's TIFF loader does, whatever the caller asks)
  /// and, when asked, the EXIF orientation.
  static func oriented<Sample: NDArrayElement>(
    _ pixels: NDArray<Sample>, image: cic_image, bytes: UnsafeRawBufferPointer,
    format: ImageFormat, options: DecodeOptions
  ) -> NDArray<Sample> {
    var pixels = pixels
    if format == .tiff, let orientation = EXIFOrientation(rawValue: Int(image.orientation)), orientation != .up {
      pixels = orientation.transpose(pixels)
    }
    if options.applyEXIFOrientation {
      let orientation = EXIFOrientation.read(bytes, format: format)
      if orientation != .up { pixels = orientation.transpose(pixels) }
    }
    return pixels
  }

  /// The largest file ``decode(contentsOf:options:)`` reads, 1 GiB: an image under the
  /// pixel limit (178,956,970 pixels, 4 bytes each at most) cannot need more.
  public static let maxFileBytes = 1 << 30

  /// Reads a file and decodes it (see `decode(_:name:options:)`).
  ///
  /// - Throws: `ImageError.unreadable` when the file cannot be read, else as `decode`.
  public static func decode(
    contentsOf url: URL,
    options: DecodeOptions = DecodeOptions()
  ) throws -> NDArray<UInt8> {
    // Read, not mapped: a file truncated while we decode must give an error, not SIGBUS.
    let bytes = try FileReading.readAll(url.path, maxBytes: maxFileBytes)
    return try bytes.withUnsafeBytes { try decode($0, name: url.path, options: options) }
  }

  /// The whole file at `url`, up to ``maxFileBytes``, for ``decodeDescribed(_:name:options:)``.
  ///
  /// - Throws: `ImageError.unreadable` or `.tooLarge` naming the file.
  public static func readFile(_ url: URL) throws -> [UInt8] {
    try FileReading.readAll(url.path, maxBytes: maxFileBytes)
  }

  /// Reads a file and decodes it to 16-bit samples (see `decodeSixteenBit(_:name:options:)`).
  ///
  /// - Throws: `ImageError.unreadable` when the file cannot be read, else as `decodeSixteenBit`.
  public static func decodeSixteenBit(
    contentsOf url: URL,
    options: DecodeOptions = DecodeOptions()
  ) throws -> NDArray<UInt16> {
    let bytes = try FileReading.readAll(url.path, maxBytes: maxFileBytes)
    return try bytes.withUnsafeBytes { try decodeSixteenBit($0, name: url.path, options: options) }
  }

  static func message(of image: inout cic_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }
}

extension ImageError {
  init(status: cic_status, message: String, file: String, format: ImageFormat) {
    switch status {
    case CIC_ERROR_TRUNCATED: self = .truncated(file: file, format: format, message: message)
    case CIC_ERROR_TOO_LARGE: self = .tooLarge(file: file, message: message)
    case CIC_ERROR_OUT_OF_MEMORY: self = .outOfMemory(file: file, message: message)
    case CIC_ERROR_UNSUPPORTED: self = .unsupported(file: file, format: format, message: message)
    default: self = .corrupt(file: file, format: format, message: message)
    }
  }
}
