import Foundation
import NDArray

/// Writes a `.npz` archive member by member, streaming each member into the file.
///
/// The NumPy equivalents are `numpy.savez` (``NPZCompression/stored``) and
/// `numpy.savez_compressed` (``NPZCompression/deflate(level:)`` at level 6). Stored archives,
/// and deflated members under 4 MiB, are byte-identical to NumPy's: the same ZIP64 local
/// headers (sizes `0xFFFFFFFF` plus a ZIP64 extra field, as `zipfile` writes with
/// `force_zip64=True`), the same 1980-01-01 timestamps and attributes, the same deflate
/// settings. Larger deflated members are compressed on all cores (independent 1 MiB blocks
/// joined into one deflate stream, as pigz does): the bytes differ, `np.load` reads them.
/// Members over 2 GiB and archives over 65,535 members get ZIP64 central records.
///
/// Output is atomic: the archive is written under a temporary name and renamed onto `url`
/// by ``finish()``; ``abort()`` (or dropping the writer unfinished) removes it.
///
/// ```swift
/// let npz = try NPZWriter(url: out, compression: .deflate(level: 6))
/// try npz.write(name: "x", array: images)
/// try npz.write(name: "classes", strings: ["cat", "dog"])
/// try npz.finish()
/// ```
public final class NPZWriter {
  /// The destination.
  public let url: URL
  /// How members are stored.
  public let compression: NPZCompression

  private struct Entry {
    var name: [UInt8]
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
  }

  private let output: AtomicOutputFile
  private var entries: [Entry] = []
  private var names: Set<String> = []
  private var position = 0
  private var isFinished = false
  /// True while a ``NPZStreamingMember`` is being written: nothing else may be added.
  private var isMemberOpen = false
  /// Sizes and offsets above this get ZIP64 central records (zipfile's `ZIP64_LIMIT`);
  /// tests lower it to exercise ZIP64 with small files.
  var zip64Limit = Zip.zip64Limit

  /// Creates the temporary archive file.
  ///
  /// Throws ``NPZError/invalidWriterUse(file:reason:)`` for a deflate level outside 0…9,
  /// ``NPYError/io(file:operation:errno:)`` if the file cannot be created.
  public init(url: URL, compression: NPZCompression = .stored) throws {
    if case .deflate(let level) = compression, !(0...9).contains(level) {
      throw NPZError.invalidWriterUse(file: url.path, reason: "deflate level \(level) is outside 0...9")
    }
    self.url = url
    self.compression = compression
    output = try AtomicOutputFile(destination: url.path)
  }

  deinit { if !isFinished { output.abort() } }

  /// Adds `array` as member `name.npy`, written as `np.save` would write it.
  public func write<Element: NDArrayElement>(name: String, array: NDArray<Element>) throws {
    let size = NPY.header(for: array, byteOrder: .little).byteCount + 128
    try addMember(name: name, expectedSize: size) { sink in
      _ = try NPY.encode(array, byteOrder: .little, version: nil, file: url.path + ":" + name + ".npy", sink: sink)
    }
  }

  /// Adds an array whose dtype is known only at run time as member `name.npy`.
  ///
  /// `version`, `byteOrder` and `order` mean what they mean for ``NPY``'s `write`.
  public func write(
    name: String, array: AnyNDArray, version: NPYVersion? = nil,
    byteOrder: NPYByteOrder = .little, order: NPYMemoryOrder? = nil
  ) throws {
    let size = array.count * array.dtype.itemSize + 128
    try addMember(name: name, expectedSize: size) { sink in
      try withoutActuallyEscaping(sink) { sink in
        _ = try array.withTypedArray(
          NPY.EncodeVisitor(
            byteOrder: byteOrder, version: version, order: order,
            file: url.path + ":" + name + ".npy", sink: sink))
      }
    }
  }

