import NDArray

/// A sample type images are decoded, converted and resized in: `UInt8` (Pillow's 8-bit
/// modes) or `UInt16` (`--depth 16`, resized as Pillow's 32-bit mode "I", then clipped).
///
/// The NumPy equivalents are `numpy.uint8` and `numpy.uint16`.
public protocol ImageSample: NDArrayElement, FixedWidthInteger, UnsignedInteger {
  /// Pillow's convolution resize of tightly packed (inHeight, inWidth, channels) samples.
  static func convolve(
    _ source: UnsafePointer<Self>, inWidth: Int, inHeight: Int, channels: Int,
    outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
    filter: ResizeFilter, kernels: ResampleKernels, into destination: UnsafeMutablePointer<Self>)

  /// A colour sample multiplied by its alpha (Pillow's RGBA → "RGBa").
  static func premultiplied(_ color: Self, alpha: Self) -> Self

  /// A premultiplied colour sample divided by its alpha again (Pillow's "RGBa" → RGBA).
  static func unpremultiplied(_ color: Self, alpha: Self) -> Self
}

extension UInt8: ImageSample {
  /// Pillow's 8-bit kernels (``ConvolutionResample``).
  public static func convolve(
    _ source: UnsafePointer<UInt8>, inWidth: Int, inHeight: Int, channels: Int,
    outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
    filter: ResizeFilter, kernels: ResampleKernels, into destination: UnsafeMutablePointer<UInt8>
  ) {
    ConvolutionResample.resample(
      source, inWidth: inWidth, inHeight: inHeight, channels: channels, outWidth: outWidth,
      outHeight: outHeight, box: box, filter: filter, kernels: kernels, into: destination)
  }

  /// Pillow's MULDIV255: `t = c·a + 128; ((t >> 8) + t) >> 8`.
  public static func premultiplied(_ color: UInt8, alpha: UInt8) -> UInt8 {
    let t = UInt32(color) * UInt32(alpha) + 128
    return UInt8(truncatingIfNeeded: ((t >> 8) + t) >> 8)
  }

  /// Pillow's `rgba2rgbA`: unchanged for alpha 0 and 255, else `min(255, 255·c / a)`.
  public static func unpremultiplied(_ color: UInt8, alpha: UInt8) -> UInt8 {
    if alpha == 0 || alpha == 255 { return color }
    return UInt8(Swift.min(255, 255 * UInt32(color) / UInt32(alpha)))
  }
}

extension UInt16: ImageSample {
  /// Pillow's mode "I" kernels, clipped to 0…65535 (``WideConvolutionResample``);
  /// `kernels` does not apply.
  public static func convolve(
    _ source: UnsafePointer<UInt16>, inWidth: Int, inHeight: Int, channels: Int,
    outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
    filter: ResizeFilter, kernels: ResampleKernels, into destination: UnsafeMutablePointer<UInt16>
  ) {
    WideConvolutionResample.resample(
      source, inWidth: inWidth, inHeight: inHeight, channels: channels, outWidth: outWidth,
      outHeight: outHeight, box: box, filter: filter, into: destination)
  }

  /// The 16-bit analogue of Pillow's rule: `(c·a + 32767) / 65535`.
  public static func premultiplied(_ color: UInt16, alpha: UInt16) -> UInt16 {
    UInt16((UInt32(color) * UInt32(alpha) + 32767) / 65535)
  }

  /// Unchanged for alpha 0 and 65535, else `min(65535, 65535·c / a)`.
  public static func unpremultiplied(_ color: UInt16, alpha: UInt16) -> UInt16 {
    if alpha == 0 || alpha == 65535 { return color }
    return UInt16(Swift.min(65535, 65535 * UInt32(color) / UInt32(alpha)))
  }
}
