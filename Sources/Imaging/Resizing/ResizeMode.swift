/// How `fit` reaches the requested size.
///
/// The Pillow equivalents: `stretch` is `Image.resize((w, h))`, `crop` is
/// `ImageOps.fit(image, (w, h), method)` and `pad` is `ImageOps.pad(image, (w, h), method,
/// color=0)`; `short-side-crop` is torchvision's `Resize(N)` + `CenterCrop((h, w))`.
public enum ResizeMode: String, Sendable, CaseIterable {
  /// Resize to exactly w×h, ignoring the aspect ratio.
  case stretch
  /// Take the largest centred region with the target aspect ratio, resize it to w×h.
  case crop
  /// Resize to fit inside w×h keeping the aspect ratio, centre it on zeros.
  case pad
  /// Resize the shorter side to N keeping the aspect ratio (torchvision's `Resize(N)`
  /// rounding), then cut out the centred w×h window (`CenterCrop`); see
  /// ``resizeShortSideAndCenterCrop(_:shortSide:width:height:filter:kernels:premultipliedAlpha:)``.
  case shortSideCrop = "short-side-crop"
}
