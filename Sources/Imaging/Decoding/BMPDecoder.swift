import CImageCodecs

/// Windows and OS/2 bitmaps, decoded as Pillow 13's `BmpImagePlugin` reads them.
///
/// Written from the format specification and Pillow's observable behaviour:
/// - headers of 12 (OS/2 1.x), 40, 52, 56, 64 (OS/2 2.x), 108 (V4) and 124 (V5) bytes; a height
///   whose top byte is `FF` means a top-down image of `2^32 − height` rows;
/// - 1-, 4- and 8-bit palettes (BGR triples after a 12-byte header, BGRX otherwise), indices
///   past the palette black; 16-bit 5-5-5, 24-bit BGR, 32-bit BGRX;
/// - BI_BITFIELDS only with the masks Pillow accepts (5-6-5 and 5-5-5 at 16 bits, BGR at 24,
///   the eight byte-aligned layouts at 32); any alpha is dropped, as `convert('RGB')` does;
/// - RLE8 and RLE4 with Pillow's run, end-of-line, delta and absolute-mode rules (absolute
///   runs realign to an even *file* offset), an image the runs leave unfilled is an error
///   ("not enough image data"), as in Pillow;
/// - the pixel data starts at `bfOffBits`, or right after the palette when `bfOffBits` points
///   at the palette itself (Pillow's correction for such writers).
enum BMPDecoder {
  /// The compression codes of `biCompression`.
  private enum Compression: Int {
    case raw = 0, rle8 = 1, rle4 = 2, bitfields = 3
  }

  /// The pixel layouts a row can have, as Pillow's raw modes name them.
  private enum RowFormat {
    case palette(bits: Int)
    case bgr15, bgr16, bgr, bgrx
    /// 32-bit with byte-aligned masks: shifts of red, green and blue.
    case masked32(red: Int, green: Int, blue: Int)
  }

  static func decode(_ bytes: UnsafeRawBufferPointer) throws -> cic_image {
    let le = LittleEndianBytes(bytes: bytes)
    guard let dataOffset = le.u32(10), let headerSize = le.u32(14) else {
      throw NativeDecodeFailure.truncated("the file ends inside the 18-byte file header")
    }
    guard headerSize >= 4, 14 + headerSize <= bytes.count else {
      throw NativeDecodeFailure.truncated(
        "the \(headerSize)-byte info header does not fit in the \(bytes.count)-byte file")
    }
    let h = 18  // start of the header's data, after its size field
    var width = 0, height = 0, bits = 0, compressionCode = 0, colors = 0
    var topDown = false
    var paletteEntrySize = 4
    var position = 14 + headerSize
    var masks: [Int] = []
    switch headerSize {
    case 12:
      width = le.u16(h)!
      height = le.u16(h + 2)!
      bits = le.u16(h + 6)!
      paletteEntrySize = 3
    case 40, 52, 56, 64, 108, 124:
      topDown = bytes[h + 7] == 0xFF
      width = le.u32(h)!
      height = topDown ? (1 << 32) - le.u32(h + 4)! : le.u32(h + 4)!
      bits = le.u16(h + 10)!
      compressionCode = le.u32(h + 12)!
      colors = le.u32(h + 28)!
      if compressionCode == Compression.bitfields.rawValue {
        if headerSize - 4 >= 48 {
          masks = (0..<3).map { le.u32(h + 36 + 4 * $0)! }
          masks.append(headerSize - 4 >= 52 ? le.u32(h + 48)! : 0)
        } else {
          // A 40-byte header keeps the three masks right after it.
          guard let r = le.u32(position), let g = le.u32(position + 4), let b = le.u32(position + 8) else {
            throw NativeDecodeFailure.truncated("the file ends inside the bitfield masks")
          }
          masks = [r, g, b, 0]
          position += 12
        }
      }
    default:
      throw NativeDecodeFailure.unsupported("unsupported BMP header type (\(headerSize))")
    }
    if colors == 0 { colors = bits < 63 ? 1 << bits : Int.max }
    var offset = dataOffset
    if offset == 14 + headerSize && bits <= 8 { offset += paletteEntrySize * colors }

    let row: RowFormat
    switch bits {
    case 1, 4, 8: row = .palette(bits: bits)
    case 16: row = .bgr15
    case 24: row = .bgr
    case 32: row = .bgrx
    default: throw NativeDecodeFailure.unsupported("unsupported BMP pixel depth (\(bits))")
    }
    guard let compression = Compression(rawValue: compressionCode) else {
      throw NativeDecodeFailure.unsupported("unsupported BMP compression (\(compressionCode))")
    }
    var format = row
    if compression == .bitfields {
      format = try bitfieldFormat(bits: bits, masks: masks)
    }
    if compression == .rle4 || compression == .rle8 {
      guard case .palette = row else {
        throw NativeDecodeFailure.unsupported("RLE compression of a \(bits)-bit BMP")
      }
    }

    var palette: [UInt8] = []
    if case .palette = row {
      guard colors > 0 && colors <= 65536 else {
        throw NativeDecodeFailure.unsupported("unsupported BMP palette size (\(colors))")
      }
      let available = max(0, min(paletteEntrySize * colors, bytes.count - position))
      guard available / paletteEntrySize <= 256 else {
        // Pillow: "invalid palette size" from putpalette.
        throw NativeDecodeFailure.corrupt("invalid palette size (\(available / paletteEntrySize) entries, at most 256)")
      }
      let entries = available / paletteEntrySize
      for i in 0..<entries {
        let p = position + i * paletteEntrySize
        palette += [bytes[p + 2], bytes[p + 1], bytes[p]]
      }
      position += available
    }
    if offset == 0 { offset = position }

    try NativeDecoding.checkPixelLimit(width: width, height: height)
    let rleSource = compression == .rle4 || compression == .rle8
    if !rleSource {
      let stride = ((width * bits + 31) >> 3) & ~3
      let needed = height == 0 ? 0 : (height - 1) * stride + (width * bits + 7) / 8
      guard offset <= bytes.count, bytes.count - offset >= needed else {
        throw NativeDecodeFailure.truncated(
          "\(width)x\(height) pixels need \(needed) bytes of pixel data from offset \(offset), "
            + "the file has \(max(0, bytes.count - offset))")
      }
    }
    let isPalette: Bool
    if case .palette = format { isPalette = true } else { isPalette = false }
    var image = try NativeDecoding.makeImage(
      width: width, height: height, layout: isPalette ? CIC_LAYOUT_PALETTE8 : CIC_LAYOUT_RGB8,
      bytesPerPixel: isPalette ? 1 : 3
    ) { pixels in
      if rleSource {
        try decodeRLE(
          bytes, from: offset, width: width, height: height, rle4: compression == .rle4,
          topDown: topDown, into: pixels)
      } else {
        decodeRaw(
          bytes, from: offset, width: width, height: height, bits: bits, format: format,
          topDown: topDown, into: pixels)
      }
    }
    if isPalette { NativeDecoding.setPalette(&image, palette) }
    return image
  }

