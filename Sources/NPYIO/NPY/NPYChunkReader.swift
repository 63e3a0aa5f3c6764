import Foundation
import NDArray
import _FileSystem

/// Reads the elements of a numeric `.npy` file or `.npz` member a bounded chunk at a time,
/// in the order they are stored (C order, or Fortran order when the header says so), as
/// native-endian values: two arrays of any size can be walked side by side in fixed memory.
///
/// The NumPy equivalent is iterating `np.load(path, mmap_mode='r').ravel(order='K')` in
/// slices (for a member, `np.load(path)[name]`, which NumPy reads whole). A `.npy` file whose
/// data is native-endian and aligned (any file NumPy writes on this machine) is memory-mapped
/// and each chunk points into the mapping, with no copy; big-endian data, booleans (stored
/// bytes other than 0 and 1 read as 1) and `.npz` members (inflated as they are read, their
/// CRC-32 checked at the end) are read into one reusable buffer.
///
/// ```swift
/// let reader = try NPYChunkReader(npyAt: URL(fileURLWithPath: "a.npy"))
/// while let chunk = try reader.next(maxCount: 1 << 20) {
///   let values = chunk.assumingMemoryBound(to: Float.self)   // reader.dtype == .float32
/// }
/// ```
public final class NPYChunkReader {
  /// The array's header: dtype, shape, memory order.
  public let header: NPYHeader
  /// The element type.
  public let dtype: DType
  /// The file (or `archive.npz:member.npy`) named in errors.
  public let path: String
  /// Elements not yet returned by ``next(maxCount:)``.
  public private(set) var remaining: Int

  private enum Backing {
    case mapped(base: UnsafeRawPointer, mapping: UnsafeMutableRawPointer, length: Int)
    case streamed(source: any ByteSource, verify: (() throws -> Void)?)
  }
  private let backing: Backing
  private var position = 0
  private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

  /// Opens the `.npy` file at `url` and reads its header.
  ///
  /// - Throws: ``NPYError`` for an unreadable file, a string dtype, or data shorter than
  ///   the header says.
  public init(npyAt url: URL, maxHeaderLength: Int = NPY.defaultMaxHeaderLength) throws {
    let opened = try NPY.openAndReadHeader(url, maxHeaderLength: maxHeaderLength)
    let header = opened.header
    let dtype = try Self.numericDType(header, path: url.path)
    let fileSize = try opened.file.size()
    let available = fileSize - header.dataOffset
    if available < header.byteCount {
      throw NPYError.truncatedData(file: url.path, expectedBytes: header.byteCount, foundBytes: max(0, available))
    }
    let mappable =
      !header.dataType.needsByteSwap && dtype != .bool && header.count > 0
      && header.dataOffset % dtype.itemSize == 0
    if mappable {
      let mapping = try opened.file.mapReadOnly(byteCount: fileSize)
      backing = .mapped(base: UnsafeRawPointer(mapping + header.dataOffset), mapping: mapping, length: fileSize)
    } else {
      backing = .streamed(source: opened.source, verify: nil)
    }
    self.header = header
    self.dtype = dtype
    self.path = url.path
    remaining = header.count
  }

  /// Opens member `name` of `archive` (with or without `.npy`) and reads its header; the
  /// member's CRC-32 is checked when its last chunk has been read.
  ///
  /// - Throws: ``NPZError`` for an unknown or unreadable member, ``NPYError`` for a string
  ///   dtype or a bad header.
  public init(member name: String, of archive: NPZReader, maxHeaderLength: Int = NPY.defaultMaxHeaderLength) throws {
    let member = try archive.member(named: name)
    let source = try archive.openSource(member)
    let path = archive.url.path + ":" + member.fileName
    let header = try NPYHeader.read(from: source, file: path, maxHeaderLength: maxHeaderLength)
    dtype = try Self.numericDType(header, path: path)
    if source.remainingDeclared < header.byteCount {
      throw NPYError.truncatedData(
        file: path, expectedBytes: header.byteCount, foundBytes: max(0, source.remainingDeclared))
    }
    backing = .streamed(source: source, verify: { try source.drainAndVerify() })
    self.header = header
    self.path = path
    remaining = header.count
  }

  /// The mapping's bytes before this offset have been released from the process.
  private var releasedBytes = 0
  /// Read pages are released from the process every this many bytes, so a mapped array's
  /// resident size stays bounded however large the file (the page cache keeps the data).
  private static let releaseStep = 16 << 20

  /// Releases the pages of the mapping wholly before `end` (what earlier chunks returned).
  private func releaseReadPages(mapping: UnsafeRawPointer, upTo end: UnsafeRawPointer) {
    let page = 4096
    let readBytes = (end - mapping) / page * page
    guard readBytes - releasedBytes >= Self.releaseStep else { return }
    PlatformFileCalls.releaseMappedPages(mapping + releasedBytes, byteCount: readBytes - releasedBytes)
    releasedBytes = readBytes
  }

  deinit {
    buffer.deallocate()
    if case .mapped(_, let mapping, let length) = backing { PlatformFileCalls.unmap(mapping, byteCount: length) }
  }

  private static func numericDType(_ header: NPYHeader, path: String) throws -> DType {
    guard let dtype = header.dataType.numericDType else {
      throw NPYError.dtypeMismatch(file: path, expected: "a numeric dtype", found: header.descr)
    }
    return dtype
  }

  /// The next at most `maxCount` elements (at least one while any remain), native-endian, in
  /// storage order; nil once all have been returned. The bytes stay valid until the next
  /// call or until the reader is gone.
  ///
  /// - Throws: ``NPYError/truncatedData(file:expectedBytes:foundBytes:)`` when the data ends
  ///   early; ``NPZError`` for a member whose data or CRC-32 is wrong.
  public func next(maxCount: Int) throws -> UnsafeRawBufferPointer? {
    guard remaining > 0 else { return nil }
    let count = min(max(1, maxCount), remaining)
    let itemSize = dtype.itemSize
    let bytes: UnsafeRawBufferPointer
    switch backing {
    case .mapped(let base, let mapping, _):
      bytes = UnsafeRawBufferPointer(start: base + position * itemSize, count: count * itemSize)
      releaseReadPages(mapping: UnsafeRawPointer(mapping), upTo: base + position * itemSize)
    case .streamed(let source, let verify):
      if buffer.count < count * itemSize {
        buffer.deallocate()
        buffer = .allocate(byteCount: count * itemSize, alignment: 64)
      }
      let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(count * itemSize)])
      let got = try source.readFully(into: target)
      guard got == target.count else {
        throw NPYError.truncatedData(
          file: path, expectedBytes: header.byteCount, foundBytes: position * itemSize + got)
      }
      NPY.finishDecoding(target, dataType: header.dataType)
      if remaining == count { try verify?() }
      bytes = UnsafeRawBufferPointer(target)
    }
    position += count
    remaining -= count
    return bytes
  }
}
