import NDArray

/// Brings an (H, W, C) image to exactly `height` × `width` by stretching, centre-cropping
/// or padding.
///
/// The Pillow equivalents, pixel for pixel:
/// - `.stretch`: `image.resize((width, height), filter)`.
/// - `.crop`: `ImageOps.fit(image, (width, height), filter)` — the largest centred box with
///   the target aspect ratio, resized with that (fractional) box.
/// - `.pad`: `ImageOps.pad(image, (width, height), filter, color=0)` — `ImageOps.contain`
///   (sides rounded half to even, as Python's `round`), then pasted centred on zeros at
///   `round((width − w) / 2)` or `round((height − h) / 2)`.
/// - `.shortSideCrop`: torchvision's `Resize(shortSide)` + `CenterCrop((height, width))`
///   (``resizeShortSideAndCenterCrop(_:shortSide:width:height:filter:kernels:premultipliedAlpha:)``);
///   `shortSide` defaults to the shorter of `width` and `height`.
///
/// `kernels` picks the integer kernels (the same bytes either way; see ``ResampleKernels``);
/// `premultipliedAlpha` resizes a 4-channel image as Pillow resizes "RGBA" (see ``resize``).
///
/// Traps if `width` or `height` is below 1.
public func fit<Sample: ImageSample>(
  _ image: NDArray<Sample>, width: Int, height: Int, mode: ResizeMode,
  filter: ResizeFilter, shortSide: Int? = nil, kernels: ResampleKernels = .fastest,
  premultipliedAlpha: Bool = false
) -> NDArray<Sample> {
  precondition(image.rank == 3, "fit expects an (H, W, C) image, got shape \(image.shape)")
  precondition(width >= 1 && height >= 1, "fit to \(width)x\(height): height and width must be > 0")
  let inHeight = image.shape[0], inWidth = image.shape[1], channels = image.shape[2]
  switch mode {
  case .stretch:
    return resize(
      image, width: width, height: height, filter: filter, kernels: kernels, premultipliedAlpha: premultipliedAlpha)

  case .crop:
    if inHeight == 0 { return NDArray(zeros: [height, width, channels]) }
    let liveWidth = Double(inWidth), liveHeight = Double(inHeight)
    let liveRatio = liveWidth / liveHeight
    let outputRatio = Double(width) / Double(height)
    var cropWidth = liveWidth, cropHeight = liveHeight
    if liveRatio == outputRatio {
      // already the needed ratio
    } else if liveRatio >= outputRatio {
      cropWidth = outputRatio * liveHeight
    } else {
      cropHeight = liveWidth / outputRatio
    }
    let left = (liveWidth - cropWidth) * 0.5
    let top = (liveHeight - cropHeight) * 0.5
    return resize(
      image, width: width, height: height, filter: filter,
      box: (left, top, left + cropWidth, top + cropHeight), kernels: kernels, premultipliedAlpha: premultipliedAlpha)

  case .shortSideCrop:
    return resizeShortSideAndCenterCrop(
      image, shortSide: shortSide ?? Swift.min(width, height), width: width, height: height,
      filter: filter, kernels: kernels, premultipliedAlpha: premultipliedAlpha)

  case .pad:
    // ImageOps.contain
    var size = (width, height)
    let imageRatio = Double(inWidth) / Double(inHeight)
    let destinationRatio = Double(width) / Double(height)
    if imageRatio != destinationRatio {
      if imageRatio > destinationRatio {
        let newHeight = Int((Double(inHeight) / Double(inWidth) * Double(width)).rounded(.toNearestOrEven))
        if newHeight != height { size = (width, newHeight) }
      } else {
        let newWidth = Int((Double(inWidth) / Double(inHeight) * Double(height)).rounded(.toNearestOrEven))
        if newWidth != width { size = (newWidth, height) }
      }
    }
    if size.0 == 0 || size.1 == 0 { return NDArray(zeros: [height, width, channels]) }
    let resized = resize(
      image, width: size.0, height: size.1, filter: filter, kernels: kernels, premultipliedAlpha: premultipliedAlpha)
    if size == (width, height) { return resized }
    var x = 0, y = 0
    if size.0 != width {
      x = Int((Double(width - size.0) * 0.5).rounded(.toNearestOrEven))
    } else {
      y = Int((Double(height - size.1) * 0.5).rounded(.toNearestOrEven))
    }
    var out = NDArray<Sample>(zeros: [height, width, channels])
    resized.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { destination in
        for row in 0..<size.1 {
          let from = source.baseAddress! + row * size.0 * channels
          let to = destination.baseAddress! + ((y + row) * width + x) * channels
          to.update(from: from, count: size.0 * channels)
        }
      }
    }
    return out
  }
}
