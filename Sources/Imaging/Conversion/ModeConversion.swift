import CImageCodecs
import Foundation
import NDArray

/// Pillow's `Image.convert("RGB")` and `convert("L")` for every mode a decoded file opens as.
///
/// The rules, from Pillow's Convert.c and its PNG/JPEG raw modes:
/// - L → RGB copies the value into all three channels; 1-, 2- and 4-bit gray were already
///   scaled to 0…255 by bit replication.
/// - LA and RGBA drop the alpha channel, no compositing.
/// - P looks each index up in the palette; indices past the palette's end are black.
/// - CMYK (read inverted, "CMYK;I"): `nk = 255 − K`, `R = nk − muldiv255(C, nk)` and so on,
///   with `muldiv255(a, b) = ((t >> 8) + t) >> 8`, `t = a·b + 128`.
/// - RGB → L: `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`; every other mode reaches L
///   through its RGB value.
/// - 16-bit gray ("I;16") clips at 255 for both L and RGB; 16-bit RGB(A)/LA kept the high
///   byte when decoded.
enum ModeConversion {
  /// Converts the decoded pixels, taking ownership of `image.pixels` (freed here, or handed
  /// to the returned array without a copy when no conversion is needed).
  static func convert(_ image: inout cic_image, to mode: ColorMode) -> NDArray<UInt8> {
    let height = Int(image.height), width = Int(image.width)
    let pixelCount = height * width
    let shape = [height, width, mode.channels]
    let layout = cic_layout(rawValue: UInt32(truncatingIfNeeded: image.layout))
    guard let source = image.pixels else {
      return NDArray(zeros: shape)
    }
    // No conversion: hand the buffer over.
    if (layout == CIC_LAYOUT_RGB8 && mode == .rgb)
      || (layout == CIC_LAYOUT_GRAY8 && mode == .gray)
    {
      let address = UInt(bitPattern: source)
      image.pixels = nil
      return NDArray(
        unsafeBorrowing: source, storageCount: max(1, pixelCount * mode.channels),
        shape: shape, strides: NDArray<UInt8>.cStrides(for: shape), offset: 0,
        readOnly: false,
        release: { free(UnsafeMutableRawPointer(bitPattern: address)) })
    }
    defer { cic_image_free(&image) }
    let palette = withUnsafeBytes(of: image.palette) { Array($0) }
    let paletteCount = Int(image.palette_count)
    return NDArray(unsafeUninitializedShape: shape) { out in
      guard let o = out.baseAddress else { return }
      switch (layout, mode) {
      case (CIC_LAYOUT_GRAY8, _):  // → rgb
        for i in 0..<pixelCount {
          let v = source[i]
          o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v
        }
      case (CIC_LAYOUT_GRAY_ALPHA8, .gray):
        for i in 0..<pixelCount { o[i] = source[2 * i] }
      case (CIC_LAYOUT_GRAY_ALPHA8, .rgb):
        for i in 0..<pixelCount {
          let v = source[2 * i]
          o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v
        }
      case (CIC_LAYOUT_RGB8, _):  // → gray
        for i in 0..<pixelCount {
          o[i] = luma(source[3 * i], source[3 * i + 1], source[3 * i + 2])
        }
      case (CIC_LAYOUT_RGBA8, .rgb):
        for i in 0..<pixelCount {
          o[3 * i] = source[4 * i]; o[3 * i + 1] = source[4 * i + 1]; o[3 * i + 2] = source[4 * i + 2]
        }
      case (CIC_LAYOUT_RGBA8, .gray):
        for i in 0..<pixelCount {
          o[i] = luma(source[4 * i], source[4 * i + 1], source[4 * i + 2])
        }
      case (CIC_LAYOUT_CMYK8, _):
        for i in 0..<pixelCount {
          let c = source[4 * i], m = source[4 * i + 1], y = source[4 * i + 2], k = source[4 * i + 3]
          let nk = 255 - Int(k)
          let r = UInt8(nk - muldiv255(Int(c), nk))
          let g = UInt8(nk - muldiv255(Int(m), nk))
          let b = UInt8(nk - muldiv255(Int(y), nk))
          if mode == .rgb {
            o[3 * i] = r; o[3 * i + 1] = g; o[3 * i + 2] = b
          } else {
            o[i] = luma(r, g, b)
          }
        }
      case (CIC_LAYOUT_PALETTE8, _):
        // 256 entries, black past the palette's end, as Pillow pads it.
        var table = [UInt8](repeating: 0, count: 768)
        for i in 0..<(paletteCount * 3) { table[i] = palette[i] }
        if mode == .rgb {
          for i in 0..<pixelCount {
            let p = Int(source[i]) * 3
            o[3 * i] = table[p]; o[3 * i + 1] = table[p + 1]; o[3 * i + 2] = table[p + 2]
          }
        } else {
          var lumaTable = [UInt8](repeating: 0, count: 256)
          for p in 0..<256 { lumaTable[p] = luma(table[3 * p], table[3 * p + 1], table[3 * p + 2]) }
          for i in 0..<pixelCount { o[i] = lumaTable[Int(source[i])] }
        }
      case (CIC_LAYOUT_GRAY16, _):
        let samples = UnsafeRawPointer(source).assumingMemoryBound(to: UInt16.self)
        for i in 0..<pixelCount {
          let v = UInt8(min(samples[i], 255))
          if mode == .rgb {
            o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v
          } else {
            o[i] = v
          }
        }
      default:
        preconditionFailure("unknown decoded layout \(layout) for mode \(mode)")
      }
    }
  }

  /// Pillow's L24 luma: `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`.
  @inline(__always)
  static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
    UInt8(truncatingIfNeeded: (Int(r) * 19595 + Int(g) * 38470 + Int(b) * 7471 + 0x8000) >> 16)
  }

  /// Pillow's MULDIV255: `a·b/255` rounded, in integers.
  @inline(__always)
  static func muldiv255(_ a: Int, _ b: Int) -> Int {
    let t = a * b + 128
    return ((t >> 8) + t) >> 8
  }
}
