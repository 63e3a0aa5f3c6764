import Imaging

/// An element type the output array `x` can hold.
public protocol OutputElement: Sendable {
  /// The value nearest to `value` (round to nearest, ties to even, as NumPy's `astype`).
  init(converting value: Double)
}
extension Float: OutputElement {
  /// `numpy.float64.astype(numpy.float32)`.
  @inlinable public init(converting value: Double) { self.init(value) }
}
extension Double: OutputElement {
  /// The value itself.
  @inlinable public init(converting value: Double) { self = value }
}
extension Float16: OutputElement {
  /// `numpy.float64.astype(numpy.float16)`.
  @inlinable public init(converting value: Double) { self.init(value) }
}
extension UInt8: OutputElement {
  /// Raw pixels only: `value` is a whole number in 0...255.
  @inlinable public init(converting value: Double) { self.init(value) }
}
extension UInt16: OutputElement {
  /// Raw 16-bit pixels only (`--depth 16`): `value` is a whole number in 0...65535.
  @inlinable public init(converting value: Double) { self.init(value) }
}

/// The normalization of one image as a lookup table: `uint8` pixels have 256 values per
/// channel (`uint16` pixels, `--depth 16`, 65,536), so every output value is computed once,
/// in Float64 exactly as the NumPy reference does (`x = p / 255`, or `p / 65535`, then the
/// formula of docs/design.md §6), and rounded once to the output type; or, for presets, in
/// the frameworks' Float32 order (``NormalizationArithmetic``). With ``ValueScale/pixel``
/// (8-bit only) `x` is the pixel value and the statistics are multiplied by 255.
///
/// The NumPy equivalent is `((pixels / 255.0 - mean) / std).astype(dtype)` (`/ 65535.0` at 16 bits).
public struct NormalizationTable<Element: OutputElement>: Sendable {
  /// `values[levels * c + p]` is the output for pixel value `p` in channel `c`.
  public private(set) var values: [Element]
  /// The number of channels of the images this table applies to.
  public let channels: Int
  /// Pixel values per channel: 256, or 65,536 for 16-bit pixels.
  public let levels: Int

  /// The table for `mode` with `statistics` (one entry per channel, or one for all, on the
  /// unit scale), for pixels of values 0 ..< `levels` (256, or 65,536 for 16-bit pixels; the
  /// unit scale is `p / (levels − 1)`). `scale` says what the normalization sees: the unit
  /// scale (``ValueScale/unit``) or the 8-bit pixel itself (``ValueScale/pixel``, statistics
  /// multiplied by 255); `arithmetic` says how each value is computed
  /// (``NormalizationArithmetic``).
  ///
  /// Traps when `statistics` has neither 1 nor `channels` entries, when `mode` needs
  /// statistics that are missing (minmax without min/max), or for ``ValueScale/pixel`` with
  /// other than 256 levels (``ConversionOptions/validate()`` refuses `--depth 16 --scale 255`).
  public init(
    mode: NormalizationMode, statistics: NormalizationStatistics?, channels: Int, levels: Int = 256,
    scale: ValueScale = .unit, arithmetic: NormalizationArithmetic = .float64
  ) {
    precondition(scale == .unit || levels == 256, "the 0-255 value scale is for 256 levels, not \(levels)")
    self.channels = channels
    self.levels = levels
    var values: [Element] = []
    values.reserveCapacity(levels * channels)
    if let statistics {
      precondition(
        statistics.entries == 1 || statistics.entries == channels,
        "statistics with \(statistics.entries) entries for \(channels) channels")
    } else {
      precondition(!mode.usesStatistics, "\(mode) needs statistics")
    }
    precondition(
      mode != .minmax || (statistics?.minimum != nil && statistics?.maximum != nil),
      "minmax needs minimum and maximum statistics")
    let stdPrime = statistics?.adjustedStd ?? []
    let factor = scale.divisor
    let inFloat32 = arithmetic != .float64 && [.scale, .center, .standardize].contains(mode)
    for c in 0..<channels {
      let e = (statistics?.entries ?? 1) == 1 ? 0 : c
      for p in 0..<levels {
        if inFloat32 {
          values.append(
            Element(
              converting: Double(
                Self.float32Steps(
                  pixel: p, maximum: levels - 1, mode: mode, scale: scale,
                  divideFirst: arithmetic == .float32DivideFirst,
                  mean: statistics.map { $0.mean[e] * factor }, std: stdPrime.isEmpty ? nil : stdPrime[e] * factor))))
          continue
        }
        let x = scale == .unit ? Double(p) / Double(levels - 1) : Double(p)
        let y =
          mode == .none
          ? Double(p)
          : mode.apply(
            x, mean: (statistics?.mean[e] ?? 0) * factor, adjustedStd: stdPrime.isEmpty ? 1 : stdPrime[e] * factor,
            minimum: (statistics?.minimum?[e] ?? .nan) * factor, maximum: (statistics?.maximum?[e] ?? .nan) * factor)
        values.append(Element(converting: y))
      }
    }
    self.values = values
  }

