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
/// - RGBA (`convert("RGBA")`): alpha kept, 255 where the mode has none; a palette's alpha
///   comes from its transparency (PNG tRNS, a GIF's transparent index). `gray3` is L
///   replicated to three channels.
/// - With a background (``AlphaComposite``), images with alpha are composited onto it
///   first, and the requested mode is taken from the composite.
enum ModeConversion {
  /// Converts the decoded pixels, taking ownership of `image.pixels` (freed here, or handed
  /// to the returned array without a copy when no conversion is needed).
  static func convert(
    _ image: inout cic_image, to mode: ColorMode, background: BackgroundColor? = nil
  ) -> NDArray<UInt8> {
    let layout = cic_layout(rawValue: UInt32(truncatingIfNeeded: image.layout))
    if mode == .rgba || mode == .gray3 || (background != nil && hasAlpha(image)) {
      defer { cic_image_free(&image) }
      guard image.pixels != nil else { return NDArray(zeros: [Int(image.height), Int(image.width), mode.channels]) }
      let read = rgbaReader(image, layout: layout)
      return assemble(
        height: Int(image.height), width: Int(image.width), mode: mode,
        background: background.map { ($0.red, $0.green, $0.blue) },
        read: read, luma: { luma($0, $1, $2) }, composite: AlphaComposite.over)
    }
    let height = Int(image.height), width = Int(image.width)
    let pixelCount = height * width
    let shape = [height, width, mode.channels]
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
          // Each colour as one 32-bit word, stored 4 bytes at a time: the fourth byte is
          // overwritten by the next pixel (the last pixel is stored byte by byte).
          var words = [UInt32](repeating: 0, count: 256)
          for p in 0..<256 {
            words[p] = UInt32(table[3 * p]) | UInt32(table[3 * p + 1]) << 8 | UInt32(table[3 * p + 2]) << 16
          }
          words.withUnsafeBufferPointer { colours in
            guard let w = colours.baseAddress, pixelCount > 0 else { return }
            let target = UnsafeMutableRawPointer(o)
            for i in 0..<(pixelCount - 1) {
              target.storeBytes(of: w[Int(source[i])].littleEndian, toByteOffset: 3 * i, as: UInt32.self)
            }
            let last = pixelCount - 1, p = 3 * Int(source[last])
            o[3 * last] = table[p]; o[3 * last + 1] = table[p + 1]; o[3 * last + 2] = table[p + 2]
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

  /// Whether the decoded image carries alpha: an alpha channel, or a palette with
  /// transparency.
  static func hasAlpha(_ image: cic_image) -> Bool {
    switch cic_layout(rawValue: UInt32(truncatingIfNeeded: image.layout)) {
    case CIC_LAYOUT_GRAY_ALPHA8, CIC_LAYOUT_RGBA8, CIC_LAYOUT_GRAY_ALPHA16, CIC_LAYOUT_RGBA16: true
    case CIC_LAYOUT_PALETTE8: image.palette_alpha_count > 0
    default: false
    }
  }

  /// Pixel `i` of an 8-bit layout as Pillow's `convert("RGBA")` gives it.
  static func rgbaReader(_ image: cic_image, layout: cic_layout) -> (Int) -> (UInt8, UInt8, UInt8, UInt8) {
    let source = UnsafePointer(image.pixels!)
    switch layout {
    case CIC_LAYOUT_GRAY8:
      return { i in
        let v = source[i]; return (v, v, v, 255)
      }
    case CIC_LAYOUT_GRAY_ALPHA8:
      return { i in
        let v = source[2 * i]; return (v, v, v, source[2 * i + 1])
      }
    case CIC_LAYOUT_RGB8:
      return { i in (source[3 * i], source[3 * i + 1], source[3 * i + 2], 255) }
    case CIC_LAYOUT_RGBA8:
      return { i in (source[4 * i], source[4 * i + 1], source[4 * i + 2], source[4 * i + 3]) }
    case CIC_LAYOUT_CMYK8:
      return { i in
        let nk = 255 - Int(source[4 * i + 3])
        return (
          UInt8(nk - muldiv255(Int(source[4 * i]), nk)), UInt8(nk - muldiv255(Int(source[4 * i + 1]), nk)),
          UInt8(nk - muldiv255(Int(source[4 * i + 2]), nk)), 255
        )
      }
    case CIC_LAYOUT_PALETTE8:
      // 256 entries, black past the palette's end, opaque past the alpha list's end.
      var table = [UInt8](repeating: 0, count: 1024)
      withUnsafeBytes(of: image.palette) { palette in
        for p in 0..<Int(image.palette_count) {
          for k in 0..<3 { table[4 * p + k] = palette[3 * p + k] }
        }
      }
      withUnsafeBytes(of: image.palette_alpha) { alpha in
        for p in 0..<256 { table[4 * p + 3] = p < Int(image.palette_alpha_count) ? alpha[p] : 255 }
      }
      return { i in
        let p = 4 * Int(source[i])
        return (table[p], table[p + 1], table[p + 2], table[p + 3])
      }
    case CIC_LAYOUT_GRAY16:
      let samples = UnsafeRawPointer(source).assumingMemoryBound(to: UInt16.self)
      return { i in
        let v = UInt8(min(samples[i], 255)); return (v, v, v, 255)
      }
    default:
      preconditionFailure("unknown decoded layout \(layout)")
    }
  }

  /// An image in `mode` from RGBA pixels `read(i)`, composited onto `background` first when
  /// one is given (then `.rgba` is opaque). `luma` is the RGB → L rule, `composite` blends a
  /// colour channel over the background with the pixel's alpha.
  @inline(__always)
  static func assemble<Sample: NDArrayElement & FixedWidthInteger>(
    height: Int, width: Int, mode: ColorMode, background: (Sample, Sample, Sample)?,
    read: (Int) -> (Sample, Sample, Sample, Sample),
    luma: (Sample, Sample, Sample) -> Sample,
    composite: (_ color: Sample, _ alpha: Sample, _ background: Sample) -> Sample
  ) -> NDArray<Sample> {
    NDArray(unsafeUninitializedShape: [height, width, mode.channels]) { out in
      guard let o = out.baseAddress else { return }
      for i in 0..<(height * width) {
        var (r, g, b, a) = read(i)
        if let background {
          r = composite(r, a, background.0)
          g = composite(g, a, background.1)
          b = composite(b, a, background.2)
          a = .max
        }
        switch mode {
        case .rgb:
          o[3 * i] = r; o[3 * i + 1] = g; o[3 * i + 2] = b
        case .gray:
          o[i] = luma(r, g, b)
        case .gray3:
          let v = luma(r, g, b)
          o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v
        case .rgba:
          o[4 * i] = r; o[4 * i + 1] = g; o[4 * i + 2] = b; o[4 * i + 3] = a
        }
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
