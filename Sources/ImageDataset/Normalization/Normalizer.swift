import Imaging
import NDArray

/// A ``NormalizationTable`` whose element type is chosen at run time by `--dtype`.
struct Normalizer: Sendable {
  enum Table: Sendable {
    case uint8(NormalizationTable<UInt8>)
    case uint16(NormalizationTable<UInt16>)
    case float16(NormalizationTable<Float16>)
    case float32(NormalizationTable<Float>)
    case float64(NormalizationTable<Double>)
  }

  let table: Table
  let layout: OutputLayout
  let dtype: DType

  /// A normalizer for pixels of `depth` (256 or 65,536 levels per channel), with the value
  /// `scale` and `arithmetic` of ``NormalizationTable``; nothing defaulted, so that every
  /// caller (converter, shards) passes the run's options.
  init(
    mode: NormalizationMode, statistics: NormalizationStatistics?, channels: Int,
    dtype: DType, layout: OutputLayout, depth: SampleDepth, scale: ValueScale,
    arithmetic: NormalizationArithmetic
  ) {
    self.layout = layout
    self.dtype = dtype
    let levels = Int(depth.maximumValue) + 1
    func makeTable<Element: OutputElement>(_: Element.Type) -> NormalizationTable<Element> {
      NormalizationTable(
        mode: mode, statistics: statistics, channels: channels, levels: levels, scale: scale, arithmetic: arithmetic)
    }
    switch dtype {
    case .uint8: table = .uint8(makeTable(UInt8.self))
    case .uint16: table = .uint16(makeTable(UInt16.self))
    case .float16: table = .float16(makeTable(Float16.self))
    case .float32: table = .float32(makeTable(Float.self))
    case .float64: table = .float64(makeTable(Double.self))
    default: preconditionFailure("\(dtype) is not an output dtype (ConversionOptions.validate checks)")
    }
  }

  /// The raw little-endian bytes of the normalized image, in `layout` order.
  func bytes<Sample: ImageSample>(of pixels: UnsafeBufferPointer<Sample>) -> [UInt8] {
    let byteCount = pixels.count * dtype.itemSize
    // Every byte is written by the table, so the buffer need not be zeroed first.
    return [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      switch table {
      case .uint8(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: UInt8.self))
      case .uint16(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: UInt16.self))
      case .float16(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: Float16.self))
      case .float32(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: Float.self))
      case .float64(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: Double.self))
      }
      initialized = byteCount
    }
  }

  func bytes<Sample: ImageSample>(of image: NDArray<Sample>) -> [UInt8] {
    image.withUnsafeBufferPointer { bytes(of: $0) }
  }
}
