/// Compositing one colour channel over an opaque background, as `--alpha-background` does.
///
/// The Pillow equivalent, for 8-bit samples, is `Image.alpha_composite(background, image)`
/// with an opaque `background` (AlphaComposite.c), channel by channel:
/// - alpha 0 gives the background;
/// - otherwise, with `outA255 = a·255 + 255·(255 − a)`, `c1 = a·255·255·128 / outA255`
///   (integer division) and `c2 = 255·128 − c1`:
///   `out = div255(color·c1 + background·c2 + (0x80 << 7)) >> 7`, where
///   `div255(t) = ((t >> 8) + t) >> 8`.
///
/// 16-bit samples (`--depth 16`, which Pillow cannot hold) use the exact rule the 8-bit one
/// approximates: `out = (color·a + background·(65535 − a) + 32767) / 65535`, rounded half
/// down, with the background scaled by 257.
enum AlphaComposite {
  /// One 8-bit channel: `color` with alpha `alpha` over an opaque `background`.
  @inline(__always)
  static func over(_ color: UInt8, _ alpha: UInt8, _ background: UInt8) -> UInt8 {
    if alpha == 0 { return background }
    let a = UInt32(alpha)
    let outA255 = a * 255 + 255 * (255 - a)
    let coefficient1 = a * 255 * 255 * 128 / outA255
    let coefficient2 = 255 * 128 - coefficient1
    let t = UInt32(color) * coefficient1 + UInt32(background) * coefficient2 + (0x80 << 7)
    return UInt8(truncatingIfNeeded: ((((t >> 8) + t) >> 8) >> 7))
  }

  /// One 16-bit channel: `color` with alpha `alpha` over an opaque `background`.
  @inline(__always)
  static func over(_ color: UInt16, _ alpha: UInt16, _ background: UInt16) -> UInt16 {
    let a = UInt64(alpha)
    let t = UInt64(color) * a + UInt64(background) * (65535 - a) + 32767
    return UInt16(t / 65535)
  }
}
