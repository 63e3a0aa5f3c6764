import NDArray

/// Resizes an (H, W, C) image of UInt8 (or UInt16, see ``ImageSample``) samples to `height` × `width` with one of Pillow's
/// filters, optionally from a sub-rectangle `box` of the source.
///
/// The Pillow equivalent is `Image.resize((width, height), filter, box=box)` (with
/// `reducing_gap=None`, Pillow's default): the result is identical pixel for pixel, for
/// every filter, in both directions, for any factor. `box` is in source pixels,
/// (left, top, right, bottom), and is rounded to single precision as Pillow does.
///
/// Channels are filtered independently, which is Pillow's behaviour for modes "L" and "RGB".
/// Pillow premultiplies alpha for "RGBA" (except with NEAREST): with `premultipliedAlpha`,
/// a 4-channel image is converted to "RGBa", resized and converted back, as Pillow does;
/// without it, a 2- or 4-channel array is treated as plain samples.
///
/// `kernels` picks the integer kernels (the same bytes either way; see ``ResampleKernels``).
///
/// Traps if `width` or `height` is below 1, if the image is not (H, W, C), or if `box`
/// leaves the image or is inverted (Pillow raises ValueError for these).
public func resize<Sample: ImageSample>(
  _ image: NDArray<Sample>, width: Int, height: Int, filter: ResizeFilter,
  box: (x0: Double, y0: Double, x1: Double, y1: Double)? = nil,
  kernels: ResampleKernels = .fastest, premultipliedAlpha: Bool = false
) -> NDArray<Sample> {
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

  if premultipliedAlpha && channels == 4 && filter != .nearest {
    let resized = resize(
      alphaScaled(image, by: Sample.premultiplied), width: width, height: height, filter: filter,
      box: box, kernels: kernels)
    return alphaScaled(resized, by: Sample.unpremultiplied)
  }
  return image.withUnsafeBufferPointer { source in
    NDArray<Sample>(unsafeUninitializedShape: [height, width, channels]) { out in
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
        Sample.convolve(
          src, inWidth: inWidth, inHeight: inHeight, channels: channels,
          outWidth: width, outHeight: height, box: b, filter: filter,
          kernels: kernels, into: dst)
      }
    }
  }
}

/// A copy of a 4-channel image whose colour samples are `scale(color, alpha)`.
func alphaScaled<Sample: ImageSample>(
  _ image: NDArray<Sample>, by scale: (Sample, Sample) -> Sample
) -> NDArray<Sample> {
  image.withUnsafeBufferPointer { source in
    NDArray<Sample>(unsafeUninitializedShape: image.shape) { out in
      for p in stride(from: 0, to: source.count, by: 4) {
        let alpha = source[p + 3]
        out[p] = scale(source[p], alpha)
        out[p + 1] = scale(source[p + 1], alpha)
        out[p + 2] = scale(source[p + 2], alpha)
        out[p + 3] = alpha
      }
    }
  }
}
