/// The container formats the decoder reads, told apart by their leading bytes.
///
/// Pillow identifies files the same way (each plugin's `_accept` checks the magic), never
/// by extension.
public enum ImageFormat: String, Sendable, CustomStringConvertible {
  /// JPEG/JFIF/EXIF: starts with `FF D8 FF`.
  case jpeg = "JPEG"
  /// PNG: starts with `89 50 4E 47 0D 0A 1A 0A`.
  case png = "PNG"

  /// The format's name as Pillow's `Image.format` spells it.
  public var description: String { rawValue }

  /// The format whose signature `bytes` start with, or nil.
  public static func detect(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
    if bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF {
      return .jpeg
    }
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    if bytes.count >= png.count && zip(bytes, png).allSatisfy({ $0 == $1 }) {
      return .png
    }
    return nil
  }
}
