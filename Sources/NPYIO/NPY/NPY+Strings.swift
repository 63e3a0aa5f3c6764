import Foundation
import NDArray

/// A fixed-width string array exactly as a `.npy` file stores it: its dtype (`<U7`, `>U7`
/// or `|S7`), shape, memory order and element bytes, so that it can be written back
/// unchanged.
///
/// The NumPy equivalent is an `ndarray` of dtype `str_` (`U`) or `bytes_` (`S`).
public struct NPYStringArray: Sendable, Hashable {
  /// The element type: ``NPYDataType/unicode(length:_:)`` or ``NPYDataType/bytes(length:)``.
  public let dataType: NPYDataType
  /// The shape; `[]` for a 0-d array.
  public let shape: [Int]
  /// True when ``bytes`` holds the elements in Fortran order.
  public let fortranOrder: Bool
  /// The elements, `dataType.itemSize` bytes each, in ``fortranOrder`` order.
  public let bytes: [UInt8]

  /// A string array from its parts. Traps when `dataType` is numeric or `bytes` does not
  /// hold `shape`'s elements of `dataType.itemSize` bytes (programmer errors).
  public init(dataType: NPYDataType, shape: [Int], fortranOrder: Bool, bytes: [UInt8]) {
    precondition(dataType.numericDType == nil, "\(dataType) is not a string dtype")
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) * dataType.itemSize == bytes.count,
      "\(bytes.count) bytes do not hold shape \(shape) of \(dataType)")
    self.dataType = dataType
    self.shape = shape
    self.fortranOrder = fortranOrder
    self.bytes = bytes
  }

  /// The number of elements (`ndarray.size`).
  public var count: Int { shape.reduce(1, *) }

  /// The elements in C order: `<U`/`>U` decoded as UTF-32, `|S` as UTF-8 (invalid sequences
  /// replaced), trailing NULs removed as NumPy does.
  ///
  /// The NumPy equivalent is `a.ravel().tolist()`. Throws ``NPYError`` naming `file` when a
  /// `U` element holds a value that is not a Unicode code point.
  public func strings(file: String) throws -> [String] {
    let strings = try NPY.decodeStrings(bytes, dataType: dataType, count: count, file: file)
    return fortranOrder && shape.count > 1 ? NPY.reorderFortranToC(strings, shape: shape) : strings
  }

  /// The same array laid out in `order`, as `np.save(path, np.asarray(a, order=order))`
  /// stores it: Fortran order only when the array is Fortran-contiguous and not
  /// C-contiguous (at least two axes longer than 1), as NumPy's `fortran_order` rule says.
  ///
  /// The NumPy equivalent is `numpy.ascontiguousarray(a)` or `numpy.asfortranarray(a)`.
  public func inOrder(_ order: NPYMemoryOrder) -> NPYStringArray {
    let wantFortran = order == .fortran && !shape.contains(0) && shape.filter { $0 > 1 }.count > 1
    if wantFortran == fortranOrder { return self }
    let size = dataType.itemSize
    let items = (0..<count).map { bytes[($0 * size)..<(($0 + 1) * size)] }
    let moved = wantFortran ? NPY.reorderCToFortran(items, shape: shape) : NPY.reorderFortranToC(items, shape: shape)
    return NPYStringArray(dataType: dataType, shape: shape, fortranOrder: wantFortran, bytes: Array(moved.joined()))
  }
}

