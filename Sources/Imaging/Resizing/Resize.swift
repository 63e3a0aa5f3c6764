import NDArray

/// Resizes an (H, W, C) image of UInt8 samples to `height` × `width` with one of Pillow's
/// filters, optionally from a sub-rectangle `box` of the source.
///
/// The Pillow equivalent is `Image.resize((width, height), filter, box=box)` (with
/// `reducing_gap=None`, Pillow's default): the result is identical pixel for pixel, for
/// every filter, in both directions, for any factor. `box` is in source pixels,
/// (left, top, right, bottom), and is rounded to single precision as Pillow does.
///
/// Channels are filtered independently, which is Pillow's behaviour for modes "L" and "RGB"
/// (what `ImageDecoder` returns). Pillow premultiplies alpha for "LA"/"RGBA"; this function
/// does not, so a 2- or 4-channel array is treated as plain samples.
///
/// `kernels` picks the integer kernels (the same bytes either way; see ``ResampleKernels``).
///
/// Traps if `width` or `height` is below 1, if the image is not (H, W, C), or if `box`
/// leaves the image or is inverted (Pillow raises ValueError for these).
public func resize(
  _ image: NDArray<UInt8>, width: Int, height: Int, filter: ResizeFilter,
  box: (x0: Double, y0: Double, x1: Double, y1: Double)? = nil,
  kernels: ResampleKernels = .fastest
) -> NDArray<UInt8> {
  precondition(image.rank == 3, "resize expects an (H, W, C) image, got shape \(image.shape)")
  precondition(width >= 1 && height >= 1, "resize to \(width)x\(height): height and width must be > 0")
  let inHeight = image.shape[0], inWidth = image.shape[1], channels = image.shape[2]
  let box = box ?? (0, 0, Double(inWidth), Double(inHeight))
  if width == inWidth && height == inHeight
    && box == (0, 0, Double(inWidth), Double(inHeight))
  {
    return image.contiguousCopy()
  }
  let b = (Float(box.x0), Float(box.y0), Float(box.x1), Float(box.y1))
  precondition(b.0 >= 0 && b.1 >= 0, "resize box \(box) of image \(image.shape): box offset can't be negative")
  precondition(
    b.2 <= Float(inWidth) && b.3 <= Float(inHeight),
    "resize box \(box) of image \(image.shape): box can't exceed original image size")
  precondition(b.2 - b.0 >= 0 && b.3 - b.1 >= 0, "resize box \(box): box can't be empty")

  return image.withUnsafeBufferPointer { source in
    NDArray<UInt8>(unsafeUninitializedShape: [height, width, channels]) { out in
      guard let src = source.baseAddress, let dst = out.baseAddress else { return }
      // Integer box whose size is the output size: a plain crop (Pillow's ImagingCrop).
      if b.0 == b.0.rounded(.towardZero) && b.2 - b.0 == Float(width)
        && b.1 == b.1.rounded(.towardZero) && b.3 - b.1 == Float(height)
      {
        let x0 = Int(b.0), y0 = Int(b.1)
        for y in 0..<height {
          (dst + y * width * channels).update(
            from: src + ((y0 + y) * inWidth + x0) * channels,
            count: width * channels)
        }
      } else if filter == .nearest {
        NearestResize.resample(
          src, inWidth: inWidth, inHeight: inHeight, channels: channels,
          outWidth: width, outHeight: height, box: b, into: dst)
      } else {
        ConvolutionResample.resample(
          src, inWidth: inWidth, inHeight: inHeight, channels: channels,
          outWidth: width, outHeight: height, box: b, filter: filter,
          kernels: kernels, into: dst)
      }
    }
  }
}
