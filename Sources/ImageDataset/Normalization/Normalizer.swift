import NDArray

/// A ``NormalizationTable`` whose element type is chosen at run time by `--dtype`.
struct Normalizer: Sendable {
  enum Table: Sendable {
    case uint8(NormalizationTable<UInt8>)
    case float16(NormalizationTable<Float16>)
    case float32(NormalizationTable<Float>)
    case float64(NormalizationTable<Double>)
  }

  let table: Table
  let layout: OutputLayout
  let dtype: DType

  init(
    mode: NormalizationMode, statistics: NormalizationStatistics?, channels: Int,
    dtype: DType, layout: OutputLayout, scale: ValueScale, arithmetic: NormalizationArithmetic
  ) {
    self.layout = layout
    self.dtype = dtype
    func makeTable<Element: OutputElement>(_: Element.Type) -> NormalizationTable<Element> {
      NormalizationTable(mode: mode, statistics: statistics, channels: channels, scale: scale, arithmetic: arithmetic)
    }
    switch dtype {
    case .uint8: table = .uint8(makeTable(UInt8.self))
    case .float16: table = .float16(makeTable(Float16.self))
    case .float32: table = .float32(makeTable(Float.self))
    case .float64: table = .float64(makeTable(Double.self))
    default: preconditionFailure("\(dtype) is not an output dtype (ConversionOptions.validate checks)")
    }
  }

  /// The raw little-endian bytes of the normalized image, in `layout` order.
  func bytes(of pixels: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    let byteCount = pixels.count * dtype.itemSize
    // Every byte is written by the table, so the buffer need not be zeroed first.
    return [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      switch table {
      case .uint8(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: UInt8.self))
      case .float16(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: Float16.self))
      case .float32(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: Float.self))
      case .float64(let t): t.apply(to: pixels, layout: layout, into: raw.bindMemory(to: Double.self))
      }
      initialized = byteCount
    }
  }

  func bytes(of image: NDArray<UInt8>) -> [UInt8] {
    image.withUnsafeBufferPointer { bytes(of: $0) }
  }
}
