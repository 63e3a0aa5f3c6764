/// How `fit` reaches the requested size.
///
/// The Pillow equivalents: `stretch` is `Image.resize((w, h))`, `crop` is
/// `ImageOps.fit(image, (w, h), method)` and `pad` is `ImageOps.pad(image, (w, h), method,
/// color=0)`.
public enum ResizeMode: String, Sendable, CaseIterable {
  /// Resize to exactly w×h, ignoring the aspect ratio.
  case stretch
  /// Take the largest centred region with the target aspect ratio, resize it to w×h.
  case crop
  /// Resize to fit inside w×h keeping the aspect ratio, centre it on zeros.
  case pad
}
