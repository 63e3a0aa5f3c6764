import CImageCodecs

/// Pillow's two-pass convolution resampler (Resample.c, `ImagingResampleInner` with the
/// 8-bit kernels), on tightly packed rows of `channels` interleaved UInt8 samples.
///
/// Pass order and rounding are Pillow 13's: normally the horizontal pass runs first, only
/// over the input rows the vertical pass will read, into an 8-bit rounded intermediate,
/// then the vertical pass; when the height shrinks by more than twice as many pixels as the
/// width, the vertical pass runs first. A pass is skipped when its axis keeps its size and
/// the box spans it.
/// Sums are 32-bit integers with 22-bit weights, so the order of additions does not change
/// the result: the kernels (CImageCodecs' ResampleKernels.c, AVX2 where the CPU has it,
/// portable C elsewhere, as `kernels` says) are free to vectorise.
enum ConvolutionResample {
  /// Resamples `source` (inHeight × inWidth × channels) to outHeight × outWidth over `box`.
  static func resample(
    _ source: UnsafePointer<UInt8>, inWidth: Int, inHeight: Int, channels: Int,
    outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
    filter: ResizeFilter, kernels: ResampleKernels,
    into destination: UnsafeMutablePointer<UInt8>
  ) {
    let passes = ResamplePasses(
      inWidth: inWidth, inHeight: inHeight, outWidth: outWidth, outHeight: outHeight, box: box)
    let needHorizontal = passes.horizontal, needVertical = passes.vertical
    let horizontalFirst = passes.horizontalFirst
    guard needHorizontal || needVertical else {
      destination.update(from: source, count: inWidth * inHeight * channels)
      return
    }
    let vertical = ResampleCoefficients(
      inSize: inHeight, in0: box.1, in1: box.3,
      outSize: outHeight, filter: filter)
    guard needHorizontal else {
      verticalPass(
        source, rowOffset: 0, width: inWidth, channels: channels,
        coefficients: vertical, outHeight: outHeight, kernels: kernels, into: destination)
      return
    }
    let horizontal = ResampleCoefficients(
      inSize: inWidth, in0: box.0, in1: box.2,
      outSize: outWidth, filter: filter)
    guard needVertical else {
      // The horizontal pass covers rows [first, last) of the vertical bounds, which are
      // all rows when the height is kept.
      horizontalPass(
        source, rows: inHeight, inWidth: inWidth, channels: channels,
        coefficients: horizontal, outWidth: outWidth, kernels: kernels, into: destination)
      return
    }
    if horizontalFirst {
      // Only the input rows the vertical pass reads.
      let firstRow = Int(vertical.bounds[0])
      let lastRow = Int(vertical.bounds[2 * outHeight - 2] + vertical.bounds[2 * outHeight - 1])
      let rows = lastRow - firstRow
      let temporary = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, rows * outWidth * channels))
      defer { temporary.deallocate() }
      horizontalPass(
        source + firstRow * inWidth * channels, rows: rows, inWidth: inWidth,
        channels: channels, coefficients: horizontal, outWidth: outWidth,
        kernels: kernels, into: temporary)
      verticalPass(
        temporary, rowOffset: firstRow, width: outWidth, channels: channels,
        coefficients: vertical, outHeight: outHeight, kernels: kernels, into: destination)
    } else {
      let temporary = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, outHeight * inWidth * channels))
      defer { temporary.deallocate() }
      verticalPass(
        source, rowOffset: 0, width: inWidth, channels: channels,
        coefficients: vertical, outHeight: outHeight, kernels: kernels, into: temporary)
      horizontalPass(
        temporary, rows: outHeight, inWidth: inWidth, channels: channels,
        coefficients: horizontal, outWidth: outWidth, kernels: kernels, into: destination)
    }
  }

  /// Horizontal pass: each of `rows` input rows to `outWidth` pixels.
  static func horizontalPass(
    _ source: UnsafePointer<UInt8>, rows: Int, inWidth: Int, channels: Int,
    coefficients: ResampleCoefficients, outWidth: Int, kernels: ResampleKernels,
    into destination: UnsafeMutablePointer<UInt8>
  ) {
    coefficients.bounds.withUnsafeBufferPointer { bounds in
      coefficients.weights.withUnsafeBufferPointer { weights in
        cic_resample_horizontal_u8(
          source, inWidth * channels, destination, outWidth * channels,
          Int32(rows), Int32(inWidth), Int32(outWidth), Int32(channels),
          bounds.baseAddress, weights.baseAddress,
          Int32(coefficients.kernelSize), kernels.allowsSIMD)
      }
    }
  }

  /// Vertical pass: `outHeight` rows, each a weighted sum of input rows (row indices in
  /// `coefficients` are shifted down by `rowOffset`).
  static func verticalPass(
    _ source: UnsafePointer<UInt8>, rowOffset: Int, width: Int, channels: Int,
    coefficients: ResampleCoefficients, outHeight: Int, kernels: ResampleKernels,
    into destination: UnsafeMutablePointer<UInt8>
  ) {
    let rowLength = width * channels
    coefficients.bounds.withUnsafeBufferPointer { bounds in
      coefficients.weights.withUnsafeBufferPointer { weights in
        cic_resample_vertical_u8(
          source, rowLength, destination, rowLength, Int32(outHeight),
          Int32(rowLength), Int32(rowOffset), bounds.baseAddress,
          weights.baseAddress, Int32(coefficients.kernelSize), kernels.allowsSIMD)
      }
    }
  }
}
