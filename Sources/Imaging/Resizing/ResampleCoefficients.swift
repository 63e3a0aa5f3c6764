/// The kernel weights of one axis: Resample.c's `precompute_coeffs`, followed by
/// `normalize_coeffs_8bpc` for the fixed-point 8-bit kernels.
struct ResampleCoefficients {
  /// Fractional bits of the weights: 32 − 8 − 2 (Resample.c's PRECISION_BITS).
  static let precisionBits = 22

  /// Weights per output position (a row of the table).
  let kernelSize: Int
  /// First input index of output position i at `[2i]`, number of taps at `[2i + 1]`.
  let bounds: [Int32]
  /// `kernelSize` fixed-point weights per output position, zero past the taps.
  let weights: [Int32]

  /// Coefficients for mapping input span [in0, in1) of an axis of `inSize` samples onto
  /// `outSize` samples. `in0` and `in1` are single precision, as Pillow passes the box.
  init(inSize: Int, in0: Float, in1: Float, outSize: Int, filter: ResizeFilter) {
    let exact = Self.normalized(inSize: inSize, in0: in0, in1: in1, outSize: outSize, filter: filter)
    let one = Double(1 << ResampleCoefficients.precisionBits)
    kernelSize = exact.kernelSize
    bounds = exact.bounds
    weights = exact.weights.map { k in k < 0 ? Int32(-0.5 + k * one) : Int32(0.5 + k * one) }
  }

  /// Resample.c's `precompute_coeffs`: the bounds and the Double weights, each row divided
  /// by its sum (what the 32-bit "I"/"F" kernels use as they are).
  static func normalized(
    inSize: Int, in0: Float, in1: Float, outSize: Int, filter: ResizeFilter
  ) -> (kernelSize: Int, bounds: [Int32], weights: [Double]) {
    let scale = Double(in1 - in0) / Double(outSize)
    let filterScale = max(scale, 1)
    let support = filter.support * filterScale
    let kernelSize = Int(support.rounded(.up)) * 2 + 1
    let inverseFilterScale = 1 / filterScale
    var bounds = [Int32](repeating: 0, count: outSize * 2)
    var weights = [Double](repeating: 0, count: outSize * kernelSize)
    for xx in 0..<outSize {
      let center = Double(in0) + (Double(xx) + 0.5) * scale
      let xmin = max(0, Int(center - support + 0.5))
      let xmax = min(inSize, Int(center + support + 0.5)) - xmin
      var total = 0.0
      var x = 0
      while x < xmax {
        let w = filter.weight((Double(x + xmin) - center + 0.5) * inverseFilterScale)
        weights[xx * kernelSize + x] = w
        total += w
        x += 1
      }
      if total != 0 {
        for x in 0..<max(0, xmax) { weights[xx * kernelSize + x] /= total }
      }
      bounds[2 * xx] = Int32(xmin)
      bounds[2 * xx + 1] = Int32(max(0, xmax))
    }
    return (kernelSize, bounds, weights)
  }
}
