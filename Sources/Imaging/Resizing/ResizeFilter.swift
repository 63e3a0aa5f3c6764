import Foundation

/// Pillow's resampling filters for `Image.resize`.
///
/// The Pillow equivalents are `Image.Resampling.NEAREST`, `BOX`, `BILINEAR`, `HAMMING`,
/// `BICUBIC` and `LANCZOS`.
public enum ResizeFilter: String, Sendable, CaseIterable {
  case nearest, box, bilinear, hamming, bicubic, lanczos

  /// Half-width of the kernel at scale 1 (Resample.c's `support`).
  var support: Double {
    switch self {
    case .nearest: return 0  // not a convolution: see NearestResize
    case .box: return 0.5
    case .bilinear, .hamming: return 1
    case .bicubic: return 2
    case .lanczos: return 3
    }
  }

  /// The kernel, in Double as in Resample.c (Hamming's constants are single-precision
  /// literals there, `0.54f` and `0.46f`, and are kept so).
  func weight(_ x: Double) -> Double {
    switch self {
    case .nearest:
      return 0
    case .box:
      return (x > -0.5 && x <= 0.5) ? 1 : 0
    case .bilinear:
      let x = abs(x)
      return x < 1 ? 1 - x : 0
    case .hamming:
      let x = abs(x)
      if x == 0 { return 1 }
      if x >= 1 { return 0 }
      let t = x * Double.pi
      return sin(t) / t * (Double(Float(0.54)) + Double(Float(0.46)) * cos(t))
    case .bicubic:
      let a = -0.5
      let x = abs(x)
      if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
      if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
      return 0
    case .lanczos:
      if -3 <= x && x < 3 { return ResizeFilter.sinc(x) * ResizeFilter.sinc(x / 3) }
      return 0
    }
  }

  static func sinc(_ x: Double) -> Double {
    if x == 0 { return 1 }
    let t = x * Double.pi
    return sin(t) / t
  }
}
