import NDArray

extension NPY {
  /// The header NumPy writes for `array`: `fortran_order` True only when the array is
  /// Fortran-contiguous and not C-contiguous (NumPy's `header_data_from_array_1_0`).
  static func header<Element: NDArrayElement>(for array: NDArray<Element>, byteOrder: NPYByteOrder) -> NPYHeader {
    let fortran = !array.isCContiguous && array.isFContiguous
    return NPYHeader(
      dataType: .numeric(Element.dtype, Element.dtype.itemSize == 1 ? .little : byteOrder),
      fortranOrder: fortran, shape: array.shape)
  }

  /// Passes the bytes of a `.npy` file for `array` to `sink`: the header first, then the data
  /// in pieces. Returns the header written (with its version and data offset).
  ///
  /// C-contiguous and Fortran-contiguous arrays are passed without copying when they are
  /// already in the requested byte order; other views are copied to C order first.
  static func encode<Element: NDArrayElement>(
    _ array: NDArray<Element>, byteOrder: NPYByteOrder, version: NPYVersion?, order: NPYMemoryOrder? = nil,
    file: String, sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> NPYHeader {
    switch order {
    case .c? where !array.isCContiguous:
      return try encode(array.contiguousCopy(), byteOrder: byteOrder, version: version, file: file, sink: sink)
    case .fortran? where !array.isFContiguous:
      return try encode(fortranContiguousCopy(array), byteOrder: byteOrder, version: version, file: file, sink: sink)
    default:
      break
    }
    var header = header(for: array, byteOrder: byteOrder)
    let (bytes, usedVersion) = try header.encoded(version: version, file: file)
    header.version = usedVersion
    header.dataOffset = bytes.count
    try bytes.withUnsafeBytes { try sink($0) }
    let contiguousSource = (array.isCContiguous || header.fortranOrder) ? array : array.contiguousCopy()
    try contiguousSource.withUnsafeStridedStorage { base, offset, _, _ in
      let data = UnsafeRawBufferPointer(
        start: UnsafeRawPointer(base + offset),
        count: array.count * MemoryLayout<Element>.stride)
      try emitData(data, dataType: header.dataType, sink: sink)
    }
    return header
  }

  /// Passes native-order element bytes to `sink` in the byte order `dataType` asks for.
  static func emitData(
    _ data: UnsafeRawBufferPointer, dataType: NPYDataType,
    sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    guard dataType.needsByteSwap else {
      if data.count > 0 { try sink(data) }
      return
    }
    let chunk = 1 << 20
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    defer { scratch.deallocate() }
    var start = 0
    while start < data.count {
      let length = min(chunk, data.count - start)
      let piece = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<length])
      copySwappingBytes(
        from: UnsafeRawBufferPointer(rebasing: data[start..<start + length]), to: piece,
        unitSize: dataType.swapUnitSize)
      try sink(UnsafeRawBufferPointer(piece))
      start += length
    }
  }

  struct EncodeVisitor: NDArrayVisitor {
    typealias Failure = any Error
    let byteOrder: NPYByteOrder
    let version: NPYVersion?
    var order: NPYMemoryOrder? = nil
    let file: String
    let sink: (UnsafeRawBufferPointer) throws -> Void
    func visit<Element: NDArrayElement>(_ array: NDArray<Element>) throws -> NPYHeader {
      try NPY.encode(array, byteOrder: byteOrder, version: version, order: order, file: file, sink: sink)
    }
  }

  /// A Fortran-contiguous copy of `array` (`numpy.asfortranarray`), in owned storage.
  static func fortranContiguousCopy<Element: NDArrayElement>(_ array: NDArray<Element>) -> NDArray<Element> {
    let count = array.count
    let shape = array.shape
    let fStrides = NDArray<Element>.fortranStrides(for: shape)
    return NDArray(_unsafeUninitializedShape: shape, fortranOrder: true) { raw in
      let memory = raw.baseAddress!.assumingMemoryBound(to: Element.self)
      array.withUnsafeBufferPointer { source in
        // Walk the source in C order and place each element at its Fortran position.
        var odometer = COrderOdometer(shape: shape)
        let steps = odometer.offsetSteps(strides: fStrides)
        var position = 0
        for k in 0..<count {
          (memory + position).initialize(to: source[k])
          if let axis = odometer.advance() { position += steps[axis] }
        }
      }
    }
  }
}