  /// Adds strings as a `<U` array member `name.npy`, like `np.savez(…, name=np.array(strings))`.
  public func write(name: String, strings: [String], shape: [Int]? = nil) throws {
    let shape = shape ?? [strings.count]
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == strings.count,
      "shape \(shape) does not hold \(strings.count) strings")
    try addMember(name: name, expectedSize: nil) { sink in
      _ = try NPY.encodeStrings(strings, shape: shape, version: nil, file: url.path + ":" + name + ".npy", sink: sink)
    }
  }

  /// Adds the bytes of an existing `.npy` file as member `name.npy`, reading it in pieces
  /// (bounded memory whatever its size). The file's header is checked first.
  public func write(name: String, npyFileAt source: URL) throws {
    _ = try NPY.readHeader(at: source)
    let file = try NPYFile.openRegularFile(source.path)
    let size = try file.size()
    try addMember(name: name, expectedSize: size) { sink in
      let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 22, alignment: 64)
      defer { chunk.deallocate() }
      var offset = 0
      while true {
        let n = try file.read(into: chunk, fromAbsoluteOffset: offset)
        if n == 0 { break }
        try sink(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        offset += n
      }
    }
  }

  /// Writes the central directory and end records, then renames the archive onto ``url``.
  public func finish() throws {
    try checkOpen()
    isFinished = true
    do {
      let centralStart = position
      var record = LittleEndianWriter()
      for entry in entries {
        var extra = LittleEndianWriter()
        var compressedField = UInt32(entry.compressedSize), uncompressedField = UInt32(entry.uncompressedSize)
        var offsetField = UInt32(truncatingIfNeeded: entry.localHeaderOffset)
        var zip64: [UInt64] = []
        if entry.uncompressedSize > zip64Limit || entry.compressedSize > zip64Limit {
          zip64 += [UInt64(entry.uncompressedSize), UInt64(entry.compressedSize)]
          compressedField = 0xFFFF_FFFF
          uncompressedField = 0xFFFF_FFFF
        }
        if entry.localHeaderOffset > zip64Limit {
          zip64.append(UInt64(entry.localHeaderOffset))
          offsetField = 0xFFFF_FFFF
        }
        if !zip64.isEmpty {
          extra.u16(Zip.zip64ExtraID)
          extra.u16(UInt16(8 * zip64.count))
          for value in zip64 { extra.u64(value) }
        }
        record.u32(Zip.centralHeaderSignature)
        record.u8(UInt8(Zip.zip64Version)); record.u8(Zip.createSystemUnix)
        record.u16(Zip.zip64Version)
        record.u16(entry.flags)
        record.u16(entry.method)
        record.u16(Zip.dosTime); record.u16(Zip.dosDate)
        record.u32(entry.crc)
        record.u32(compressedField)
        record.u32(uncompressedField)
        record.u16(UInt16(entry.name.count))
        record.u16(UInt16(extra.bytes.count))
        record.u16(0)  // comment
        record.u16(0)  // disk
        record.u16(0)  // internal attributes
        record.u32(Zip.externalAttributes)
        record.u32(offsetField)
        record.append(entry.name)
        record.append(extra.bytes)
        if record.bytes.count >= 1 << 20 {
          try output.file.writeAll(record.bytes)
          position += record.bytes.count
          record.bytes.removeAll(keepingCapacity: true)
        }
      }
      try output.file.writeAll(record.bytes)
      position += record.bytes.count
      let centralSize = position - centralStart
      var end = LittleEndianWriter()
      var count = entries.count, size = centralSize, offset = centralStart
      if count > Zip.fileCountLimit || offset > zip64Limit || size > zip64Limit {
        end.u32(Zip.zip64EndOfCentralDirectorySignature)
        end.u64(44)
        end.u16(Zip.zip64Version); end.u16(Zip.zip64Version)
        end.u32(0); end.u32(0)
        end.u64(UInt64(count)); end.u64(UInt64(count))
        end.u64(UInt64(size)); end.u64(UInt64(offset))
        end.u32(Zip.zip64LocatorSignature)
        end.u32(0)
        end.u64(UInt64(position))
        end.u32(1)
        count = min(count, 0xFFFF)
        size = min(size, 0xFFFF_FFFF)
        offset = min(offset, 0xFFFF_FFFF)
      }
      end.u32(Zip.endOfCentralDirectorySignature)
      end.u16(0); end.u16(0)
      end.u16(UInt16(count)); end.u16(UInt16(count))
      end.u32(UInt32(size)); end.u32(UInt32(offset))
      end.u16(0)
      try output.file.writeAll(end.bytes)
      try output.commit()
    } catch {
      output.abort()
      throw error
    }
  }

  /// Removes the temporary archive; ``url`` is never touched. Safe to call twice.
  public func abort() {
    isFinished = true
    output.abort()
  }

  private func checkOpen() throws {
    guard !isFinished else {
      throw NPZError.invalidWriterUse(file: url.path, reason: "the archive was already finished or aborted")
    }
    guard !isMemberOpen else {
      throw NPZError.invalidWriterUse(file: url.path, reason: "a streaming member is still open; finish() it first")
    }
  }

  /// Starts member `name.npy`, a `.npy` array of `dtype` rows of shape `rowShape`, whose rows
  /// are then appended straight into the archive (no temporary file); see ``NPZStreamingMember``.
  /// Nothing else can be added to the archive until the member's `finish()`.
  ///
  /// The NumPy equivalent is filling `np.savez(…, name=x)`'s `x` row by row. `expectedRowCount`,
  /// when known, only picks the deflate mode (on all cores when the member will be at least
  /// 4 MiB, as for ``write(name:array:)``); any number of rows may still be appended.
  ///
  /// Throws ``NPZError/invalidWriterUse(file:reason:)`` for a bad or duplicate name or a
  /// finished archive, ``NPYError`` for a bad row shape or an I/O error.
  public func beginStreamingMember(
    name: String, dtype: DType, rowShape: [Int],
    expectedRowCount: Int? = nil
  ) throws -> NPZStreamingMember {
    try checkOpen()
    let header = try NPYGrowingHeader(dtype: dtype, rowShape: rowShape, file: url.path + ":" + name + ".npy")
    let member = try startMember(name: name)
    let expectedSize = expectedRowCount.map { rows -> Int in
      let (size, overflow) = max(0, rows).multipliedReportingOverflow(by: header.rowByteCount)
      return overflow ? Int.max : size
    }
    do {
      return try NPZStreamingMember(archive: self, member: member, header: header, expectedSize: expectedSize)
    } catch {
      abort()
      throw error
    }
  }

  /// Writes one member: a local header with ZIP64 placeholders, the data through `body`,
  /// then the CRC and sizes patched into the local header (as `zipfile` does on a seekable file).
  func addMember(
    name: String, expectedSize: Int?,
    _ body: (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
  ) throws {
    let member = try startMember(name: name)
    do {
      var compressed = 0
      var crc: UInt32 = 0
      var uncompressed = 0
      let file = output.file
      switch compression {
      case .stored:
        try body { bytes in
          crc = CRC32.update(crc, bytes)
          uncompressed += bytes.count
          try file.writeAll(bytes)
        }
        compressed = uncompressed
      case .deflate(let level):
        let compressor = try MemberCompressor(level: level, expectedSize: expectedSize, file: url.path) { bytes in
          compressed += bytes.count
          try file.writeAll(bytes)
        }
        try body { try compressor.write($0) }
        try compressor.finish()
        crc = compressor.crc
        uncompressed = compressor.uncompressedCount
      }
      try endMember(member, crc: crc, compressedSize: compressed, uncompressedSize: uncompressed)
    } catch {
      abort()
      throw error
    }
  }

  /// A member whose local header is written and whose data is being written.
  struct OpenMember {
    let name: [UInt8]
    let memberName: String
    let flags: UInt16
    let method: UInt16
    let headerOffset: Int
    /// Where the member's data starts in the archive.
    var dataOffset: Int { headerOffset + Zip.localHeaderSize + name.count + 20 }
  }

  /// The open archive file (for ``NPZStreamingMember``).
  var file: NPYFile { output.file }

  /// Checks `name` and writes its local header with ZIP64 placeholders (zipfile's
  /// `force_zip64=True` layout). Aborts the archive on an I/O error.
  func startMember(name: String) throws -> OpenMember {
    try checkOpen()
    let memberName = name + ".npy"
    guard !name.isEmpty, !names.contains(memberName) else {
      throw NPZError.invalidWriterUse(
        file: url.path, reason: name.isEmpty ? "empty member name" : "duplicate member name \(memberName)")
    }
    let nameBytes = Array(memberName.utf8)
    guard nameBytes.count <= 0xFFFF else {
      throw NPZError.invalidWriterUse(file: url.path, reason: "member name of \(nameBytes.count) bytes is too long")
    }
    let flags: UInt16 = memberName.utf8.allSatisfy { $0 < 0x80 } ? 0 : Zip.flagUTF8
    let method: UInt16
    if case .deflate = compression { method = Zip.methodDeflate } else { method = Zip.methodStored }
    let headerOffset = position
    var header = LittleEndianWriter()
    header.u32(Zip.localHeaderSignature)
    header.u16(Zip.zip64Version)
    header.u16(flags)
    header.u16(method)
    header.u16(Zip.dosTime); header.u16(Zip.dosDate)
    header.u32(0)  // CRC, patched
    header.u32(0xFFFF_FFFF)  // sizes are in the ZIP64 extra field
    header.u32(0xFFFF_FFFF)
    header.u16(UInt16(nameBytes.count))
    header.u16(20)
    header.append(nameBytes)
    header.u16(Zip.zip64ExtraID)
    header.u16(16)
    header.u64(0)  // uncompressed size, patched
    header.u64(0)  // compressed size, patched
    do { try output.file.writeAll(header.bytes) } catch { abort(); throw error }
    position += header.bytes.count
    isMemberOpen = true
    return OpenMember(name: nameBytes, memberName: memberName, flags: flags, method: method, headerOffset: headerOffset)
  }

  /// Patches the CRC and sizes into `member`'s local header (its `compressedSize` bytes of
  /// data follow the header) and records it for the central directory.
  func endMember(_ member: OpenMember, crc: UInt32, compressedSize: Int, uncompressedSize: Int) throws {
    position += compressedSize
    let file = output.file
    var crcField = LittleEndianWriter()
    crcField.u32(crc)
    try crcField.bytes.withUnsafeBytes { try file.writeAll($0, toAbsoluteOffset: member.headerOffset + 14) }
    var sizes = LittleEndianWriter()
    sizes.u64(UInt64(uncompressedSize))
    sizes.u64(UInt64(compressedSize))
    try sizes.bytes.withUnsafeBytes {
      try file.writeAll($0, toAbsoluteOffset: member.headerOffset + Zip.localHeaderSize + member.name.count + 4)
    }
    entries.append(
      Entry(
        name: member.name, flags: member.flags, method: member.method, crc: crc,
        compressedSize: compressedSize, uncompressedSize: uncompressedSize,
        localHeaderOffset: member.headerOffset))
    names.insert(member.memberName)
    isMemberOpen = false
  }
}
