/// Pillow's two-pass convolution resampler (Resample.c, `ImagingResampleInner` with the
/// 8-bit kernels), on tightly packed rows of `channels` interleaved UInt8 samples.
///
/// Pass order and rounding are Pillow 13's: normally the horizontal pass runs first, only
/// over the input rows the vertical pass will read, into an 8-bit rounded intermediate,
/// then the vertical pass; when the height shrinks by more than twice as many pixels as the
/// width, the vertical pass runs first. A pass is skipped when its axis keeps its size and
/// the box spans it.
/// Sums are 32-bit integers with 22-bit weights, so the order of additions does not change
/// the result and the kernels below are free to vectorise.
enum ConvolutionResample {
  static let half: Int32 = 1 << (ResampleCoefficients.precisionBits - 1)

  @inline(__always)
  static func clip8(_ sum: Int32) -> UInt8 {
    let v = sum >> Int32(ResampleCoefficients.precisionBits)
    return v < 0 ? 0 : (v > 255 ? 255 : UInt8(truncatingIfNeeded: v))
  }

  /// Resamples `source` (inHeight × inWidth × channels) to outHeight × outWidth over `box`.
  static func resample(_ source: UnsafePointer<UInt8>, inWidth: Int, inHeight: Int, channels: Int,
                       outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
                       filter: ResizeFilter, into destination: UnsafeMutablePointer<UInt8>) {
    let needHorizontal = outWidth != inWidth || box.0 != 0 || box.2 != Float(outWidth)
    let needVertical = outHeight != inHeight || box.1 != 0 || box.3 != Float(outHeight)
    // Pillow 13: when the height shrinks by more than twice what the width does, the
    // vertical pass runs first (the order changes the 8-bit rounded intermediate).
    let horizontalFirst = !((inHeight - outHeight) > 0
                            && (inHeight - outHeight) > (inWidth - outWidth) * 2)
    guard needHorizontal || needVertical else {
      destination.update(from: source, count: inWidth * inHeight * channels)
      return
    }
    let vertical = ResampleCoefficients(inSize: inHeight, in0: box.1, in1: box.3,
                                        outSize: outHeight, filter: filter)
    guard needHorizontal else {
      verticalPass(source, rowOffset: 0, width: inWidth, channels: channels,
                   coefficients: vertical, outHeight: outHeight, into: destination)
      return
    }
    let horizontal = ResampleCoefficients(inSize: inWidth, in0: box.0, in1: box.2,
                                          outSize: outWidth, filter: filter)
    guard needVertical else {
      // The horizontal pass covers rows [first, last) of the vertical bounds, which are
      // all rows when the height is kept.
      horizontalPass(source, rows: inHeight, inWidth: inWidth, channels: channels,
                     coefficients: horizontal, outWidth: outWidth, into: destination)
      return
    }
    if horizontalFirst {
      // Only the input rows the vertical pass reads.
      let firstRow = vertical.bounds[0]
      let lastRow = vertical.bounds[2 * outHeight - 2] + vertical.bounds[2 * outHeight - 1]
      let rows = lastRow - firstRow
      let temporary = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, rows * outWidth * channels))
      defer { temporary.deallocate() }
      horizontalPass(source + firstRow * inWidth * channels, rows: rows, inWidth: inWidth,
                     channels: channels, coefficients: horizontal, outWidth: outWidth,
                     into: temporary)
      verticalPass(temporary, rowOffset: firstRow, width: outWidth, channels: channels,
                   coefficients: vertical, outHeight: outHeight, into: destination)
    } else {
      let temporary = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, outHeight * inWidth * channels))
      defer { temporary.deallocate() }
      verticalPass(source, rowOffset: 0, width: inWidth, channels: channels,
                   coefficients: vertical, outHeight: outHeight, into: temporary)
      horizontalPass(temporary, rows: outHeight, inWidth: inWidth, channels: channels,
                     coefficients: horizontal, outWidth: outWidth, into: destination)
    }
  }

  /// Horizontal pass: each of `rows` input rows to `outWidth` pixels.
  static func horizontalPass(_ source: UnsafePointer<UInt8>, rows: Int, inWidth: Int, channels: Int,
                             coefficients: ResampleCoefficients, outWidth: Int,
                             into destination: UnsafeMutablePointer<UInt8>) {
    let ksize = coefficients.kernelSize
    coefficients.bounds.withUnsafeBufferPointer { boundsBuffer in
      coefficients.weights.withUnsafeBufferPointer { weightsBuffer in
        let bounds = boundsBuffer.baseAddress!
        let weights = weightsBuffer.baseAddress!
        let inRow = inWidth * channels
        let outRow = outWidth * channels
        switch channels {
        case 3:
          // Output pixels whose taps stay clear of the last input pixel may load 4 bytes
          // per tap (one past the pixel) safely; the rest use 3 scalar loads.
          var vectorCount = outWidth
          while vectorCount > 0
                  && bounds[2 * (vectorCount - 1)] + bounds[2 * (vectorCount - 1) + 1] >= inWidth {
            vectorCount -= 1
          }
          for y in 0..<rows {
            let src = source + y * inRow
            let dst = destination + y * outRow
            for xx in 0..<vectorCount {
              let xmin = bounds[2 * xx], n = bounds[2 * xx + 1]
              let k = weights + xx * ksize
              var sum = SIMD4<Int32>(repeating: half)
              var p = UnsafeRawPointer(src + xmin * 3)
              for t in 0..<n {
                let bytes = p.loadUnaligned(as: SIMD4<UInt8>.self)
                sum &+= SIMD4<Int32>(truncatingIfNeeded: bytes) &* k[t]
                p += 3
              }
              dst[3 * xx] = clip8(sum[0])
              dst[3 * xx + 1] = clip8(sum[1])
              dst[3 * xx + 2] = clip8(sum[2])
            }
            for xx in vectorCount..<outWidth {
              let xmin = bounds[2 * xx], n = bounds[2 * xx + 1]
              let k = weights + xx * ksize
              var s0 = half, s1 = half, s2 = half
              var p = src + xmin * 3
              for t in 0..<n {
                let w = k[t]
                s0 &+= Int32(p[0]) &* w
                s1 &+= Int32(p[1]) &* w
                s2 &+= Int32(p[2]) &* w
                p += 3
              }
              dst[3 * xx] = clip8(s0)
              dst[3 * xx + 1] = clip8(s1)
              dst[3 * xx + 2] = clip8(s2)
            }
          }
        case 1:
          for y in 0..<rows {
            let src = source + y * inRow
            let dst = destination + y * outRow
            for xx in 0..<outWidth {
              let xmin = bounds[2 * xx], n = bounds[2 * xx + 1]
              let k = weights + xx * ksize
              let p = src + xmin
              var s = half
              for t in 0..<n { s &+= Int32(p[t]) &* k[t] }
              dst[xx] = clip8(s)
            }
          }
        default:
          for y in 0..<rows {
            let src = source + y * inRow
            let dst = destination + y * outRow
            for xx in 0..<outWidth {
              let xmin = bounds[2 * xx], n = bounds[2 * xx + 1]
              let k = weights + xx * ksize
              for c in 0..<channels {
                var s = half
                for t in 0..<n { s &+= Int32(src[(xmin + t) * channels + c]) &* k[t] }
                dst[xx * channels + c] = clip8(s)
              }
            }
          }
        }
      }
    }
  }

  /// Vertical pass: `outHeight` rows, each a weighted sum of input rows (row indices in
  /// `coefficients` are shifted down by `rowOffset`).
  static func verticalPass(_ source: UnsafePointer<UInt8>, rowOffset: Int, width: Int, channels: Int,
                           coefficients: ResampleCoefficients, outHeight: Int,
                           into destination: UnsafeMutablePointer<UInt8>) {
    let ksize = coefficients.kernelSize
    let rowLength = width * channels
    let vectorLength = rowLength & ~7
    let sums = UnsafeMutablePointer<SIMD8<Int32>>.allocate(capacity: max(1, vectorLength / 8))
    defer { sums.deallocate() }
    coefficients.bounds.withUnsafeBufferPointer { boundsBuffer in
      coefficients.weights.withUnsafeBufferPointer { weightsBuffer in
        let bounds = boundsBuffer.baseAddress!
        let weights = weightsBuffer.baseAddress!
        for yy in 0..<outHeight {
          let ymin = bounds[2 * yy] - rowOffset, n = bounds[2 * yy + 1]
          let k = weights + yy * ksize
          let dst = destination + yy * rowLength
          let first = source + ymin * rowLength
          // Vector part: 8 samples at a time.
          for v in 0..<(vectorLength / 8) { sums[v] = SIMD8(repeating: half) }
          for t in 0..<n {
            let row = UnsafeRawPointer(first + t * rowLength)
            let w = SIMD8<Int32>(repeating: k[t])
            for v in 0..<(vectorLength / 8) {
              let bytes = row.loadUnaligned(fromByteOffset: v * 8, as: SIMD8<UInt8>.self)
              sums[v] &+= SIMD8<Int32>(truncatingIfNeeded: bytes) &* w
            }
          }
          for v in 0..<(vectorLength / 8) {
            let shifted = sums[v] &>> Int32(ResampleCoefficients.precisionBits)
            let clamped = shifted.clamped(lowerBound: SIMD8(repeating: 0), upperBound: SIMD8(repeating: 255))
            let narrow = SIMD8<UInt8>(truncatingIfNeeded: clamped)
            UnsafeMutableRawPointer(dst).storeBytes(of: narrow, toByteOffset: v * 8, as: SIMD8<UInt8>.self)
          }
          // Tail.
          for e in vectorLength..<rowLength {
            var s = half
            for t in 0..<n { s &+= Int32(first[t * rowLength + e]) &* k[t] }
            dst[e] = clip8(s)
          }
        }
      }
    }
  }
}
