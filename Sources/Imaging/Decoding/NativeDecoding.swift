import CImageCodecs
import Foundation

/// What the decoders written in Swift (BMP, PNM) share: a failure carrying the same
/// `cic_status` the C decoders return, and a `cic_image` whose pixels come from `malloc`, so
/// `ModeConversion` takes them over exactly as it does libpng's or libjpeg's output.
struct NativeDecodeFailure: Error {
  let status: cic_status
  let message: String

  static func corrupt(_ message: String) -> NativeDecodeFailure {
    NativeDecodeFailure(status: CIC_ERROR_CODEC, message: message)
  }
  static func truncated(_ message: String) -> NativeDecodeFailure {
    NativeDecodeFailure(status: CIC_ERROR_TRUNCATED, message: message)
  }
  static func unsupported(_ message: String) -> NativeDecodeFailure {
    NativeDecodeFailure(status: CIC_ERROR_UNSUPPORTED, message: message)
  }
}

enum NativeDecoding {
  /// Refuses an empty image (Pillow's `ImageFile` does not identify a file whose width or
  /// height is 0) and sizes above Pillow's decompression-bomb limit (`2 × MAX_IMAGE_PIXELS`),
  /// as `Image.open` does before any pixel is read.
  static func checkPixelLimit(width: Int, height: Int) throws {
    guard width > 0 && height > 0 else {
      throw NativeDecodeFailure.corrupt("image size \(width)x\(height) has no pixels")
    }
    if width.multipliedReportingOverflow(by: height).partialValue > Int(CIC_MAX_PIXELS)
      || width > Int(Int32.max) || height > Int(Int32.max)
    {
      throw NativeDecodeFailure(
        status: CIC_ERROR_TOO_LARGE,
        message: "image size \(width)x\(height) exceeds the limit of \(CIC_MAX_PIXELS) pixels")
    }
  }

  /// A zero-filled `cic_image` of `bytesPerPixel`-byte pixels, with `fill` writing them.
  /// The pixels are `malloc`ed: the returned image owns them until `ModeConversion` takes
  /// them over.
  static func makeImage(
    width: Int, height: Int, layout: cic_layout, bytesPerPixel: Int,
    fill: (UnsafeMutablePointer<UInt8>) throws -> Void
  ) throws -> cic_image {
    var image = cic_image()
    let count = width * height * bytesPerPixel
    guard let raw = calloc(max(count, 1), 1) else {
      throw NativeDecodeFailure(
        status: CIC_ERROR_OUT_OF_MEMORY,
        message: "out of memory for \(count) bytes")
    }
    let pixels = raw.assumingMemoryBound(to: UInt8.self)
    do {
      try fill(pixels)
    } catch {
      free(raw)
      throw error
    }
    image.width = Int32(width)
    image.height = Int32(height)
    image.layout = Int32(bitPattern: layout.rawValue)
    image.pixels = pixels
    image.byte_count = count
    return image
  }

  /// Stores up to 256 RGB triples as the image's palette (Pillow pads the rest with black).
  static func setPalette(_ image: inout cic_image, _ rgb: [UInt8]) {
    let entries = min(rgb.count / 3, 256)
    withUnsafeMutableBytes(of: &image.palette) { palette in
      for i in 0..<(entries * 3) { palette[i] = rgb[i] }
    }
    image.palette_count = Int32(entries)
  }
}

/// Little-endian integers from a byte buffer, bounds-checked: a read past the end is the
/// file's truncation, reported with `what` was being read.
struct LittleEndianBytes {
  let bytes: UnsafeRawBufferPointer

  func u8(_ offset: Int) -> Int? {
    offset >= 0 && offset < bytes.count ? Int(bytes[offset]) : nil
  }
  func u16(_ offset: Int) -> Int? {
    guard offset >= 0, offset + 2 <= bytes.count else { return nil }
    return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
  }
  func u32(_ offset: Int) -> Int? {
    guard offset >= 0, offset + 4 <= bytes.count else { return nil }
    return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
      | Int(bytes[offset + 3]) << 24
  }
}
