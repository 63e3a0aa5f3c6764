/// Writing a header exactly as `np.save` does.
extension NPYHeader {
  /// Spaces NumPy ≥ 1.24 adds so the header can be rewritten in place when axis 0 grows:
  /// `21 − len(repr(shape[0]))` (`shape[-1]` for Fortran order; none for 0-d)
  /// (NumPy's `GROWTH_AXIS_MAX_DIGITS`).
  static let growthAxisMaxDigits = 21

  /// The complete header bytes (magic, version, HEADER_LEN, text, padding, `\n`), byte for
  /// byte what `numpy.lib.format.write_array` writes, and the version used.
  ///
  /// With `version == nil` the oldest version that fits is chosen, as NumPy does: 1.0 when
  /// HEADER_LEN fits in 16 bits, else 2.0 (3.0 is never needed for the dtypes supported here,
  /// whose descr is ASCII). Throws when a requested version cannot hold the header.
  func encoded(version requested: NPYVersion?, file: String) throws(NPYError) -> (bytes: [UInt8], version: NPYVersion) {
    var text = dictText
    if !shape.isEmpty {
      let growthAxis = fortranOrder ? shape[shape.count - 1] : shape[0]
      text += String(repeating: " ", count: max(0, Self.growthAxisMaxDigits - String(growthAxis).count))
    }
    let textBytes = Array(text.utf8)
    let candidates: [NPYVersion] = requested.map { [$0] } ?? [.v1, .v2]
    for version in candidates {
      let prefixLength = NPY.magic.count + 2 + version.lengthFieldSize
      let withNewline = textBytes.count + 1
      let padding = NPY.arrayAlignment - (prefixLength + withNewline) % NPY.arrayAlignment
      let headerLength = withNewline + padding
      let limit = version.lengthFieldSize == 2 ? Int(UInt16.max) : Int(UInt32.max)
      guard headerLength <= limit else { continue }
      var bytes = NPY.magic
      bytes.reserveCapacity(prefixLength + headerLength)
      bytes.append(version.major)
      bytes.append(version.minor)
      for index in 0..<version.lengthFieldSize {
        bytes.append(UInt8(truncatingIfNeeded: headerLength >> (8 * index)))
      }
      bytes.append(contentsOf: textBytes)
      bytes.append(contentsOf: repeatElement(0x20, count: padding))
      bytes.append(0x0A)
      return (bytes, version)
    }
    throw .headerDoesNotFitVersion(file: file, version: requested ?? .v2, length: textBytes.count)
  }
}
