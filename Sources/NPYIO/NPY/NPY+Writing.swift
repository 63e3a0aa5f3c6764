import Foundation
import NDArray

extension NPY {
  /// Writes `array` to a `.npy` file byte for byte as `np.save` does: the same header
  /// (growth spaces, 64-byte alignment, the oldest version that fits unless `version` is
  /// given), Fortran order only for Fortran- and not C-contiguous arrays, C order otherwise.
  ///
  /// The NumPy equivalent is `numpy.save(path, array)`. The file is written under a temporary
  /// name and renamed when complete: a failed write leaves nothing behind, and an existing
  /// file stays intact until the new one replaces it. `byteOrder` `.big` writes `>` dtypes
  /// (NumPy writes the array's own byte order; native is little-endian here).
  ///
  /// `order` `.c` or `.fortran` first makes the array contiguous in that order
  /// (`np.save(path, np.asarray(array, order=...))`); nil keeps `np.save`'s rule.
  public static func write<Element: NDArrayElement>(_ array: NDArray<Element>, to url: URL,
                                                    version: NPYVersion? = nil,
                                                    byteOrder: NPYByteOrder = .little,
                                                    order: NPYMemoryOrder? = nil) throws {
    try writeAtomically(to: url.path) { file in
      _ = try encode(array, byteOrder: byteOrder, version: version, order: order, file: url.path) { try file.write($0) }
    }
  }

  /// Writes an array whose dtype is known only at run time; see the generic overload.
  ///
  /// The NumPy equivalent is `numpy.save(path, array)`.
  public static func write(_ array: AnyNDArray, to url: URL, version: NPYVersion? = nil,
                           byteOrder: NPYByteOrder = .little, order: NPYMemoryOrder? = nil) throws {
    try writeAtomically(to: url.path) { file in
      _ = try array.accept(EncodeVisitor(byteOrder: byteOrder, version: version, order: order, file: url.path) { try file.write($0) })
    }
  }

  /// Writes strings as a `<U` array, as `np.save(path, np.array(strings))` does: the width is
  /// the longest string in code points (at least 1). `shape` defaults to `[strings.count]`.
  ///
  /// Traps if the product of `shape` is not `strings.count` (a programmer error).
  public static func write(strings: [String], shape: [Int]? = nil, to url: URL, version: NPYVersion? = nil) throws {
    let shape = shape ?? [strings.count]
    precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == strings.count,
                 "shape \(shape) does not hold \(strings.count) strings")
    try writeAtomically(to: url.path) { file in
      _ = try encodeStrings(strings, shape: shape, version: version, file: url.path) { try file.write($0) }
    }
  }

  /// Reads a `<U` or `|S` array as strings in C order (flattened; the shape is in the header).
  ///
  /// The NumPy equivalent is `numpy.load(path).ravel().tolist()` for a string array.
  public static func readStrings(at url: URL, maxHeaderLength: Int = defaultMaxHeaderLength) throws -> [String] {
    let file = try FileDescriptor.openForReading(url.path)
    let source = FileByteSource(file: file)
    let header = try NPYHeader.read(from: source, file: url.path, maxHeaderLength: maxHeaderLength)
    let available = try file.size() - header.dataOffset
    return try decodeStrings(header: header, from: source, availableBytes: available, file: url.path)
  }

  static func decodeStrings(header: NPYHeader, from source: some ByteSource, availableBytes: Int?, file: String) throws -> [String] {
    guard header.dataType.numericDType == nil else {
      throw NPYError.dtypeMismatch(file: file, expected: "a string dtype ('<U' or '|S')", found: header.descr)
    }
    let byteCount = header.byteCount
    // Zero-width strings ('<U0') take no bytes, so the file cannot bound their number.
    if header.dataType.itemSize == 0 && header.count > 1 << 24 {
      throw NPYError.shapeOverflow(file: file, shape: header.shape, itemSize: 0)
    }
    if let availableBytes, availableBytes < byteCount {
      throw NPYError.truncatedData(file: file, expectedBytes: byteCount, foundBytes: max(0, availableBytes))
    }
    var data = [UInt8](repeating: 0, count: byteCount)
    try data.withUnsafeMutableBytes { try fill($0, from: source, expectedBytes: byteCount, file: file) }
    var strings = try decodeStrings(data, dataType: header.dataType, count: header.count, file: file)
    if header.fortranOrder && header.shape.count > 1 {
      strings = reorderFortranToC(strings, shape: header.shape)
    }
    return strings
  }

  /// Element `i` of a Fortran-ordered list placed at its C-order position.
  static func reorderFortranToC<T>(_ items: [T], shape: [Int]) -> [T] {
    let fStrides = NDArray<UInt8>.fortranStrides(for: shape)
    var result: [T] = []
    result.reserveCapacity(items.count)
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<items.count {
      var position = 0
      for axis in 0..<shape.count { position += index[axis] * fStrides[axis] }
      result.append(items[position])
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  /// Runs `body` on a temporary file next to `path`, then renames it onto `path`;
  /// removes the temporary file if `body` throws.
  static func writeAtomically(to path: String, _ body: (FileDescriptor) throws -> Void) throws {
    let output = try AtomicOutputFile(destination: path)
    do {
      try body(output.file)
      try output.commit()
    } catch {
      output.abort()
      throw error
    }
  }
}
