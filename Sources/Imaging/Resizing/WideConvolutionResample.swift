/// Pillow's convolution resampler for 32-bit integer images (Resample.c,
/// `ImagingResampleHorizontal_32bpc` / `Vertical_32bpc`, mode "I"), on 16-bit samples: what
/// `--depth 16` resizes with.
///
/// Each output sample is `ROUND_UP(Σ sample · weight)` with the Double weights of
/// ``ResampleCoefficients/normalized(inSize:in0:in1:outSize:filter:)`` summed in input order
/// (`ROUND_UP(f) = (int)(f ≥ 0 ? f + 0.5 : f − 0.5)`); the intermediate between the passes
/// is that 32-bit integer, unclipped, as in mode "I"; the result is clipped to 0…65535 at
/// the end. Pass order and skipped passes are those of ``ConvolutionResample``. So a 16-bit
/// image resizes to `numpy.clip(numpy.asarray(im.convert("I").resize(size, filter)), 0,
/// 65535)`; channels are resized independently (16-bit RGB, which Pillow cannot hold, is
/// three mode-"I" images). Pillow's own "I;16" kernel gives the same values except where
/// BICUBIC or LANCZOS overshoot the range, which it clips byte by byte.
enum WideConvolutionResample {
  /// Resamples `source` (inHeight × inWidth × channels) to outHeight × outWidth over `box`.
  static func resample(
    _ source: UnsafePointer<UInt16>, inWidth: Int, inHeight: Int, channels: Int,
    outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
    filter: ResizeFilter, into destination: UnsafeMutablePointer<UInt16>
  ) {
    let passes = ResamplePasses(
      inWidth: inWidth, inHeight: inHeight, outWidth: outWidth, outHeight: outHeight, box: box)
    let needHorizontal = passes.horizontal, needVertical = passes.vertical
    let horizontalFirst = passes.horizontalFirst
    guard needHorizontal || needVertical else {
      destination.update(from: source, count: inWidth * inHeight * channels)
      return
    }
    let vertical = ResampleCoefficients.normalized(
      inSize: inHeight, in0: box.1, in1: box.3, outSize: outHeight, filter: filter)
    let horizontal = ResampleCoefficients.normalized(
      inSize: inWidth, in0: box.0, in1: box.2, outSize: outWidth, filter: filter)
    var result: [Int32]
    if !needHorizontal {
      result = pass(
        source, lines: inWidth, taps: vertical, outSize: outHeight, channels: channels, vertical: true,
        rowOffset: 0, lineCount: inWidth)
    } else if !needVertical {
      result = pass(
        source, lines: inHeight, taps: horizontal, outSize: outWidth, channels: channels,
        vertical: false, rowOffset: 0, lineCount: inWidth)
    } else if horizontalFirst {
      // Only the input rows the vertical pass reads.
      let firstRow = Int(vertical.bounds[0])
      let lastRow = Int(vertical.bounds[2 * outHeight - 2] + vertical.bounds[2 * outHeight - 1])
      let rows = pass(
        source + firstRow * inWidth * channels, lines: lastRow - firstRow, taps: horizontal,
        outSize: outWidth, channels: channels, vertical: false, rowOffset: 0, lineCount: inWidth)
      result = rows.withUnsafeBufferPointer {
        pass(
          $0.baseAddress!, lines: outWidth, taps: vertical, outSize: outHeight, channels: channels,
          vertical: true, rowOffset: firstRow, lineCount: outWidth)
      }
    } else {
      let columns = pass(
        source, lines: inWidth, taps: vertical, outSize: outHeight, channels: channels, vertical: true,
        rowOffset: 0, lineCount: inWidth)
      result = columns.withUnsafeBufferPointer {
        pass(
          $0.baseAddress!, lines: outHeight, taps: horizontal, outSize: outWidth, channels: channels,
          vertical: false, rowOffset: 0, lineCount: inWidth)
      }
    }
    for i in 0..<(outWidth * outHeight * channels) {
      destination[i] = UInt16(clamping: result[i])
    }
  }

  /// One pass. Horizontal (`vertical` false): `lines` rows of `lineCount` pixels become rows
  /// of `outSize` pixels. Vertical: `outSize` rows of `lines` pixels, output row y reading
  /// input rows `bounds[2y] − rowOffset` onward.
  @inline(__always)
  static func pass<Sample: BinaryInteger>(
    _ source: UnsafePointer<Sample>, lines: Int,
    taps: (kernelSize: Int, bounds: [Int32], weights: [Double]),
    outSize: Int, channels: Int, vertical: Bool, rowOffset: Int, lineCount: Int
  ) -> [Int32] {
    let count = vertical ? outSize * lines * channels : lines * outSize * channels
    return [Int32](unsafeUninitializedCapacity: max(count, 1)) { out, initialized in
      taps.weights.withUnsafeBufferPointer { weights in
        if vertical {
          let rowLength = lines * channels
          for y in 0..<outSize {
            let first = Int(taps.bounds[2 * y]) - rowOffset, n = Int(taps.bounds[2 * y + 1])
            let k = weights.baseAddress! + y * taps.kernelSize
            for i in 0..<rowLength {
              var sum = 0.0
              for t in 0..<n { sum += Double(source[(first + t) * rowLength + i]) * k[t] }
              out[y * rowLength + i] = roundUp(sum)
            }
          }
        } else {
          for row in 0..<lines {
            let input = source + row * lineCount * channels
            for x in 0..<outSize {
              let first = Int(taps.bounds[2 * x]), n = Int(taps.bounds[2 * x + 1])
              let k = weights.baseAddress! + x * taps.kernelSize
              for c in 0..<channels {
                var sum = 0.0
                for t in 0..<n { sum += Double(input[(first + t) * channels + c]) * k[t] }
                out[(row * outSize + x) * channels + c] = roundUp(sum)
              }
            }
          }
        }
      }
      initialized = max(count, 1)
    }
  }

  /// Resample.c's ROUND_UP: half away from zero, then truncation to a 32-bit integer.
  @inline(__always)
  static func roundUp(_ value: Double) -> Int32 {
    Int32(value >= 0 ? value + 0.5 : value - 0.5)
  }
}
