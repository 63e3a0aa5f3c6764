/// The container formats the decoder reads, told apart by their leading bytes.
///
/// Pillow identifies files the same way (each plugin's `_accept` checks the magic), never
/// by extension.
public enum ImageFormat: String, Sendable, CustomStringConvertible, CaseIterable {
  /// JPEG/JFIF/EXIF: starts with `FF D8 FF`.
  case jpeg = "JPEG"
  /// PNG: starts with `89 50 4E 47 0D 0A 1A 0A`.
  case png = "PNG"
  /// Windows/OS2 bitmap: starts with `BM` (Pillow's `BmpImagePlugin`).
  case bmp = "BMP"
  /// Netpbm PBM/PGM/PPM: `P` then one of `0123456fy` (Pillow's `PpmImagePlugin._accept`).
  case ppm = "PPM"
  /// GIF: starts with `GIF87a` or `GIF89a`.
  case gif = "GIF"
  /// WebP: `RIFF`, a 4-byte size, then `WEBP`.
  case webp = "WEBP"
  /// TIFF and BigTIFF: `II*\0`, `MM\0*`, `II+\0`, `MM\0+` (and the two swapped forms
  /// Pillow's `TiffImagePlugin.PREFIXES` also accepts).
  case tiff = "TIFF"

  /// The format's name as Pillow's `Image.format` spells it.
  public var description: String { rawValue }

  /// The signatures, as text for error messages.
  static let signatureList =
    "JPEG, PNG, BMP, PNM (PBM/PGM/PPM), GIF, WebP or TIFF"

  /// The format whose signature `bytes` start with, or nil.
  public static func detect(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
    func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
      bytes.count >= offset + prefix.count
        && prefix.indices.allSatisfy { bytes[offset + $0] == prefix[$0] }
    }
    if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
    if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    if starts(Array("BM".utf8)) { return .bmp }
    if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
    if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
    let tiffPrefixes: [[UInt8]] = [
      [0x4D, 0x4D, 0x00, 0x2A], [0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x2A, 0x00],
      [0x49, 0x49, 0x00, 0x2A], [0x4D, 0x4D, 0x00, 0x2B], [0x49, 0x49, 0x2B, 0x00],
    ]
    if tiffPrefixes.contains(where: { starts($0) }) { return .tiff }
    if bytes.count >= 2 && bytes[0] == UInt8(ascii: "P")
      && Array("0123456fy".utf8).contains(bytes[1])
    {
      return .ppm
    }
    return nil
  }
}