  /// The row format BI_BITFIELDS masks select, or an error for a layout Pillow refuses.
  private static func bitfieldFormat(bits: Int, masks: [Int]) throws -> RowFormat {
    let rgb = Array(masks.prefix(3))
    switch bits {
    case 32:
      let supported: [[Int]] = [
        [0xFF0000, 0xFF00, 0xFF, 0x0], [0xFF00_0000, 0xFF0000, 0xFF00, 0x0],
        [0xFF00_0000, 0xFF00, 0xFF, 0x0], [0xFF00_0000, 0xFF0000, 0xFF00, 0xFF],
        [0xFF, 0xFF00, 0xFF0000, 0xFF00_0000], [0xFF0000, 0xFF00, 0xFF, 0xFF00_0000],
        [0xFF00_0000, 0xFF00, 0xFF, 0xFF0000], [0, 0, 0, 0],
      ]
      guard supported.contains(masks) else { break }
      if masks == [0, 0, 0, 0] { return .bgrx }  // Pillow reads it as BGRA
      let shift = { (mask: Int) in mask.trailingZeroBitCount }
      return .masked32(red: shift(rgb[0]), green: shift(rgb[1]), blue: shift(rgb[2]))
    case 24:
      if rgb == [0xFF0000, 0xFF00, 0xFF] { return .bgr }
    case 16:
      if rgb == [0xF800, 0x7E0, 0x1F] { return .bgr16 }
      if rgb == [0x7C00, 0x3E0, 0x1F] { return .bgr15 }
    default:
      break
    }
    throw NativeDecodeFailure.unsupported(
      "unsupported BMP bitfields layout (\(bits) bits, masks "
        + masks.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ") + ")")
  }

