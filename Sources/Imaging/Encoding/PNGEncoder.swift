import CImageCodecs
import NDArray

/// Encodes 8-bit gray or RGB pixels as PNG through libpng.
///
/// The Pillow equivalent is `Image.fromarray(pixels).save(f, "PNG")`: Pillow reads the file
/// back as the same array (`numpy.asarray(Image.open(f))`), mode "L" for one channel and
/// "RGB" for three. The file holds IHDR, IDAT and IEND only (no gamma or text chunks).
public enum PNGEncoder {
  /// Why pixels could not be encoded: the shape is not (H, W, 1) or (H, W, 3), or libpng
  /// failed (its message kept).
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line: what was expected and what was found, or libpng's message.
    public let description: String
  }

  /// The PNG file for `pixels` of shape (height, width, channels), channels 1 or 3 (a
  /// rank-2 array is one gray channel).
  ///
  /// - Throws: ``Failure`` for another shape, an empty image, or a libpng failure.
  public static func encode(_ pixels: NDArray<UInt8>) throws(Failure) -> [UInt8] {
    let shape = pixels.shape
    guard shape.count == 2 || (shape.count == 3 && (shape[2] == 1 || shape[2] == 3)),
      shape[0] > 0, shape[1] > 0, shape[0] <= Int(Int32.max), shape[1] <= Int(Int32.max)
    else {
      throw Failure(description: "expected pixels of shape (H, W), (H, W, 1) or (H, W, 3), found \(shape)")
    }
    let channels = shape.count == 3 ? shape[2] : 1
    let samples = pixels.flatElements
    var output = cic_png_output()
    let status = samples.withUnsafeBufferPointer { buffer in
      cic_encode_png(buffer.baseAddress, Int32(shape[1]), Int32(shape[0]), Int32(channels), &output)
    }
    defer { cic_png_output_free(&output) }
    guard status == 0, let bytes = output.bytes else {
      let message = withUnsafeBytes(of: output.message) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      throw Failure(description: "cannot encode PNG: \(message)")
    }
    return Array(UnsafeBufferPointer(start: bytes, count: output.byte_count))
  }
}
