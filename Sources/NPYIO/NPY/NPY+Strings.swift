import Foundation
import NDArray

/// Fixed-width string arrays (`<U`, `|S`): what `np.array(list_of_str)` saves.
extension NPY {
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

  /// The header and data of a `<U` array holding `strings`, as `np.array(strings)` makes it:
  /// the width is the longest string in code points (at least 1), little-endian UTF-32,
  /// shorter strings padded with NUL.
  static func encodeStrings(_ strings: [String], shape: [Int], version: NPYVersion?, file: String,
                            sink: (UnsafeRawBufferPointer) throws -> Void) throws -> NPYHeader {
    let scalars = strings.map { Array($0.unicodeScalars) }
    let width = max(1, scalars.map(\.count).max() ?? 0)
    var header = NPYHeader(dataType: .unicode(length: width, .little), fortranOrder: false, shape: shape)
    let (bytes, usedVersion) = try header.encoded(version: version, file: file)
    header.version = usedVersion
    header.dataOffset = bytes.count
    try bytes.withUnsafeBytes { try sink($0) }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(min(1 << 20, width * 4 * strings.count) + width * 4)
    for string in scalars {
      for scalar in string {
        let v = scalar.value
        buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8((v >> 8) & 0xFF))
        buffer.append(UInt8((v >> 16) & 0xFF)); buffer.append(UInt8(v >> 24))
      }
      buffer.append(contentsOf: repeatElement(0, count: 4 * (width - string.count)))
      if buffer.count >= 1 << 20 {
        try buffer.withUnsafeBytes { try sink($0) }
        buffer.removeAll(keepingCapacity: true)
      }
    }
    if !buffer.isEmpty { try buffer.withUnsafeBytes { try sink($0) } }
    return header
  }

  /// Decodes fixed-width string elements: `<U`/`>U` as UTF-32, `|S` as UTF-8 (invalid
  /// sequences replaced), trailing NULs removed as NumPy does.
  static func decodeStrings(_ data: [UInt8], dataType: NPYDataType, count: Int, file: String) throws -> [String] {
    var result: [String] = []
    result.reserveCapacity(count)
    switch dataType {
    case let .unicode(length, order):
      for index in 0..<count {
        var scalars = String.UnicodeScalarView()
        var end = length
        let base = index * length * 4
        func unit(_ k: Int) -> UInt32 {
          let p = base + 4 * k
          let b = (UInt32(data[p]), UInt32(data[p + 1]), UInt32(data[p + 2]), UInt32(data[p + 3]))
          return order == .little ? b.0 | b.1 << 8 | b.2 << 16 | b.3 << 24 : b.3 | b.2 << 8 | b.1 << 16 | b.0 << 24
        }
        while end > 0 && unit(end - 1) == 0 { end -= 1 }
        for k in 0..<end {
          guard let scalar = Unicode.Scalar(unit(k)) else {
            throw NPYError.malformedHeader(file: file, reason: "element \(index) holds \(unit(k)), which is not a Unicode code point")
          }
          scalars.append(scalar)
        }
        result.append(String(scalars))
      }
    case let .bytes(length):
      for index in 0..<count {
        var slice = data[(index * length)..<((index + 1) * length)]
        while let last = slice.last, last == 0 { slice = slice.dropLast() }
        result.append(String(decoding: slice, as: UTF8.self))
      }
    case .numeric:
      throw NPYError.dtypeMismatch(file: file, expected: "a string dtype ('<U' or '|S')", found: dataType.descr)
    }
    return result
  }
}