  private static func decodeRaw(
    _ bytes: UnsafeRawBufferPointer, from offset: Int, width: Int,
    height: Int, bits: Int, format: RowFormat, topDown: Bool,
    into out: UnsafeMutablePointer<UInt8>
  ) {
    let stride = ((width * bits + 31) >> 3) & ~3
    for y in 0..<height {
      let source = offset + (topDown ? y : height - 1 - y) * stride
      switch format {
      case .palette(let bits):
        let o = out + y * width
        for x in 0..<width {
          switch bits {
          case 1: o[x] = (bytes[source + (x >> 3)] >> (7 - UInt8(x & 7))) & 1
          case 4: o[x] = x & 1 == 0 ? bytes[source + (x >> 1)] >> 4 : bytes[source + (x >> 1)] & 0x0F
          default: o[x] = bytes[source + x]
          }
        }
      case .bgr15, .bgr16:
        let o = out + y * width * 3
        for x in 0..<width {
          let pixel = Int(bytes[source + 2 * x]) | Int(bytes[source + 2 * x + 1]) << 8
          if case .bgr15 = format {
            o[3 * x] = UInt8(((pixel >> 10) & 31) * 255 / 31)
            o[3 * x + 1] = UInt8(((pixel >> 5) & 31) * 255 / 31)
          } else {
            o[3 * x] = UInt8(((pixel >> 11) & 31) * 255 / 31)
            o[3 * x + 1] = UInt8(((pixel >> 5) & 63) * 255 / 63)
          }
          o[3 * x + 2] = UInt8((pixel & 31) * 255 / 31)
        }
      case .bgr, .bgrx:
        let size = bits / 8
        let o = out + y * width * 3
        for x in 0..<width {
          let p = source + size * x
          o[3 * x] = bytes[p + 2]; o[3 * x + 1] = bytes[p + 1]; o[3 * x + 2] = bytes[p]
        }
      case .masked32(let red, let green, let blue):
        let o = out + y * width * 3
        for x in 0..<width {
          let p = source + 4 * x
          let pixel =
            UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16
            | UInt32(bytes[p + 3]) << 24
          o[3 * x] = UInt8(truncatingIfNeeded: pixel >> red)
          o[3 * x + 1] = UInt8(truncatingIfNeeded: pixel >> green)
          o[3 * x + 2] = UInt8(truncatingIfNeeded: pixel >> blue)
        }
      }
    }
  }

  /// Pillow's `BmpRleDecoder`, step for step: the indices fill the image in file order
  /// (bottom row first unless top-down), then rows are placed.
  private static func decodeRLE(
    _ bytes: UnsafeRawBufferPointer, from offset: Int, width: Int,
    height: Int, rle4: Bool, topDown: Bool,
    into out: UnsafeMutablePointer<UInt8>
  ) throws {
    let total = width * height
    var filled = 0  // indices written so far, in file order (zeros already there)
    var x = 0
    var p = offset
    let end = bytes.count
    // Writes in file order; row r of the file is image row r (top-down) or height-1-r.
    func put(_ value: UInt8) {
      let r = filled / width, c = filled % width
      out[(topDown ? r : height - 1 - r) * width + c] = value
      filled += 1
    }
    decoding: while filled < total {
      guard p + 2 <= end else { break }
      let count = Int(bytes[p]), byte = bytes[p + 1]
      p += 2
      if count > 0 {
        let n = x + count > width ? max(0, width - x) : count
        for i in 0..<min(n, total - filled) {
          put(rle4 ? (i % 2 == 0 ? byte >> 4 : byte & 0x0F) : byte)
        }
        x += n
        continue
      }
      switch byte {
      case 0:  // end of line
        while filled % width != 0 { put(0) }
        x = 0
      case 1:  // end of bitmap
        break decoding
      case 2:  // delta
        guard p + 2 <= end else { break decoding }
        let right = Int(bytes[p]), up = Int(bytes[p + 1])
        p += 2
        for _ in 0..<min(total - filled, right + up * width) { put(0) }
        x = filled % width
      default:  // absolute mode
        let dataCount = min(total - filled, Int(byte))
        let byteCount = rle4 ? (dataCount + 1) / 2 : dataCount
        let available = min(byteCount, end - p)
        for i in 0..<available {
          let v = bytes[p + i]
          if rle4 {
            put(v >> 4)
            if i * 2 + 1 < dataCount { put(v & 0x0F) }
          } else {
            put(v)
          }
        }
        p += available
        if available < byteCount || filled == total { break decoding }
        x += Int(byte)
        if p % 2 != 0 { p += 1 }
      }
    }
    if filled < total {
      throw NativeDecodeFailure.truncated(
        "not enough image data: the RLE runs fill \(filled) of \(total) pixels")
    }
  }
}
