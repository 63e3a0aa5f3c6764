import NDArray

/// The header of a `.npy` file: what the data is and where it starts.
///
/// The NumPy equivalent is what `numpy.lib.format.read_array_header_1_0`/`_2_0` return,
/// plus the version and the data offset. Format facts (NumPy's `_format_impl.py`):
/// the file starts with the magic `\x93NUMPY`, a major and a minor version byte, HEADER_LEN
/// (little-endian `u2` for 1.0, `u4` for 2.0 and 3.0) and then HEADER_LEN bytes of a Python
/// dict literal with exactly the keys `descr`, `fortran_order` and `shape`, padded with
/// spaces and ending in `\n` so that the data starts on a multiple of ``NPY/arrayAlignment``.
public struct NPYHeader: Sendable, Hashable {
  /// The dtype as written in the header, e.g. `<f4` (NumPy's `dtype.str`).
  public var descr: String
  /// The parsed dtype.
  public var dataType: NPYDataType
  /// True when the data is stored in Fortran (column-major) order.
  public var fortranOrder: Bool
  /// The array's shape; `[]` for a 0-d array.
  public var shape: [Int]
  /// The file format version.
  public var version: NPYVersion
  /// Where the data starts, in bytes from the start of the file.
  public var dataOffset: Int

  /// A header for an array to be written. `dataOffset` and `version` are filled in by
  /// ``encoded(version:)``; the values given here are placeholders until then.
  public init(
    dataType: NPYDataType, fortranOrder: Bool, shape: [Int],
    version: NPYVersion = .v1, dataOffset: Int = 0
  ) {
    self.descr = dataType.descr
    self.dataType = dataType
    self.fortranOrder = fortranOrder
    self.shape = shape
    self.version = version
    self.dataOffset = dataOffset
  }

  /// The number of elements (`ndarray.size`); the shape is checked when the header is read.
  public var count: Int { shape.reduce(1, *) }

  /// The number of data bytes (`ndarray.nbytes`).
  public var byteCount: Int { count * dataType.itemSize }

  /// The dict text NumPy writes, before growth spaces and padding:
  /// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
  public var dictText: String {
    "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(NPYHeader.shapeRepr(shape)), }"
  }

  /// Python's `repr` of the shape tuple: `()`, `(5,)`, `(3, 4)`.
  public static func shapeRepr(_ shape: [Int]) -> String {
    switch shape.count {
    case 0: return "()"
    case 1: return "(\(shape[0]),)"
    default: return "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
  }
}
