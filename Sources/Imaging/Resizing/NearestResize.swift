/// Pillow's NEAREST resize: not a convolution but `ImagingScaleAffine` (Geometry.c), an
/// affine scale whose source positions are accumulated in Double, one step per pixel.
enum NearestResize {
  /// Geometry.c's COORD: −1 for negative positions, else truncation.
  @inline(__always)
  static func coord(_ v: Double) -> Int { v < 0 ? -1 : Int(v) }

  static func resample<Sample: ImageSample>(
    _ source: UnsafePointer<Sample>, inWidth: Int, inHeight: Int, channels: Int,
    outWidth: Int, outHeight: Int, box: (Float, Float, Float, Float),
    into destination: UnsafeMutablePointer<Sample>
  ) {
    let a0 = Double(box.2 - box.0) / Double(outWidth)
    let a4 = Double(box.3 - box.1) / Double(outHeight)
    let a2 = Double(box.0), a5 = Double(box.1)
    // Column table; -1 marks positions outside the source (left black, as Pillow fills).
    var columns = [Int](repeating: -1, count: outWidth)
    var xo = a2 + a0 * 0.5
    for x in 0..<outWidth {
      let xin = coord(xo)
      if xin >= 0 && xin < inWidth { columns[x] = xin }
      xo += a0
    }
    let outRow = outWidth * channels, inRow = inWidth * channels
    var yo = a5 + a4 * 0.5
    for y in 0..<outHeight {
      let yi = coord(yo)
      let dst = destination + y * outRow
      if yi >= 0 && yi < inHeight {
        let src = source + yi * inRow
        switch channels {
        case 3:
          for x in 0..<outWidth {
            let c = columns[x]
            if c < 0 { dst[3 * x] = 0; dst[3 * x + 1] = 0; dst[3 * x + 2] = 0; continue }
            dst[3 * x] = src[3 * c]; dst[3 * x + 1] = src[3 * c + 1]; dst[3 * x + 2] = src[3 * c + 2]
          }
        default:
          for x in 0..<outWidth {
            let c = columns[x]
            for k in 0..<channels { dst[x * channels + k] = c < 0 ? 0 : src[c * channels + k] }
          }
        }
      } else {
        dst.update(repeating: 0, count: outRow)
      }
      yo += a4
    }
  }
}
