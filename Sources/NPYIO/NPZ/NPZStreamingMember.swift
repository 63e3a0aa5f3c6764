import Foundation
import NDArray

/// One `.npy` member of an ``NPZWriter`` archive, written a block of rows at a time straight
/// into the archive, without holding the array or writing a temporary `.npy` file.
///
/// The NumPy equivalent is `np.savez(…, name=x)` / `np.savez_compressed(…, name=x)` for an
/// `x` filled row by row. The member's `.npy` header is written first for zero rows, with
/// room for a 21-digit first dimension (as ``NPYStreamWriter`` reserves it), and ``finish()``
/// rewrites it in place with the final row count; the CRC-32 and sizes in the zip local
/// header (NumPy's ZIP64 layout) are patched then too, since the archive file is seekable.
///
/// - ``NPZCompression/stored``: the member's bytes are exactly what ``NPZWriter/write(name:array:)``
///   (and `np.savez`) writes for the same array.
/// - ``NPZCompression/deflate(level:)``: the `.npy` header goes into the deflate stream as one
///   uncompressed (stored) deflate block, so it can be patched in place, followed by the rows
///   deflated through the same compressor as other members. The bytes differ from
///   `np.savez_compressed`'s, the content is identical and `np.load` reads it. The rows are
///   deflated on one core unless `expectedRowCount` told ``NPZWriter/beginStreamingMember(name:dtype:rowShape:expectedRowCount:)``
///   that the member will be at least 4 MiB, in which case blocks are deflated on all cores
///   as for ``NPZWriter/write(name:array:)``.
///
/// Until ``finish()``, nothing else can be added to the archive. ``abort()``, a failed
/// append or finish, or dropping the member unfinished aborts the whole archive (its
/// temporary file is removed; the destination is never touched).
///
/// ```swift
/// let npz = try NPZWriter(url: out, compression: .deflate(level: 6))
/// let x = try npz.beginStreamingMember(name: "x", dtype: .float32, rowShape: [224, 224, 3])
/// for batch in batches { try x.append(batch) }   // batch.shape == [k, 224, 224, 3]
/// try x.finish()
/// try npz.write(name: "y", array: labels)
/// try npz.finish()
/// ```
public final class NPZStreamingMember {
  /// The member's name without `.npy`.
  public let name: String
  /// The element type of every row.
  public let dtype: DType
  /// The shape of one row (the member's shape without axis 0).
  public let rowShape: [Int]
  /// Rows appended so far.
  public private(set) var rowCount = 0

  private final class Counter { var bytes = 0 }

  private let archive: NPZWriter
  private let member: NPZWriter.OpenMember
  private let header: NPYGrowingHeader
  private let compressor: MemberCompressor?
  private let written = Counter()
  /// Where the `.npy` header sits in the archive (patched by finish()).
  private let headerPosition: Int
  /// CRC-32 and length of the rows' bytes when stored (the compressor keeps them when
  /// deflating); the header's CRC is combined in at the end.
  private var dataCRC: UInt32 = 0
  private var dataCount = 0
  private var isDone = false

  init(archive: NPZWriter, member: NPZWriter.OpenMember, header: NPYGrowingHeader, expectedSize: Int?) throws {
    self.archive = archive
    self.member = member
    self.header = header
    name = String(member.memberName.dropLast(4))
    dtype = header.dtype
    rowShape = header.rowShape
    let file = archive.file
    let headerBytes = header.initialBytes
    switch archive.compression {
    case .stored:
      headerPosition = member.dataOffset
      try file.writeAll(headerBytes)
      written.bytes = headerBytes.count
      compressor = nil
    case .deflate(let level):
      // A non-final stored deflate block: BFINAL=0, BTYPE=00, padded to the byte; LEN, NLEN.
      let length = headerBytes.count
      guard length <= 0xFFFF else {
        throw NPZError.invalidWriterUse(
          file: header.file,
          reason: "a .npy header of \(length) bytes does not fit one stored deflate block (at most 65535)")
      }
      var block = LittleEndianWriter()
      block.u8(0)
      block.u16(UInt16(length))
      block.u16(~UInt16(length))
      block.append(headerBytes)
      headerPosition = member.dataOffset + 5
      try file.writeAll(block.bytes)
      written.bytes = block.bytes.count
      let counter = written
      compressor = try MemberCompressor(level: level, expectedSize: expectedSize, file: header.file) { bytes in
        counter.bytes += bytes.count
        try file.writeAll(bytes)
      }
    }
  }

  deinit { if !isDone { archive.abort() } }

  /// Appends `rows` (shape `[k] + rowShape`), in C order whatever their layout.
  ///
  /// Throws ``NPYError/invalidStreamUse(file:reason:)`` for another dtype or row shape
  /// (the archive stays usable), ``NPYError``/``NPZError`` for a write or deflate failure
  /// (the archive is aborted).
  public func append<Element: NDArrayElement>(_ rows: NDArray<Element>) throws {
    try header.checkRows(rows)
    try rows.withUnsafeRawBytes { bytes in
      try append(rawBytes: bytes, rowCount: rows.shape[0])
    }
  }

  /// Appends `rowCount` rows given as native-endian elements in C order.
  ///
  /// Throws ``NPYError/invalidStreamUse(file:reason:)`` if `rawBytes.count` is not
  /// `rowCount` rows or the member is finished (the archive stays usable); a write or
  /// deflate failure aborts the archive.
  public func append(rawBytes: UnsafeRawBufferPointer, rowCount: Int) throws {
    guard !isDone else {
      throw NPYError.invalidStreamUse(file: header.file, reason: "append after finish() or abort()")
    }
    try header.checkAppend(byteCount: rawBytes.count, rowCount: rowCount)
    do {
      try header.emitData(rawBytes) { bytes in
        if let compressor {
          try compressor.write(bytes)
        } else {
          dataCRC = CRC32.update(dataCRC, bytes)
          dataCount += bytes.count
          try archive.file.writeAll(bytes)
          written.bytes += bytes.count
        }
      }
    } catch {
      abort()
      throw error
    }
    self.rowCount += rowCount
  }

  /// Ends the member: rewrites its `.npy` header with the final row count and patches the
  /// CRC-32 and sizes into its local header. The archive then takes further members.
  public func finish() throws {
    guard !isDone else {
      throw NPYError.invalidStreamUse(file: header.file, reason: "finish() called twice or after abort()")
    }
    isDone = true
    do {
      let final = try header.bytes(rowCount: rowCount)
      if let compressor {
        try compressor.finish()
        dataCRC = compressor.crc
        dataCount = compressor.uncompressedCount
      }
      try final.withUnsafeBytes { try archive.file.writeAll($0, toAbsoluteOffset: headerPosition) }
      let headerCRC = final.withUnsafeBytes { CRC32.update(0, $0) }
      let crc = CRC32.combine(headerCRC, dataCRC, secondLength: dataCount)
      try archive.endMember(member, crc: crc, compressedSize: written.bytes, uncompressedSize: final.count + dataCount)
    } catch {
      archive.abort()
      throw error
    }
  }

  /// Aborts the whole archive: its temporary file is removed and the destination is never
  /// touched. Safe to call twice.
  public func abort() {
    isDone = true
    archive.abort()
  }
}
