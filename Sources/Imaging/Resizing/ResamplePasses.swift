/// Which of the two separable passes Pillow's `ImagingResample` runs, and in which order:
/// the one rule the 8-bit (``ConvolutionResample``) and 16-bit (``WideConvolutionResample``)
/// resamplers share.
struct ResamplePasses {
  /// The width changes, or the box does not start at 0 and span the output width.
  let horizontal: Bool
  /// The height changes, or the box does not start at 0 and span the output height.
  let vertical: Bool
  /// Pillow 13: when the height shrinks by more than twice what the width does, the
  /// vertical pass runs first (the order changes the rounded intermediate).
  let horizontalFirst: Bool

  /// The passes for inWidth × inHeight to outWidth × outHeight over `box` (x0, y0, x1, y1).
  init(inWidth: Int, inHeight: Int, outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float)) {
    horizontal = outWidth != inWidth || box.0 != 0 || box.2 != Float(outWidth)
    vertical = outHeight != inHeight || box.1 != 0 || box.3 != Float(outHeight)
    horizontalFirst = !((inHeight - outHeight) > 0 && (inHeight - outHeight) > (inWidth - outWidth) * 2)
  }
}
