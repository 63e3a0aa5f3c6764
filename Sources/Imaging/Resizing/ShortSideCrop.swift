import NDArray

/// The size torchvision's `Resize(shortSide)` gives a `width` × `height` image: the shorter
/// side becomes `shortSide` and the longer one `int(shortSide * long / short)`, truncated
/// (torchvision's `_compute_resized_output_size`; the division is in double precision, exact
/// operands here, so the truncation matches Python's). A square image becomes `shortSide`
/// on both sides.
///
/// Traps unless all three numbers are positive.
public func shortSideResizedSize(width: Int, height: Int, shortSide: Int) -> (width: Int, height: Int) {
  precondition(width > 0 && height > 0 && shortSide > 0, "short side \(shortSide) of \(width)x\(height)")
  let short = Swift.min(width, height), long = Swift.max(width, height)
  let newLong = Int((Double(shortSide) * Double(long) / Double(short)).rounded(.towardZero))
  return width <= height ? (shortSide, newLong) : (newLong, shortSide)
}

/// torchvision's `CenterCrop` offsets for cropping `width` × `height` out of
/// `imageWidth` × `imageHeight`: `int(round((image − crop) / 2.0))`, Python's `round`
/// (half to even). Negative when the crop is larger than the image (see
/// ``resizeShortSideAndCenterCrop(_:shortSide:width:height:filter:kernels:premultipliedAlpha:)``).
public func centerCropOffsets(
  imageWidth: Int, imageHeight: Int, width: Int, height: Int
) -> (left: Int, top: Int) {
  func offset(_ image: Int, _ crop: Int) -> Int {
    Int((Double(image - crop) / 2).rounded(.toNearestOrEven))
  }
  return (offset(imageWidth, width), offset(imageHeight, height))
}

/// torchvision's `Resize(shortSide)` then `CenterCrop((height, width))` on a Pillow image,
/// pixel for pixel: the image is resized with Pillow's resampler to
/// ``shortSideResizedSize(width:height:shortSide:)`` (not at all when it already has that
/// size), then the centred `width` × `height` window is cut out at
/// ``centerCropOffsets(imageWidth:imageHeight:width:height:)``. Where the resized image is
/// smaller than the crop, it is first padded with zeros as torchvision's `center_crop` does
/// (`(crop − image) // 2` before, the rest after). This is the evaluation transform of
/// torchvision's classification weights (`Resize(256)` + `CenterCrop(224)`), of OpenAI CLIP
/// (`Resize(224, BICUBIC)` + `CenterCrop(224)`) and of timm (`Resize(floor(224 / crop_pct))`
/// + `CenterCrop(224)`). 16-bit samples and `premultipliedAlpha` are resized as by
/// ``resize(_:width:height:filter:box:kernels:premultipliedAlpha:)``.
///
/// Traps if a size is below 1 or the image is not (H, W, C).
public func resizeShortSideAndCenterCrop<Sample: ImageSample>(
  _ image: NDArray<Sample>, shortSide: Int, width: Int, height: Int,
  filter: ResizeFilter, kernels: ResampleKernels = .fastest, premultipliedAlpha: Bool = false
) -> NDArray<Sample> {
  precondition(image.rank == 3, "resizeShortSideAndCenterCrop expects an (H, W, C) image, got shape \(image.shape)")
  precondition(width >= 1 && height >= 1, "crop to \(width)x\(height): height and width must be > 0")
  let size = shortSideResizedSize(width: image.shape[1], height: image.shape[0], shortSide: shortSide)
  var resized = image
  if size.width != image.shape[1] || size.height != image.shape[0] {
    resized = resize(
      image, width: size.width, height: size.height, filter: filter, kernels: kernels,
      premultipliedAlpha: premultipliedAlpha)
  }
  // Pad (when the crop is larger) as center_crop does, then crop.
  let padLeft = width > size.width ? (width - size.width) / 2 : 0
  let padTop = height > size.height ? (height - size.height) / 2 : 0
  let paddedWidth = Swift.max(width, size.width), paddedHeight = Swift.max(height, size.height)
  let offsets = centerCropOffsets(imageWidth: paddedWidth, imageHeight: paddedHeight, width: width, height: height)
  let channels = image.shape[2]
  var out = NDArray<Sample>(zeros: [height, width, channels])
  resized.withUnsafeBufferPointer { source in
    out.withUnsafeMutableBufferPointer { destination in
      guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
      // Output pixel (x, y) is padded pixel (x + left, y + top), which is resized pixel
      // (x + left − padLeft, y + top − padTop) when inside the resized image, else zero.
      for y in 0..<height {
        let row = y + offsets.top - padTop
        if row < 0 || row >= size.height { continue }
        let firstX = Swift.max(0, padLeft - offsets.left)
        let lastX = Swift.min(width, size.width + padLeft - offsets.left)
        if firstX >= lastX { continue }
        let column = firstX + offsets.left - padLeft
        (dst + (y * width + firstX) * channels).update(
          from: src + (row * size.width + column) * channels, count: (lastX - firstX) * channels)
      }
    }
  }
  return out
}
