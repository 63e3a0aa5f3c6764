import CImageCodecs
import NDArray

extension ModeConversion {
  /// Converts the decoded pixels to 16-bit samples (`--depth 16`), taking ownership of
  /// `image.pixels`.
  ///
  /// 16-bit layouts keep their values and follow the 8-bit rules on 16-bit values: gray is
  /// replicated for RGB, alpha is dropped (or kept for `.rgba`, 65535 where there is none),
  /// RGB → L is `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`, and a background is
  /// composited with ``AlphaComposite``'s 16-bit rule. Every 8-bit layout is converted as
  /// ``convert(_:to:background:)`` does and scaled by 257 (255 → 65535).
  static func convertSixteenBit(
    _ image: inout cic_image, to mode: ColorMode, background: BackgroundColor? = nil
  ) -> NDArray<UInt16> {
    let layout = cic_layout(rawValue: UInt32(truncatingIfNeeded: image.layout))
    let channelsIn: Int
    switch layout {
    case CIC_LAYOUT_GRAY16: channelsIn = 1
    case CIC_LAYOUT_GRAY_ALPHA16: channelsIn = 2
    case CIC_LAYOUT_RGB16: channelsIn = 3
    case CIC_LAYOUT_RGBA16: channelsIn = 4
    default: return widened(convert(&image, to: mode, background: background))
    }
    defer { cic_image_free(&image) }
    let height = Int(image.height), width = Int(image.width)
    guard let pixels = image.pixels else { return NDArray(zeros: [height, width, mode.channels]) }
    let s = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt16.self)
    let read: (Int) -> (UInt16, UInt16, UInt16, UInt16)
    switch channelsIn {
    case 1:
      read = { i in
        let v = s[i]; return (v, v, v, 65535)
      }
    case 2:
      read = { i in
        let v = s[2 * i]; return (v, v, v, s[2 * i + 1])
      }
    case 3: read = { i in (s[3 * i], s[3 * i + 1], s[3 * i + 2], 65535) }
    default: read = { i in (s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]) }
    }
    let hasAlpha = channelsIn == 2 || channelsIn == 4
    return assemble(
      height: height, width: width, mode: mode,
      background: hasAlpha
        ? background.map { (257 * UInt16($0.red), 257 * UInt16($0.green), 257 * UInt16($0.blue)) } : nil,
      read: read, luma: { luma16($0, $1, $2) }, composite: AlphaComposite.over)
  }

  /// Pillow's L24 rule on 16-bit values: `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`.
  @inline(__always)
  static func luma16(_ r: UInt16, _ g: UInt16, _ b: UInt16) -> UInt16 {
    UInt16(truncatingIfNeeded: (Int(r) * 19595 + Int(g) * 38470 + Int(b) * 7471 + 0x8000) >> 16)
  }

  /// 8-bit samples on the 16-bit scale: `v · 257` (NumPy: `a.astype(numpy.uint16) * 257`).
  static func widened(_ pixels: NDArray<UInt8>) -> NDArray<UInt16> {
    pixels.withUnsafeBufferPointer { source in
      NDArray<UInt16>(unsafeUninitializedShape: pixels.shape) { out in
        for i in 0..<source.count { out[i] = UInt16(source[i]) &* 257 }
      }
    }
  }
}
