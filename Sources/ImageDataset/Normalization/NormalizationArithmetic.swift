/// How a ``NormalizationTable`` computes each output value.
public enum NormalizationArithmetic: String, Sendable, CaseIterable, Codable {
  /// In Float64, rounded once to the output type: the NumPy reference
  /// `((pixels / 255.0 - mean) / std).astype(dtype)` (docs/design.md §6). The default.
  case float64
  /// In Float32, one rounding per step, in the frameworks' order: `x = float32(p)`, then
  /// `x / 255` (unit scale only), `x − float32(mean)`, `x / float32(std)`. This is what
  /// torchvision's `ToTensor` + `Normalize` and Keras's `preprocess_input` compute on a
  /// float32 array (`x /= 255.0; x[..., c] -= mean[c]; x[..., c] /= std[c]`), so presets
  /// match them bit for bit. Applies to `scale`, `center` and `standardize`; the other
  /// modes have no framework counterpart and use ``float64``.
  case float32
  /// In Float32 like ``float32`` but dividing first: `x / float32(std) − float32(mean / std)`.
  /// Keras's `preprocess_input(mode="tf")` is `x /= 127.5; x -= 1.0`, which is this with mean
  /// and std 127.5 on the 0–255 scale (`(x − 127.5) / 127.5` rounds differently near 0).
  case float32DivideFirst = "float32-divide-first"
}
