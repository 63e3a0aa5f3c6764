import Foundation
import NDArray

/// Reading and writing NumPy `.npy` files, byte for byte as NumPy does.
///
/// The NumPy equivalents are `numpy.save`, `numpy.load` (with `allow_pickle=False`, and
/// `mmap_mode='r'` for ``map(at:)``) and `numpy.lib.format.read_array_header_*`.
///
/// ```swift
/// let a = NDArray<Float>([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// try NPY.write(a, to: URL(fileURLWithPath: "a.npy"))
/// let back = try NPY.read(Float.self, at: URL(fileURLWithPath: "a.npy"))
/// ```
public enum NPY {
  /// The first six bytes of every `.npy` file: `\x93NUMPY` (NumPy's `MAGIC_PREFIX`).
  public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
  /// Data starts on a multiple of this many bytes (NumPy's `ARRAY_ALIGN`).
  public static let arrayAlignment = 64
  /// The largest header read unless the caller allows more (NumPy's `_MAX_HEADER_SIZE`).
  public static let defaultMaxHeaderLength = 10_000

  /// Reads only the header of a `.npy` file: dtype, order, shape, version and data offset.
  /// The data is not read, and its size is not checked against the file.
  ///
  /// The NumPy equivalent is `numpy.lib.format.read_magic` followed by
  /// `read_array_header_1_0`/`_2_0`. Throws ``NPYError`` for a bad magic, an unsupported
  /// version, a header longer than `maxHeaderLength`, or a header that is not the
  /// three-key dict.
  public static func readHeader(at url: URL, maxHeaderLength: Int = defaultMaxHeaderLength) throws -> NPYHeader {
    try openAndReadHeader(url, maxHeaderLength: maxHeaderLength).header
  }

  /// Reads a whole `.npy` file into memory, converting big-endian data to native order.
  /// A Fortran-ordered file gives a Fortran-contiguous array, as in NumPy.
  ///
  /// The NumPy equivalent is `numpy.load(path, allow_pickle=False)` for numeric dtypes.
  /// String dtypes are read with ``readStrings(at:maxHeaderLength:)``. Throws ``NPYError``.
  public static func read(at url: URL, maxHeaderLength: Int = defaultMaxHeaderLength) throws -> AnyNDArray {
    let opened = try openAndReadHeader(url, maxHeaderLength: maxHeaderLength)
    return try decodeArray(
      header: opened.header, from: opened.source, availableBytes: opened.availableBytes,
      file: url.path)
  }

  /// Reads a `.npy` file whose dtype must be `Element`'s (either byte order).
  ///
  /// The NumPy equivalent is `numpy.load` followed by a dtype check. Throws
  /// ``NPYError/dtypeMismatch(file:expected:found:)`` when the file holds another dtype.
  public static func read<Element: NDArrayElement>(
    _ type: Element.Type, at url: URL,
    maxHeaderLength: Int = defaultMaxHeaderLength
  ) throws -> NDArray<Element> {
    let opened = try openAndReadHeader(url, maxHeaderLength: maxHeaderLength)
    guard opened.header.dataType.numericDType == Element.dtype else {
      throw NPYError.dtypeMismatch(file: url.path, expected: Element.dtype.rawValue, found: opened.header.descr)
    }
    return try decodeTyped(
      Element.self, header: opened.header, from: opened.source,
      availableBytes: opened.availableBytes, file: url.path)
  }

  /// Opens a `.npy` file and reads its header, leaving the file positioned at the data:
  /// the first step of every entry point that reads one.
  static func openAndReadHeader(_ url: URL, maxHeaderLength: Int) throws -> OpenedNPY {
    let file = try NPYFile.openRegularFile(url.path)
    let source = FileByteSource(file: file)
    let header = try NPYHeader.read(from: source, file: url.path, maxHeaderLength: maxHeaderLength)
    return OpenedNPY(file: file, source: source, header: header)
  }

  // MARK: - Decoding shared by .npy files and .npz members

  /// Reads the data that follows `header` from `source` into a new array.
  /// `availableBytes`, when known, is checked before anything is allocated.
  static func decodeArray<Source: ByteSource>(
    header: NPYHeader, from source: Source,
    availableBytes: Int?, file: String
  ) throws -> AnyNDArray {
    guard let dtype = header.dataType.numericDType else {
      throw NPYError.dtypeMismatch(
        file: file, expected: "a numeric dtype (use readStrings for string arrays)", found: header.descr)
    }
    let visitor = DecodeVisitor(header: header, source: source, availableBytes: availableBytes, file: file)
    return try dtype.withElementType(visitor)
  }

  private struct DecodeVisitor<Source: ByteSource>: NDArrayElementTypeVisitor {
    typealias Failure = any Error
    let header: NPYHeader
    let source: Source
    let availableBytes: Int?
    let file: String
    func visit<Element: NDArrayElement>(_ type: Element.Type) throws -> AnyNDArray {
      AnyNDArray(
        try NPY.decodeTyped(
          Element.self, header: header, from: source,
          availableBytes: availableBytes, file: file))
    }
  }

  static func decodeTyped<Element: NDArrayElement, Source: ByteSource>(
    _ type: Element.Type, header: NPYHeader, from source: Source, availableBytes: Int?, file: String
  ) throws -> NDArray<Element> {
    let byteCount = header.byteCount
    if let availableBytes, availableBytes < byteCount {
      throw NPYError.truncatedData(file: file, expectedBytes: byteCount, foundBytes: max(0, availableBytes))
    }
    // Owned storage from NDArray's allocator (huge pages, the reuse cache); the bytes are
    // fixed up while untyped.
    return try NDArray<Element>(_unsafeUninitializedShape: header.shape, fortranOrder: header.fortranOrder) { raw in
      try fill(raw, from: source, expectedBytes: byteCount, file: file)
      finishDecoding(raw, dataType: header.dataType)
    }
  }

  /// Reads exactly `expectedBytes` into `buffer` or throws ``NPYError/truncatedData``.
  static func fill<Source: ByteSource>(
    _ buffer: UnsafeMutableRawBufferPointer, from source: Source,
    expectedBytes: Int, file: String
  ) throws {
    let got = try source.readFully(into: buffer)
    guard got == expectedBytes else {
      throw NPYError.truncatedData(file: file, expectedBytes: expectedBytes, foundBytes: got)
    }
  }

  /// Turns stored bytes into valid native elements in place: byte swap, and booleans
  /// other than 0 and 1 made 1 (NumPy treats any non-zero byte as True).
  static func finishDecoding(_ raw: UnsafeMutableRawBufferPointer, dataType: NPYDataType) {
    if dataType.needsByteSwap { swapBytes(raw, unitSize: dataType.swapUnitSize) }
    if dataType.numericDType == .bool {
      for i in raw.indices where raw[i] > 1 { raw[i] = 1 }
    }
  }
}

/// A `.npy` file opened and its header read (``NPY/openAndReadHeader(_:maxHeaderLength:)``).
struct OpenedNPY {
  /// The open file.
  let file: NPYFile
  /// Reads the data, from the byte after the header.
  let source: FileByteSource
  let header: NPYHeader

  /// Bytes after the header (less than `header.byteCount` for a truncated file).
  var availableBytes: Int {
    get throws { try file.size() - header.dataOffset }
  }
}
