import _ErrorText

/// Why an image file could not be decoded.
///
/// Every case names the file and the reason in its `description`, one line, keeping the
/// underlying codec's message. Pillow raises `PIL.UnidentifiedImageError`,
/// `OSError("image file is truncated")`, `SyntaxError` or `DecompressionBombError` for the
/// same situations.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file holds no bytes at all.
  case emptyFile(file: String)
  /// The leading bytes match no signature ``ImageFormat`` knows
  /// (Pillow: `UnidentifiedImageError`).
  case unknownFormat(file: String, leadingBytes: [UInt8])
  /// The data ended before the last row of pixels (Pillow: "image file is truncated").
  case truncated(file: String, format: ImageFormat, message: String)
  /// The codec rejected the data; `message` is the codec's own text (libjpeg, libpng, libwebp, libtiff, or ours for BMP, PNM and GIF).
  case corrupt(file: String, format: ImageFormat, message: String)
  /// A valid file this decoder does not handle (e.g. a 2-component JPEG).
  case unsupported(file: String, format: ImageFormat, message: String)
  /// Width × height exceeds Pillow's decompression-bomb limit (178,956,970 pixels).
  case tooLarge(file: String, message: String)
  /// Memory for the pixels could not be allocated.
  case outOfMemory(file: String, message: String)
  /// The file could not be read from disk.
  case unreadable(file: String, reason: String)

  /// One line: the file, then what was expected and what was found.
  public var description: String { OneLineMessage.escaped("\(file): \(rawReason)") }

  /// The file the error is about, as given to the decoder.
  public var file: String {
    switch self {
    case .emptyFile(let file), .unknownFormat(let file, _), .truncated(let file, _, _),
      .corrupt(let file, _, _), .unsupported(let file, _, _), .tooLarge(let file, _),
      .outOfMemory(let file, _), .unreadable(let file, _):
      return file
    }
  }

  /// ``description`` without the file: what was expected and what was found, one line
  /// (Pillow: the exception's message).
  public var reason: String { OneLineMessage.escaped(rawReason) }

  private var rawReason: String {
    switch self {
    case .emptyFile:
      return "empty file (0 bytes), expected an image (\(ImageFormat.signatureList))"
    case .unknownFormat(_, let bytes):
      let hex = bytes.map { String($0, radix: 16, uppercase: true) }
        .map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
      return "not a JPEG or PNG image, nor BMP, PNM, GIF, WebP or TIFF: no known signature, found \(hex)"
    case .truncated(_, let format, let message):
      return "\(format) file is truncated: \(message)"
    case .corrupt(_, let format, let message):
      return "corrupt \(format) data: \(message)"
    case .unsupported(_, let format, let message):
      return "unsupported \(format) image: \(message)"
    case .tooLarge(_, let message), .outOfMemory(_, let message):
      return message
    case .unreadable(_, let reason):
      return "cannot read file: \(reason)"
    }
  }
}
