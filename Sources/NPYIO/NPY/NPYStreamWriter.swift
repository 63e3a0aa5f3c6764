import Foundation
import NDArray

/// Writes a `.npy` file one block of rows at a time, without holding the whole array.
///
/// The NumPy equivalent is `numpy.lib.format.open_memmap` filled row by row, or NumPy ≥ 1.24's
/// growth-space convention for appending along axis 0: the header is written with room for
/// a 21-digit first dimension, and ``finish()`` rewrites it in place with the final row count.
/// The finished file is byte-identical to `np.save` of the same array.
///
/// Output is atomic: rows go to a temporary file that ``finish()`` renames onto `url`;
/// ``abort()`` (or dropping the writer unfinished) removes it and never touches `url`.
///
/// ```swift
/// let writer = try NPYStreamWriter(url: out, dtype: .float32, rowShape: [224, 224, 3])
/// for batch in batches { try writer.append(batch) }   // batch.shape == [k, 224, 224, 3]
/// try writer.finish()
/// ```
public final class NPYStreamWriter {
  /// The destination.
  public let url: URL
  /// The element type of every row.
  public let dtype: DType
  /// The shape of one row (the array's shape without axis 0).
  public let rowShape: [Int]
  /// Rows appended so far.
  public private(set) var rowCount = 0

  private let output: AtomicOutputFile
  private let header: NPYGrowingHeader
  private var isFinished = false
  /// Rows appended but not yet written: small appends (a 32×32 image is 12 KB of float32)
  /// are gathered into writes of at least ``writeSize`` bytes, one system call each.
  private var pending: [UInt8] = []
  /// The size of the gathered writes, 1 MiB.
  static let writeSize = 1 << 20

  /// Creates the temporary file and writes a header for zero rows.
  ///
  /// Throws ``NPYError`` if the file cannot be created.
  public init(url: URL, dtype: DType, rowShape: [Int]) throws {
    self.url = url
    self.dtype = dtype
    self.rowShape = rowShape
    header = try NPYGrowingHeader(dtype: dtype, rowShape: rowShape, file: url.path)
    output = try AtomicOutputFile(destination: url.path)
    do { try output.file.writeAll(header.initialBytes) } catch { output.abort(); throw error }
  }

  deinit { if !isFinished { output.abort() } }

  /// Appends `rows` (shape `[k] + rowShape`), in C order whatever their layout.
  ///
  /// Throws ``NPYError/invalidStreamUse(file:reason:)`` for another dtype or row shape.
  public func append<Element: NDArrayElement>(_ rows: NDArray<Element>) throws {
    try header.checkRows(rows)
    try rows.withUnsafeRawBytes { bytes in
      try append(rawBytes: bytes, rowCount: rows.shape[0])
    }
  }

  /// Appends `rowCount` rows given as native-endian elements in C order.
  ///
  /// Throws ``NPYError/invalidStreamUse(file:reason:)`` if `rawBytes.count` is not
  /// `rowCount` rows.
  public func append(rawBytes: UnsafeRawBufferPointer, rowCount: Int) throws {
    guard !isFinished else {
      throw NPYError.invalidStreamUse(file: url.path, reason: "append after finish() or abort()")
    }
    try header.checkAppend(byteCount: rawBytes.count, rowCount: rowCount)
    if pending.isEmpty && rawBytes.count >= Self.writeSize {
      try header.emitData(rawBytes) { try output.file.writeAll($0) }
    } else {
      if pending.capacity < Self.writeSize { pending.reserveCapacity(Self.writeSize) }
      try header.emitData(rawBytes) { pending.append(contentsOf: $0) }
      if pending.count >= Self.writeSize { try writePending() }
    }
    self.rowCount += rowCount
  }

  /// Writes the gathered rows.
  private func writePending() throws {
    guard !pending.isEmpty else { return }
    try pending.withUnsafeBytes { try output.file.writeAll($0) }
    pending.removeAll(keepingCapacity: true)
  }