/// Fixed-width string arrays (`<U`, `>U`, `|S`): what `np.array(list_of_str)` saves.
extension NPY {
  /// Writes strings as a `<U` array, as `np.save(path, np.array(strings))` does: the width is
  /// the longest string in code points (at least 1). `shape` defaults to `[strings.count]`.
  ///
  /// Traps if the product of `shape` is not `strings.count` (a programmer error).
  public static func write(strings: [String], shape: [Int]? = nil, to url: URL, version: NPYVersion? = nil) throws {
    let shape = shape ?? [strings.count]
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == strings.count,
      "shape \(shape) does not hold \(strings.count) strings")
    try writeAtomically(to: url.path) { file in
      _ = try encodeStrings(strings, shape: shape, version: version, file: url.path) { try file.writeAll($0) }
    }
  }

  /// Reads a `<U` or `|S` array as strings in C order (flattened; the shape is in the header).
  ///
  /// The NumPy equivalent is `numpy.load(path).ravel().tolist()` for a string array.
  public static func readStrings(at url: URL, maxHeaderLength: Int = defaultMaxHeaderLength) throws -> [String] {
    try readStringArray(at: url, maxHeaderLength: maxHeaderLength).strings(file: url.path)
  }

  /// Reads a `<U`, `>U` or `|S` array exactly as stored: dtype, shape, memory order and bytes.
  ///
  /// The NumPy equivalent is `numpy.load(path)` for a string array. Throws ``NPYError`` for
  /// a numeric dtype or a short file.
  public static func readStringArray(at url: URL, maxHeaderLength: Int = defaultMaxHeaderLength) throws
    -> NPYStringArray
  {
    let opened = try openAndReadHeader(url, maxHeaderLength: maxHeaderLength)
    return try decodeStringArray(
      header: opened.header, from: opened.source,
      availableBytes: try opened.availableBytes, file: url.path)
  }

  /// Writes a string array with its own dtype, shape and memory order, byte for byte as
  /// `np.save(path, a)` writes it (`version` as for the numeric ``write(_:to:version:byteOrder:order:)``).
  ///
  /// The NumPy equivalent is `numpy.save(path, a)` for a `<U`, `>U` or `|S` array.
  public static func write(_ array: NPYStringArray, to url: URL, version: NPYVersion? = nil) throws {
    try writeAtomically(to: url.path) { file in
      _ = try encodeStringArray(array, version: version, file: url.path) { try file.writeAll($0) }
    }
  }

  static func decodeStrings(header: NPYHeader, from source: some ByteSource, availableBytes: Int?, file: String) throws
    -> [String]
  {
    try decodeStringArray(header: header, from: source, availableBytes: availableBytes, file: file).strings(file: file)
  }

  /// Reads the data of a string array whose header was just read from `source`.
  static func decodeStringArray(
    header: NPYHeader, from source: some ByteSource, availableBytes: Int?,
    file: String
  ) throws -> NPYStringArray {
    guard header.dataType.numericDType == nil else {
      throw NPYError.dtypeMismatch(file: file, expected: "a string dtype ('<U' or '|S')", found: header.descr)
    }
    let byteCount = header.byteCount
    if let availableBytes, availableBytes < byteCount {
      throw NPYError.truncatedData(file: file, expectedBytes: byteCount, foundBytes: max(0, availableBytes))
    }
    var data = [UInt8](repeating: 0, count: byteCount)
    try data.withUnsafeMutableBytes { try fill($0, from: source, expectedBytes: byteCount, file: file) }
    return NPYStringArray(
      dataType: header.dataType, shape: header.shape, fortranOrder: header.fortranOrder, bytes: data)
  }

  /// Passes the `.npy` bytes of `array` to `sink`: the header NumPy writes for it, then its
  /// bytes unchanged. Returns the header written.
  static func encodeStringArray(
    _ array: NPYStringArray, version: NPYVersion?, file: String,
    sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> NPYHeader {
    var header = NPYHeader(dataType: array.dataType, fortranOrder: array.fortranOrder, shape: array.shape)
    let (bytes, usedVersion) = try header.encoded(version: version, file: file)
    header.version = usedVersion
    header.dataOffset = bytes.count
    try bytes.withUnsafeBytes { try sink($0) }
    if !array.bytes.isEmpty { try array.bytes.withUnsafeBytes { try sink($0) } }
    return header
  }

  /// Element `i` of a Fortran-ordered list placed at its C-order position.
  static func reorderFortranToC<T>(_ items: [T], shape: [Int]) -> [T] {
    reorder(items, shape: shape, readingAt: NDArray<UInt8>.fortranStrides(for: shape))
  }

  /// The items of a C-ordered list in Fortran order.
  static func reorderCToFortran<T>(_ items: [T], shape: [Int]) -> [T] {
    // Walking the Fortran order is walking the reversed shape in C order, reading with the
    // reversed C strides.
    reorder(items, shape: shape.reversed(), readingAt: NDArray<UInt8>.cStrides(for: shape).reversed())
  }

  /// `items[position]` for every index of `shape` in C order, where `position` is the index
  /// dotted with `strides`.
  private static func reorder<T>(_ items: [T], shape: [Int], readingAt strides: [Int]) -> [T] {
    var result: [T] = []
    result.reserveCapacity(items.count)
    var odometer = COrderOdometer(shape: shape)
    let steps = odometer.offsetSteps(strides: strides)
    var position = 0
    for _ in 0..<items.count {
      result.append(items[position])
      if let axis = odometer.advance() { position += steps[axis] }
    }
    return result
  }

  /// The header and data of a `<U` array holding `strings`, as `np.array(strings)` makes it:
  /// the width is the longest string in code points (at least 1), little-endian UTF-32,
  /// shorter strings padded with NUL.
  static func encodeStrings(
    _ strings: [String], shape: [Int], version: NPYVersion?, file: String,
    sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> NPYHeader {
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
    case .unicode(let length, let order):
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
            throw NPYError.malformedHeader(
              file: file, reason: "element \(index) holds \(unit(k)), which is not a Unicode code point")
          }
          scalars.append(scalar)
        }
        result.append(String(scalars))
      }
    case .bytes(let length):
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

// MARK: - String array members of an .npz

extension NPZReader {
  /// Reads a `<U`, `>U` or `|S` member exactly as stored (dtype, shape, memory order,
  /// bytes), checking its CRC-32.
  ///
  /// The NumPy equivalent is `np.load(path)[name]` for a string member.
  public func readStringArray(_ name: String, maxHeaderLength: Int = NPY.defaultMaxHeaderLength) throws
    -> NPYStringArray
  {
    let member = try member(named: name)
    let path = url.path + ":" + member.fileName
    let source = try openSource(member)
    let header = try NPYHeader.read(from: source, file: path, maxHeaderLength: maxHeaderLength)
    let array = try NPY.decodeStringArray(
      header: header, from: source, availableBytes: source.remainingDeclared, file: path)
    try source.drainAndVerify()
    return array
  }
}

extension NPZWriter {
  /// Adds a string array as member `name.npy` with its own dtype, shape and memory order,
  /// as `np.savez(…, name=a)` stores it.
  public func write(name: String, stringArray: NPYStringArray, version: NPYVersion? = nil) throws {
    try addMember(name: name, expectedSize: stringArray.bytes.count + 128) { sink in
      _ = try NPY.encodeStringArray(stringArray, version: version, file: url.path + ":" + name + ".npy", sink: sink)
    }
  }
}
