import NDArray
import _ByteOrder

/// The EXIF Orientation tag (0x0112) and the transposition that undoes it.
///
/// The Pillow equivalent is `PIL.ImageOps.exif_transpose`: 2 flips left-right, 3 rotates
/// 180°, 4 flips top-bottom, 5 transposes, 6 rotates 270° (Pillow's `ROTATE_270`, i.e.
/// 90° clockwise), 7 transverses, 8 rotates 90° (counter-clockwise).
public enum EXIFOrientation: Int, Sendable, CaseIterable {
  case up = 1
  case upMirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

  /// The orientation recorded in the file's EXIF block (JPEG APP1 "Exif", PNG eXIf chunk),
  /// or `.up` when there is none or it is malformed.
  public static func read(_ bytes: UnsafeRawBufferPointer, format: ImageFormat) -> EXIFOrientation {
    var tiff: UnsafeRawBufferPointer?
    switch format {
    case .jpeg:
      JPEGMarkers.forEachSegment(bytes) { marker, payload in
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        if marker == 0xE1 && payload.count > 6 && zip(payload, exifHeader).allSatisfy({ $0 == $1 }) {
          tiff = UnsafeRawBufferPointer(rebasing: payload[6...])
          return false
        }
        return true
      }
    case .png:
      tiff = pngEXIF(bytes)
    case .bmp, .ppm, .gif, .webp, .tiff:
      return .up  // not read for these formats yet
    }
    guard let tiff, let value = orientationTag(tiff) else { return .up }
    return EXIFOrientation(rawValue: value) ?? .up
  }

  static func pngEXIF(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    var position = 8
    while position + 8 <= bytes.count {
      let length = Int(IntegerReader(bytes, order: .big).integer(UInt32.self, at: position)!)
      let type = (bytes[position + 4], bytes[position + 5], bytes[position + 6], bytes[position + 7])
      let start = position + 8
      guard length <= bytes.count - start else { return nil }
      if type == (0x65, 0x58, 0x49, 0x66) {  // "eXIf"
        var payload = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
        if payload.count > 6 && payload[0] == 0x45 && payload[1] == 0x78 && payload[4] == 0 {
          payload = UnsafeRawBufferPointer(rebasing: payload[6...])  // "Exif\0\0" prefix
        }
        return payload
      }
      if type == (0x49, 0x45, 0x4E, 0x44) { return nil }  // IEND
      position = start + length + 4
    }
    return nil
  }

  /// The value of tag 0x0112 in IFD0 of a TIFF block, bounds-checked.
  static func orientationTag(_ tiff: UnsafeRawBufferPointer) -> Int? {
    guard tiff.count >= 8 else { return nil }
    let fields: IntegerReader<UnsafeRawBufferPointer>
    switch (tiff[0], tiff[1]) {
    case (0x49, 0x49): fields = IntegerReader(tiff, order: .little)  // "II"
    case (0x4D, 0x4D): fields = IntegerReader(tiff, order: .big)  // "MM"
    default: return nil
    }
    func u16(_ at: Int) -> Int? { fields.integer(UInt16.self, at: at).map(Int.init) }
    func u32(_ at: Int) -> Int? { fields.integer(UInt32.self, at: at).map(Int.init) }
    guard let ifd = u32(4), let entries = u16(ifd) else { return nil }
    for i in 0..<entries {
      let entry = ifd + 2 + 12 * i
      guard let tag = u16(entry) else { return nil }
      if tag == 0x0112 {
        guard let type = u16(entry + 2) else { return nil }
        switch type {
        case 3: return u16(entry + 8)
        case 4: return u32(entry + 8)
        default: return nil
        }
      }
    }
    return nil
  }

  /// Applies the transposition that displays the image upright (Pillow's
  /// `Image.transpose(method)` for this orientation). Orientations 5–8 swap width and height.
  public func transpose<Sample: NDArrayElement>(_ image: NDArray<Sample>) -> NDArray<Sample> {
    precondition(image.rank == 3, "expected an (H, W, C) image, got shape \(image.shape)")
    let h = image.shape[0], w = image.shape[1], c = image.shape[2]
    // Source pixel index = start + oy * stepY + ox * stepX.
    let (outH, outW, start, stepX, stepY): (Int, Int, Int, Int, Int)
    switch self {
    case .up: return image
    case .upMirrored: (outH, outW, start, stepX, stepY) = (h, w, w - 1, -1, w)
    case .down: (outH, outW, start, stepX, stepY) = (h, w, h * w - 1, -1, -w)
    case .downMirrored: (outH, outW, start, stepX, stepY) = (h, w, (h - 1) * w, 1, -w)
    case .leftMirrored: (outH, outW, start, stepX, stepY) = (w, h, 0, w, 1)
    case .right: (outH, outW, start, stepX, stepY) = (w, h, (h - 1) * w, -w, 1)
    case .rightMirrored: (outH, outW, start, stepX, stepY) = (w, h, (h - 1) * w + w - 1, -w, -1)
    case .left: (outH, outW, start, stepX, stepY) = (w, h, w - 1, w, -1)
    }
    return image.withUnsafeBufferPointer { source in
      NDArray<Sample>(unsafeUninitializedShape: [outH, outW, c]) { out in
        var o = 0
        for oy in 0..<outH {
          var s = start + oy * stepY
          for _ in 0..<outW {
            for k in 0..<c { out[o + k] = source[s * c + k] }
            o += c
            s += stepX
          }
        }
      }
    }
  }
}