  /// Rewrites the header with the final shape and renames the file onto ``url``.
  public func finish() throws {
    guard !isFinished else {
      throw NPYError.invalidStreamUse(file: url.path, reason: "finish() called twice or after abort()")
    }
    isFinished = true
    do {
      try writePending()
      pending = []
      let final = try header.bytes(rowCount: rowCount)
      try final.withUnsafeBytes { try output.file.writeAll($0, toAbsoluteOffset: 0) }
      try output.commit()
    } catch {
      output.abort()
      throw error
    }
  }

  /// Removes the temporary file. The final name is never touched. Safe to call twice.
  public func abort() {
    isFinished = true
    pending = []
    output.abort()
  }
}

/// The `.npy` header of an array streamed row by row: written first for zero rows with
/// room for a 21-digit first dimension (NumPy ≥ 1.24's growth-axis padding), then rewritten
/// in place with the final row count, same length, so the result equals `np.save`'s bytes.
/// Shared by ``NPYStreamWriter`` and ``NPZStreamingMember``.
struct NPYGrowingHeader {
  let dtype: DType
  let rowShape: [Int]
  /// Bytes in one row.
  let rowByteCount: Int
  /// The header for zero rows; every later header has this length.
  let initialBytes: [UInt8]
  let file: String

  /// Throws ``NPYError/shapeOverflow(file:shape:itemSize:)`` for a negative or overflowing row shape.
  init(dtype: DType, rowShape: [Int], file: String) throws {
    self.dtype = dtype
    self.rowShape = rowShape
    self.file = file
    var rowBytes = dtype.itemSize
    for size in rowShape {
      let (product, overflow) = rowBytes.multipliedReportingOverflow(by: size)
      guard size >= 0, !overflow else {
        throw NPYError.shapeOverflow(file: file, shape: [0] + rowShape, itemSize: dtype.itemSize)
      }
      rowBytes = product
    }
    rowByteCount = rowBytes
    initialBytes = try Self.encode(dtype: dtype, shape: [0] + rowShape, file: file)
  }

  private static func encode(dtype: DType, shape: [Int], file: String) throws -> [UInt8] {
    let header = NPYHeader(dataType: .numeric(dtype, .little), fortranOrder: false, shape: shape)
    return try header.encoded(version: nil, file: file).bytes
  }

  /// The header for `rowCount` rows, exactly as long as ``initialBytes``.
  func bytes(rowCount: Int) throws -> [UInt8] {
    let header = try Self.encode(dtype: dtype, shape: [rowCount] + rowShape, file: file)
    guard header.count == initialBytes.count else {
      // Only for a first dimension of more than 21 digits; cannot happen with Int rows.
      throw NPYError.invalidStreamUse(
        file: file, reason: "final header length \(header.count) differs from \(initialBytes.count)")
    }
    return header
  }

  /// Throws ``NPYError/invalidStreamUse(file:reason:)`` unless `rows` has this dtype and row shape.
  func checkRows<Element: NDArrayElement>(_ rows: NDArray<Element>) throws {
    guard Element.dtype == dtype else {
      throw NPYError.invalidStreamUse(file: file, reason: "rows of \(Element.dtype) appended to a \(dtype) stream")
    }
    guard rows.shape.count == rowShape.count + 1, Array(rows.shape.dropFirst()) == rowShape else {
      throw NPYError.invalidStreamUse(
        file: file, reason: "rows of shape \(rows.shape) appended to a stream of rows \(rowShape)")
    }
  }

  /// Throws ``NPYError/invalidStreamUse(file:reason:)`` unless `byteCount` is `rowCount` rows.
  func checkAppend(byteCount: Int, rowCount: Int) throws {
    guard rowCount >= 0, byteCount == rowCount * rowByteCount else {
      throw NPYError.invalidStreamUse(
        file: file, reason: "\(byteCount) bytes given for \(rowCount) rows of \(rowByteCount) bytes")
    }
  }

  /// Passes native-order rows to `sink` as little-endian file bytes.
  func emitData(_ rawBytes: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    try NPY.emitData(rawBytes, dataType: .numeric(dtype, .little), sink: sink)
  }
}