  /// One value in the frameworks' Float32 order (``NormalizationArithmetic/float32``):
  /// `float32(p)`, `/ maximum` (255 or 65535) on the unit scale, `− float32(mean)`,
  /// `/ float32(std)`; with
  /// `divideFirst` (``NormalizationArithmetic/float32DivideFirst``) a standardization is
  /// `/ float32(std)`, then `− float32(mean / std)`.
  static func float32Steps(
    pixel: Int, maximum: Int, mode: NormalizationMode, scale: ValueScale, divideFirst: Bool, mean: Double?,
    std: Double?
  ) -> Float {
    var x = Float(pixel)
    if scale == .unit { x /= Float(maximum) }
    if mode == .standardize && divideFirst {
      x /= Float(std!)
      x -= Float(mean! / std!)
      return x
    }
    if mode == .center || mode == .standardize { x -= Float(mean!) }
    if mode == .standardize { x /= Float(std!) }
    return x
  }

  /// Normalizes one image of interleaved pixels (H, W, C) into `destination`, in `layout`
  /// order ((H, W, C) or (C, H, W)). Both buffers hold `H·W·C` elements.
  ///
  /// Traps if the sizes differ or are not a multiple of the channel count, or if a pixel
  /// value is `levels` or more.
  public func apply<Sample: ImageSample>(
    to pixels: UnsafeBufferPointer<Sample>, layout: OutputLayout,
    into destination: UnsafeMutableBufferPointer<Element>
  ) {
    precondition(Int(Sample.max) < levels, "a table of \(levels) levels for \(Sample.self) pixels")
    precondition(
      pixels.count == destination.count && pixels.count % channels == 0,
      "\(pixels.count) pixels values for \(destination.count) outputs of \(channels) channels")
    guard let source = pixels.baseAddress, let output = destination.baseAddress else { return }
    let pixelCount = pixels.count / channels
    let channels = self.channels
    let levels = self.levels
    values.withUnsafeBufferPointer { table in
      let table = table.baseAddress!
      if channels == 1 || layout == .nhwc {
        if channels == 3 {
          var i = 0
          for _ in 0..<pixelCount {
            output[i] = table[Int(source[i])]
            output[i + 1] = table[levels + Int(source[i + 1])]
            output[i + 2] = table[2 * levels + Int(source[i + 2])]
            i += 3
          }
        } else {
          for i in 0..<pixels.count { output[i] = table[levels * (i % channels) + Int(source[i])] }
        }
      } else {
        for c in 0..<channels {
          let plane = output + c * pixelCount
          let lut = table + levels * c
          for p in 0..<pixelCount { plane[p] = lut[Int(source[p * channels + c])] }
        }
      }
    }
  }
}
