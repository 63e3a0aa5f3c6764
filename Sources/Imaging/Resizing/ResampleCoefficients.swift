/// The fixed-point kernel weights of one axis: Resample.c's `precompute_coeffs` followed
/// by `normalize_coeffs_8bpc`.
struct ResampleCoefficients {
  /// Fractional bits of the weights: 32 − 8 − 2 (Resample.c's PRECISION_BITS).
  static let precisionBits = 22

  /// Weights per output position (a row of the table).
  let kernelSize: Int
  /// First input index of output position i at `[2i]`, number of taps at `[2i + 1]`.
  let bounds: [Int32]
  /// `kernelSize` weights per output position, zero past the taps.
  let weights: [Int32]

  /// Coefficients for mapping input span [in0, in1) of an axis of `inSize` samples onto
  /// `outSize` samples. `in0` and `in1` are single precision, as Pillow passes the box.
  init(inSize: Int, in0: Float, in1: Float, outSize: Int, filter: ResizeFilter) {
    let scale = Double(in1 - in0) / Double(outSize)
    let filterScale = max(scale, 1)
    let support = filter.support * filterScale
    let kernelSize = Int(support.rounded(.up)) * 2 + 1
    let inverseFilterScale = 1 / filterScale
    var bounds = [Int32](repeating: 0, count: outSize * 2)
    var weights = [Int32](repeating: 0, count: outSize * kernelSize)
    var row = [Double](repeating: 0, count: kernelSize)
    let one = Double(1 << ResampleCoefficients.precisionBits)
    for xx in 0..<outSize {
      let center = Double(in0) + (Double(xx) + 0.5) * scale
      let xmin = max(0, Int(center - support + 0.5))
      let xmax = min(inSize, Int(center + support + 0.5)) - xmin
      var total = 0.0
      var x = 0
      while x < xmax {
        let w = filter.weight((Double(x + xmin) - center + 0.5) * inverseFilterScale)
        row[x] = w
        total += w
        x += 1
      }
      for x in 0..<max(0, xmax) {
        var k = row[x]
        if total != 0 { k /= total }
        weights[xx * kernelSize + x] = k < 0 ? Int32(-0.5 + k * one) : Int32(0.5 + k * one)
      }
      bounds[2 * xx] = Int32(xmin)
      bounds[2 * xx + 1] = Int32(max(0, xmax))
    }
    self.kernelSize = kernelSize
    self.bounds = bounds
    self.weights = weights
  }
}
