/// The order of the colour channels in `x` (`--channel-order`).
///
/// Caffe-trained models (VGG16/19 and ResNet50 in `keras.applications`) expect BGR: Keras's
/// `preprocess_input(mode="caffe")` does `x[..., ::-1]`, which is the NumPy equivalent of
/// ``bgr``. Everything else expects RGB, the order images decode to.
public enum ChannelOrder: String, Sendable, CaseIterable, Codable {
  /// Red, green, blue: as decoded (Pillow's `convert("RGB")`).
  case rgb
  /// Blue, green, red: the decoded channels reversed (NumPy's `x[..., ::-1]`).
  case bgr

  /// Reverses the channels of interleaved (H, W, 3) pixels (8- or 16-bit) in place for ``bgr``; leaves
  /// ``rgb`` and any other channel count alone. The NumPy equivalent is `x[..., ::-1]`.
  public func arrange<Sample>(_ pixels: UnsafeMutableBufferPointer<Sample>, channels: Int) {
    guard self == .bgr, channels == 3, let base = pixels.baseAddress else { return }
    var i = 0
    while i + 2 < pixels.count {
      let red = base[i]
      base[i] = base[i + 2]
      base[i + 2] = red
      i += 3
    }
  }
}

/// The scale of the values the normalization sees (`--scale`): pixel / 255 or the pixel
/// values themselves. Statistics and `--mean`/`--std` are given on this scale.
///
/// torchvision's `ToTensor` and Keras's `mode="torch"` work on the unit scale; Keras's
/// `mode="caffe"` subtracts `[103.939, 116.779, 123.68]` from 0–255 values, and `mode="tf"`
/// is `x / 127.5 − 1`, that is mean 127.5 and std 127.5 on the 0–255 scale.
public enum ValueScale: String, Sendable, CaseIterable, Codable {
  /// `x = pixel / 255` (NumPy: `pixels / 255.0`), the default.
  case unit
  /// `x = pixel` (NumPy: `pixels.astype(float)`).
  case pixel = "255"

  /// What a value on this scale is divided by to reach the unit scale: 1 or 255.
  public var divisor: Double { self == .unit ? 1 : 255 }
}
