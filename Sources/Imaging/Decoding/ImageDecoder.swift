import CImageCodecs
import Foundation
import NDArray

/// Decodes JPEG, PNG, BMP, PNM, GIF, WebP and TIFF files to `NDArray<UInt8>` of shape
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
  /// - Returns: (H, W, 3) for `.rgb`, (H, W, 1) for `.gray`, C-contiguous.
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
    guard bytes.count > 0, let base = bytes.baseAddress else { throw ImageError.emptyFile(file: name) }
    guard let format = ImageFormat.detect(bytes) else {
      throw ImageError.unknownFormat(file: name, leadingBytes: Array(bytes.prefix(8)))
    }
    let data = base.assumingMemoryBound(to: UInt8.self)
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
      status = cic_decode_png(data, bytes.count, &image)
    case .webp:
      status = cic_decode_webp(data, bytes.count, &image)
    case .tiff:
      status = cic_decode_tiff(data, bytes.count, &image)
    case .gif:
      status = cic_decode_gif(data, bytes.count, &image)
    case .bmp, .ppm:
      do {
        image = try format == .bmp ? BMPDecoder.decode(bytes) : PNMDecoder.decode(bytes)
        status = CIC_OK
      } catch let failure as NativeDecodeFailure {
        throw ImageError(status: failure.status, message: failure.message, file: name, format: format)
      }
    }
    guard status == CIC_OK else {
      cic_image_free(&image)
      throw ImageError(status: status, message: Self.message(of: &image), file: name, format: format)
    }
    // Pillow's TIFF loader applies the Orientation tag itself, whatever the caller asks.
    let tiffOrientation = format == .tiff ? EXIFOrientation(rawValue: Int(image.orientation)) : nil
    let exifOrientation = EXIFOrientation.read(bytes, format: format)
    let info = ImageInfo(image, format: format, bytes: bytes, orientation: tiffOrientation ?? exifOrientation)
    var pixels = ModeConversion.convert(&image, to: options.mode)
    if let tiffOrientation, tiffOrientation != .up { pixels = tiffOrientation.transpose(pixels) }
    if options.applyEXIFOrientation && exifOrientation != .up { pixels = exifOrientation.transpose(pixels) }
    return (pixels, info)
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
    let bytes = try readFile(url)
    return try bytes.withUnsafeBytes { try decode($0, name: url.path, options: options) }
  }

  /// The whole file at `url`, up to ``maxFileBytes``, for ``decodeDescribed(_:name:options:)``.
  ///
  /// - Throws: `ImageError.unreadable` or `.tooLarge` naming the file.
  public static func readFile(_ url: URL) throws -> [UInt8] {
    try FileReading.readAll(url.path, maxBytes: maxFileBytes)
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
