import NDArray

/// The byte order of a stored element, as the first character of a NumPy descr says it.
public enum NPYByteOrder: Sendable, Hashable {
  /// `<`: least significant byte first (what `np.save` writes on every common machine).
  case little
  /// `>`: most significant byte first.
  case big

  /// The byte order of this machine (`=` in NumPy).
  public static var native: NPYByteOrder {
    1.littleEndian == 1 ? .little : .big
  }
}

/// The order in which a file stores the elements of an array of two or more dimensions.
///
/// The NumPy equivalent is the `order` argument, `'C'` or `'F'`, of `numpy.asarray`.
public enum NPYMemoryOrder: String, Sendable, Hashable, CaseIterable {
  /// Row-major: the last index varies fastest.
  case c = "C"
  /// Column-major: the first index varies fastest (`fortran_order: True`).
  case fortran = "F"
}

/// What one element of a `.npy` file is: a number of a ``DType`` in some byte order, or a
/// fixed-width string.
///
/// The NumPy equivalent is the `dtype` that `numpy.lib.format.descr_to_dtype` makes from the
/// header's `descr`.
public enum NPYDataType: Sendable, Hashable, CustomStringConvertible {
  /// A number: `|b1`, `<i4`, `>f8`, `<c16`…
  case numeric(DType, NPYByteOrder)
  /// A fixed-width UTF-32 string of `length` code points: `<U5` (NumPy's `str_`).
  case unicode(length: Int, NPYByteOrder)
  /// A fixed-width byte string: `|S5` (NumPy's `bytes_`).
  case bytes(length: Int)

  /// Bytes per element (`dtype.itemsize`).
  public var itemSize: Int {
    switch self {
    case .numeric(let dtype, _): return dtype.itemSize
    case .unicode(let length, _): return length * 4
    case .bytes(let length): return length
    }
  }

  /// The descr NumPy writes for this type (`dtype.str`): `|u1`, `<f4`, `>i8`, `<U5`, `|S3`.
  public var descr: String {
    switch self {
    case .numeric(let dtype, let order):
      // NumPy's type code is the kind and the item size: `b1`, `i4`, `f2`, `c16`.
      let code = "\(dtype.kind)\(dtype.itemSize)"
      if dtype.itemSize == 1 { return "|" + code }
      return (order == .little ? "<" : ">") + code
    case .unicode(let length, let order):
      return (order == .little ? "<" : ">") + "U\(length)"
    case .bytes(let length):
      return "|S\(length)"
    }
  }

  /// The numeric dtype, or nil for strings.
  public var numericDType: DType? {
    if case .numeric(let dtype, _) = self { return dtype }
    return nil
  }

  /// Whether the stored bytes must be reversed per element (or per complex component)
  /// to be read on this machine.
  var needsByteSwap: Bool {
    switch self {
    case .numeric(let dtype, let order): return dtype.itemSize > 1 && order != .native
    case .unicode(_, let order): return order != .native
    case .bytes: return false
    }
  }

  /// The size of each unit that is byte-swapped: the item size, the component size for
  /// complex numbers, 4 for UTF-32 code points.
  var swapUnitSize: Int {
    switch self {
    case .numeric(let dtype, _):
      return dtype.kind == "c" ? dtype.itemSize / 2 : dtype.itemSize
    case .unicode: return 4
    case .bytes: return 1
    }
  }

  /// Same as ``descr``.
  public var description: String { descr }

  /// Parses a descr string such as `<f4`, `|u1`, `>c16`, `<U7`, `|S3`, `=i8`, `?` or `f8`.
  /// Returns nil for anything this library does not support (object, void, datetime,
  /// structured types, unknown codes).
  public init?(descr: String) {
    var text = Substring(descr)
    var order: NPYByteOrder? = nil
    switch text.first {
    case "<": order = .little; text = text.dropFirst()
    case ">": order = .big; text = text.dropFirst()
    case "=": order = .native; text = text.dropFirst()
    case "|": text = text.dropFirst()  // "not applicable": one-byte types
    default: break
    }
    guard let kind = text.first else { return nil }
    let digits = text.dropFirst()
    if kind == "?" && digits.isEmpty {
      self = .numeric(.bool, .little)
      return
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      digits.count <= 12, let size = Int(digits)
    else { return nil }
    let byteOrder = order ?? .native
    switch kind {
    case "b":
      guard size == 1 else { return nil }
      self = .numeric(.bool, .little)
    case "i", "u", "f", "c":
      let table: [Character: [Int: DType]] = [
        "i": [1: .int8, 2: .int16, 4: .int32, 8: .int64],
        "u": [1: .uint8, 2: .uint16, 4: .uint32, 8: .uint64],
        "f": [2: .float16, 4: .float32, 8: .float64],
        "c": [8: .complex64, 16: .complex128],
      ]
      guard let dtype = table[kind]?[size] else { return nil }
      self = .numeric(dtype, dtype.itemSize == 1 ? .little : byteOrder)
    case "U":
      self = .unicode(length: size, byteOrder)
    case "S":
      self = .bytes(length: size)
    default:
      return nil
    }
  }
}
