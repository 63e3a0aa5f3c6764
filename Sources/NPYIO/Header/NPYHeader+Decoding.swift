import _ByteOrder

/// Reading a header as data (never evaluated), with NumPy's limits.
extension NPYHeader {
  /// Reads and checks the magic, version, HEADER_LEN and header dict from `source`,
  /// leaving it positioned at the first data byte.
  ///
  /// The NumPy equivalent is `numpy.lib.format._read_array_header` with `max_header_size`.
  static func read<Source: ByteSource>(
    from source: Source, file: String,
    maxHeaderLength: Int
  ) throws -> NPYHeader {
    let prefix = try source.readBytes(NPY.magic.count + 2)
    if prefix.count < NPY.magic.count || Array(prefix[0..<NPY.magic.count]) != NPY.magic {
      if prefix.count < NPY.magic.count && NPY.magic.starts(with: prefix) {
        throw NPYError.truncatedHeader(file: file, expectedBytes: NPY.magic.count + 2, foundBytes: prefix.count)
      }
      throw NPYError.badMagic(file: file, found: Array(prefix.prefix(NPY.magic.count)))
    }
    guard prefix.count == NPY.magic.count + 2 else {
      throw NPYError.truncatedHeader(file: file, expectedBytes: NPY.magic.count + 2, foundBytes: prefix.count)
    }
    let version = NPYVersion(major: prefix[6], minor: prefix[7])
    guard version.isSupported else {
      throw NPYError.unsupportedVersion(file: file, major: version.major, minor: version.minor)
    }
    let lengthBytes = try source.readBytes(version.lengthFieldSize)
    guard lengthBytes.count == version.lengthFieldSize else {
      throw NPYError.truncatedHeader(
        file: file, expectedBytes: prefix.count + version.lengthFieldSize,
        foundBytes: prefix.count + lengthBytes.count)
    }
    let lengthField = IntegerReader(lengthBytes, order: .little)
    let headerLength =
      version.lengthFieldSize == 2
      ? Int(lengthField.integer(UInt16.self, at: 0)!)
      : Int(lengthField.integer(UInt32.self, at: 0)!)
    guard headerLength <= maxHeaderLength else {
      throw NPYError.headerTooLong(file: file, length: headerLength, limit: maxHeaderLength)
    }
    let textBytes = try source.readBytes(headerLength)
    let dataOffset = prefix.count + lengthBytes.count + headerLength
    guard textBytes.count == headerLength else {
      throw NPYError.truncatedHeader(
        file: file, expectedBytes: dataOffset,
        foundBytes: prefix.count + lengthBytes.count + textBytes.count)
    }
    let text: String
    if version == .v3 {
      guard let utf8 = String(validating: textBytes, as: UTF8.self) else {
        throw NPYError.malformedHeader(file: file, reason: "a version 3.0 header is not valid UTF-8")
      }
      text = utf8
    } else {
      // Versions 1.0 and 2.0 are Latin-1.
      text = String(String.UnicodeScalarView(textBytes.map { Unicode.Scalar($0) }))
    }
    return try parse(text: text, version: version, dataOffset: dataOffset, file: file)
  }

  /// Interprets the header text: exactly the keys `descr`, `fortran_order`, `shape`.
  static func parse(text: String, version: NPYVersion, dataOffset: Int, file: String) throws -> NPYHeader {
    let literal: PythonLiteral
    do {
      literal = try PythonLiteralParser.parse(text)
    } catch {
      throw NPYError.malformedHeader(file: file, reason: error.reason)
    }
    guard case .dict(let items) = literal else {
      throw NPYError.malformedHeader(file: file, reason: "expected a dict literal, found \(literal.repr.prefix(80))")
    }
    var keys: [String] = []
    var values: [String: PythonLiteral] = [:]
    for (key, value) in items {
      guard case .string(let name) = key else {
        throw NPYError.malformedHeader(file: file, reason: "expected string keys, found \(key.repr.prefix(80))")
      }
      keys.append(name)
      values[name] = value
    }
    guard keys.sorted() == ["descr", "fortran_order", "shape"] else {
      throw NPYError.wrongHeaderKeys(file: file, found: keys)
    }
    let descr: String
    switch values["descr"]! {
    case .string(let s): descr = s
    case let other: throw NPYError.unsupportedDType(file: file, descr: String(other.repr.prefix(200)))
    }
    guard let dataType = NPYDataType(descr: descr) else {
      throw NPYError.unsupportedDType(file: file, descr: "'\(descr.prefix(200))'")
    }
    guard case .boolean(let fortranOrder) = values["fortran_order"]! else {
      throw NPYError.malformedHeader(
        file: file, reason: "'fortran_order' must be True or False, found \(values["fortran_order"]!.repr.prefix(80))")
    }
    guard case .tuple(let dimensions) = values["shape"]! else {
      throw NPYError.malformedHeader(
        file: file, reason: "'shape' must be a tuple of integers, found \(values["shape"]!.repr.prefix(80))")
    }
    var shape: [Int] = []
    for dimension in dimensions {
      guard case .integer(let size) = dimension else {
        throw NPYError.malformedHeader(
          file: file, reason: "'shape' must be a tuple of integers, found \(values["shape"]!.repr.prefix(80))")
      }
      shape.append(size)
    }
    // As NumPy's array constructor does: no negative dimension, and the byte count of the
    // non-zero dimensions must fit in an Int (so strides do too, even when a zero makes the
    // array empty). Bigger than the file is checked by the reader.
    var total = Swift.max(dataType.itemSize, 1)
    for size in shape {
      guard size >= 0 else { throw NPYError.shapeOverflow(file: file, shape: shape, itemSize: dataType.itemSize) }
      let (product, overflow) = total.multipliedReportingOverflow(by: Swift.max(size, 1))
      guard !overflow else { throw NPYError.shapeOverflow(file: file, shape: shape, itemSize: dataType.itemSize) }
      total = product
    }
    // Zero-width strings take no bytes, so the file cannot bound their count.
    if dataType.itemSize == 0 {
      throw NPYError.unsupportedDType(file: file, descr: "'\(descr.prefix(200))' (zero-width strings)")
    }
    var header = NPYHeader(
      dataType: dataType, fortranOrder: fortranOrder, shape: shape,
      version: version, dataOffset: dataOffset)
    header.descr = descr
    return header
  }
}
