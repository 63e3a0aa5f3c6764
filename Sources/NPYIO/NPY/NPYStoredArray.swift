import Foundation
import NDArray

/// One array read from a `.npy` file or an `.npz` member to be written again, as `normtool
/// recode` does: numbers keep their byte order and memory order unless converted, string
/// arrays (`<U`, `>U`, `|S`) are kept byte for byte.
///
/// The NumPy equivalent is `a = np.load(path)` then `np.save(out, a.astype(dtype,
/// casting=casting, order='K'))` (or `np.savez`).
public enum NPYStoredArray {
  /// A numeric array, the byte order to write it in, and the memory order to write it in
  /// (nil: `np.save`'s rule).
  case numbers(AnyNDArray, byteOrder: NPYByteOrder, order: NPYMemoryOrder?)
  /// A string array, already in the memory order asked for.
  case strings(NPYStringArray)

  /// Reads the `.npy` file at `url`; see ``load(header:convertingTo:casting:order:numbers:strings:)``.
  ///
  /// - Throws: ``NPYError`` for an unreadable file, ``NPYConversionError`` for a conversion
  ///   that is not allowed.
  public static func read(
    npyAt url: URL, convertingTo dtype: DType? = nil, casting: Casting = .sameKind,
    order: NPYMemoryOrder? = nil
  ) throws -> NPYStoredArray {
    try load(
      header: NPY.readHeader(at: url), convertingTo: dtype, casting: casting, order: order,
      numbers: { try NPY.map(at: url) }, strings: { try NPY.readStringArray(at: url) })
  }

  /// Reads member `name` of `archive`; see ``load(header:convertingTo:casting:order:numbers:strings:)``.
  ///
  /// - Throws: ``NPZError`` or ``NPYError`` for an unreadable member, ``NPYConversionError``
  ///   for a conversion that is not allowed.
  public static func read(
    member name: String, of archive: NPZReader, convertingTo dtype: DType? = nil,
    casting: Casting = .sameKind, order: NPYMemoryOrder? = nil
  ) throws -> NPYStoredArray {
    try load(
      header: archive.header(of: name), convertingTo: dtype, casting: casting, order: order,
      numbers: { try archive.read(name) }, strings: { try archive.readStringArray(name) })
  }

  /// The array described by `header`, read with `numbers` or `strings`: converted to `dtype`
  /// when given and allowed by `casting` (then written little-endian, and a Fortran-ordered
  /// array stays Fortran-ordered, as `astype(order='K')`), else as stored. `order`, when
  /// given, is the memory order to write in.
  ///
  /// - Throws: ``NPYConversionError`` for a string array with a `dtype`, or a cast `casting`
  ///   does not allow; whatever `numbers` or `strings` throw.
  public static func load(
    header: NPYHeader, convertingTo dtype: DType?, casting: Casting, order: NPYMemoryOrder?,
    numbers: () throws -> AnyNDArray, strings: () throws -> NPYStringArray
  ) throws -> NPYStoredArray {
    switch header.dataType {
    case .unicode, .bytes:
      if let dtype { throw NPYConversionError.stringArray(descr: header.descr, target: dtype) }
      let array = try strings()
      return .strings(order.map(array.inOrder) ?? array)
    case .numeric(let stored, let byteOrder):
      if let target = dtype, target != stored {
        guard stored.canCast(to: target, casting: casting) else {
          throw NPYConversionError.castNotAllowed(from: stored, to: target, casting: casting)
        }
        // astype keeps a Fortran-ordered array Fortran-ordered (order='K').
        return .numbers(
          try numbers().astype(target), byteOrder: .little,
          order: order ?? (header.fortranOrder ? .fortran : nil))
      }
      return .numbers(try numbers(), byteOrder: byteOrder, order: order)
    }
  }

  /// Writes the array as a `.npy` file (`np.save`), in format `version` (nil: the oldest
  /// that fits).
  public func write(to url: URL, version: NPYVersion? = nil) throws {
    switch self {
    case .numbers(let array, let byteOrder, let order):
      try NPY.write(array, to: url, version: version, byteOrder: byteOrder, order: order)
    case .strings(let strings):
      try NPY.write(strings, to: url, version: version)
    }
  }

  /// Writes the array as member `name` of `archive` (`np.savez`).
  public func write(name: String, into archive: NPZWriter, version: NPYVersion? = nil) throws {
    switch self {
    case .numbers(let array, let byteOrder, let order):
      try archive.write(name: name, array: array, version: version, byteOrder: byteOrder, order: order)
    case .strings(let strings):
      try archive.write(name: name, stringArray: strings, version: version)
    }
  }
}

/// A conversion ``NPYStoredArray/load(header:convertingTo:casting:order:numbers:strings:)``
/// refuses. The caller names the array (its file or member) in the message.
///
/// The NumPy equivalent is the `TypeError` of `astype(dtype, casting=...)`.
public enum NPYConversionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A string array (`descr`) cannot be converted to a numeric dtype.
  case stringArray(descr: String, target: DType)
  /// `casting` does not allow converting `from` to `to` (`numpy.can_cast` is false).
  case castNotAllowed(from: DType, to: DType, casting: Casting)

  /// The reason, in one line.
  public var description: String {
    switch self {
    case .stringArray(let descr, let target):
      return "cannot convert the string array (\(descr)) to \(target); only numeric arrays convert"
    case .castNotAllowed(let from, let to, let casting):
      return "cannot cast \(from) to \(to) under casting '\(casting)'"
    }
  }
}
