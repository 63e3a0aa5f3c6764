import NDArray

extension DType {
  /// The element types `convert --dtype` can write for `x`: `uint8` and `uint16` (only with
  /// ``NormalizationMode/none``; `uint16` only with `--depth 16`), `float16`, `float32` and
  /// `float64`. The NumPy equivalent is the `dtype=` of `x.astype(dtype)`.
  public static let outputChoices: [DType] = [.uint8, .uint16, .float16, .float32, .float64]

  /// The default element type of `x` for a mode and a sample depth: the raw samples'
  /// `uint8` or `uint16` for `none`, `float32` otherwise.
  public static func defaultOutput(for mode: NormalizationMode, depth: SampleDepth) -> DType {
    mode == .none ? depth.pixelDType : .float32
  }
}
