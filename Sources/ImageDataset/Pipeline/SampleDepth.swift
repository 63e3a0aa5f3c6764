import NDArray

/// Bits per sample of the pixels a conversion works on (`--depth`).
///
/// The NumPy equivalents are `numpy.uint8` and `numpy.uint16` images.
public enum SampleDepth: String, Sendable, CaseIterable, Codable {
  /// 8 bits, Pillow's behaviour: 16-bit samples are reduced as `convert` reduces them.
  case eight = "8"
  /// 16 bits: 16-bit PNG, TIFF and PNM samples are kept; 8-bit images are scaled by 257.
  case sixteen = "16"

  /// The largest sample value, the unit scale's 1: 255 or 65535.
  public var maximumValue: UInt16 { self == .eight ? 255 : 65535 }

  /// Bytes per sample: 1 or 2.
  public var bytesPerSample: Int { self == .eight ? 1 : 2 }

  /// The element type of the pixels: `numpy.uint8` or `numpy.uint16`.
  public var pixelDType: DType { self == .eight ? .uint8 : .uint16 }
}
