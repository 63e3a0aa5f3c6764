import Foundation
import NDArray
import _ByteOrder

/// Reads the members of a `.npz` archive one at a time, on demand.
///
/// The NumPy equivalent is `numpy.load(path, allow_pickle=False)` on a `.npz` (an `NpzFile`).
/// Opening reads only the central directory; each ``read(_:)`` reads one member. Reads stored
/// and deflated members, NumPy's ZIP64 local headers, real ZIP64 archives (members over
/// 4 GiB, more than 65,535 entries), members with data descriptors; verifies each member's
/// CRC-32; enforces the declared sizes while inflating. Member names may be given with or
/// without `.npy`.
///
/// ```swift
/// let npz = try NPZReader(url: URL(fileURLWithPath: "data.npz"))
/// print(npz.memberNames)              // ["x", "y", "classes"]
/// let x = try npz.read("x")
/// let classes = try npz.readStrings("classes")
/// ```
public final class NPZReader {
  /// One member as the central directory describes it.
  public struct Member: Sendable, Hashable {
    /// The name in the archive, e.g. `x.npy`.
    public var fileName: String
    /// The name NumPy shows in `NpzFile.files`: `fileName` without `.npy`.
    public var name: String
    /// True for deflate, false for stored.
    public var isCompressed: Bool
    /// Bytes in the archive.
    public var compressedSize: Int
    /// Bytes of the `.npy` data once inflated.
    public var uncompressedSize: Int
    /// The declared CRC-32.
    public var crc32: UInt32
    /// Where the member's local header starts.
    public var localHeaderOffset: Int
    var method: UInt16
    var flags: UInt16
    /// Where the next member's local header (or the central directory) starts: this member's
    /// data must end before it, or entries overlap.
    var dataLimit: Int = 0
  }

  /// The archive.
  public let url: URL
  /// Every member, in central directory order.
  public let members: [Member]
  private let file: NPYFile
  private let fileSize: Int

  /// Member names as `np.load(path).files` lists them (`.npy` removed).
  public var memberNames: [String] { members.map(\.name) }

  /// Opens the archive and reads its central directory.
  ///
  /// Throws ``NPZError`` when the file is not a zip archive or its records are inconsistent.
  public init(url: URL) throws {
    self.url = url
    file = try NPYFile.openRegularFile(url.path)
    fileSize = try file.size()
    members = try Self.readCentralDirectory(file: file, fileSize: fileSize, archive: url.path)
  }

  /// The member for `name`, given with or without `.npy`.
  public func member(named name: String) throws -> Member {
    if let m = members.first(where: { $0.fileName == name }) ?? members.first(where: { $0.name == name }) {
      return m
    }
    throw NPZError.memberNotFound(file: url.path, member: name, available: memberNames)
  }

  /// The `.npy` header of a member, read without reading its data.
  public func header(of name: String, maxHeaderLength: Int = NPY.defaultMaxHeaderLength) throws -> NPYHeader {
    let member = try member(named: name)
    let source = try openSource(member)
    return try NPYHeader.read(from: source, file: memberPath(member), maxHeaderLength: maxHeaderLength)
  }

  /// Reads a numeric member into memory, checking its CRC-32.
  ///
  /// The NumPy equivalent is `np.load(path)[name]` (`max_header_size` is `maxHeaderLength`).
  public func read(_ name: String, maxHeaderLength: Int = NPY.defaultMaxHeaderLength) throws -> AnyNDArray {
    try readMember(name, maxHeaderLength: maxHeaderLength) { header, source, path in
      try NPY.decodeArray(header: header, from: source, availableBytes: source.remainingDeclared, file: path)
    }
  }

  /// Reads a numeric member whose dtype must be `Element`'s.
  ///
  /// The NumPy equivalent is `np.load(path)[name]` followed by a dtype check.
  public func read<Element: NDArrayElement>(
    _ type: Element.Type, _ name: String,
    maxHeaderLength: Int = NPY.defaultMaxHeaderLength
  ) throws -> NDArray<Element> {
    try readMember(name, maxHeaderLength: maxHeaderLength) { header, source, path in
      guard header.dataType.numericDType == Element.dtype else {
        throw NPYError.dtypeMismatch(file: path, expected: Element.dtype.rawValue, found: header.descr)
      }
      return try NPY.decodeTyped(
        Element.self, header: header, from: source,
        availableBytes: source.remainingDeclared, file: path)
    }
  }

  /// Reads a `<U` or `|S` member as strings in C order.
  ///
  /// The NumPy equivalent is `np.load(path)[name].ravel().tolist()`.
  public func readStrings(_ name: String, maxHeaderLength: Int = NPY.defaultMaxHeaderLength) throws -> [String] {
    try readMember(name, maxHeaderLength: maxHeaderLength) { header, source, path in
      try NPY.decodeStrings(header: header, from: source, availableBytes: source.remainingDeclared, file: path)
    }
  }

  /// Opens member `name`, reads its `.npy` header, decodes the rest with `decode` (given the
  /// header, the data and the member's path for messages), then checks the CRC-32 over the
  /// whole member: the steps every member read shares.
  private func readMember<Value>(
    _ name: String, maxHeaderLength: Int,
    _ decode: (NPYHeader, MemberByteSource, String) throws -> Value
  ) throws -> Value {
    let member = try member(named: name)
    let path = memberPath(member)
    let source = try openSource(member)
    let header = try NPYHeader.read(from: source, file: path, maxHeaderLength: maxHeaderLength)
    let value = try decode(header, source, path)
    try source.drainAndVerify()
    return value
  }

  /// Checks every member's data against its CRC-32 without keeping it (`zipfile.testzip`).
  public func verify() throws {
    for member in members { try openSource(member).drainAndVerify() }
  }

  private func memberPath(_ member: Member) -> String { url.path + ":" + member.fileName }

  /// Finds the member's data after its local header and opens a reader over it.
  func openSource(_ member: Member) throws -> MemberByteSource {
    var local = [UInt8](repeating: 0, count: Zip.localHeaderSize)
    let n = try local.withUnsafeMutableBytes { try file.read(into: $0, fromAbsoluteOffset: member.localHeaderOffset) }
    var reader = IntegerReader(local, order: .little)
    guard n == Zip.localHeaderSize, reader.u32() == Zip.localHeaderSignature else {
      throw NPZError.malformedArchive(
        file: url.path, reason: "no local header for \(member.fileName) at offset \(member.localHeaderOffset)")
    }
    reader.position = 26
    let nameLength = Int(reader.u16()!), extraLength = Int(reader.u16()!)
    let dataOffset = member.localHeaderOffset + Zip.localHeaderSize + nameLength + extraLength
    guard dataOffset <= fileSize, member.compressedSize <= fileSize - dataOffset else {
      throw NPZError.malformedArchive(
        file: url.path,
        reason:
          "member \(member.fileName) declares \(member.compressedSize) bytes at offset \(dataOffset), past the end of the \(fileSize)-byte file"
      )
    }
    // Python's zipfile refuses the same ("Overlapped entries"): overlapping members are how
    // small zip bombs expand to many copies of one compressed stream.
    guard dataOffset + member.compressedSize <= member.dataLimit else {
      throw NPZError.malformedArchive(
        file: url.path,
        reason:
          "overlapped entries: member \(member.fileName) has \(member.compressedSize) bytes at offset \(dataOffset), past the next entry at offset \(member.dataLimit)"
      )
    }
    return try MemberByteSource(
      file: file, archive: url.path, member: member.fileName, dataOffset: dataOffset,
      compressedSize: member.compressedSize, uncompressedSize: member.uncompressedSize,
      crc: member.crc32, deflated: member.method == Zip.methodDeflate)
  }

  // MARK: - Central directory

  static func readCentralDirectory(file: NPYFile, fileSize: Int, archive: String) throws -> [Member] {
    guard fileSize >= Zip.endOfCentralDirectorySize else {
      throw NPZError.notAZipArchive(
        file: archive, reason: "\(fileSize) bytes is shorter than an end-of-central-directory record (22)")
    }
    let tailLength = min(fileSize, Zip.endOfCentralDirectorySize + 0xFFFF + Zip.zip64LocatorSize)
    var tail = [UInt8](repeating: 0, count: tailLength)
    _ = try tail.withUnsafeMutableBytes { try file.read(into: $0, fromAbsoluteOffset: fileSize - tailLength) }
    var endIndex: Int? = nil
    var index = tailLength - Zip.endOfCentralDirectorySize
    while index >= 0 {
      if tail[index] == 0x50 && tail[index + 1] == 0x4B && tail[index + 2] == 5 && tail[index + 3] == 6 {
        let commentLength = Int(IntegerReader(tail, order: .little).integer(UInt16.self, at: index + 20)!)
        if index + Zip.endOfCentralDirectorySize + commentLength == tailLength { endIndex = index; break }
      }
      index -= 1
    }
    guard let endIndex else {
      throw NPZError.notAZipArchive(file: archive, reason: "no end-of-central-directory record found")
    }
    var end = IntegerReader(tail, order: .little, at: endIndex + 4)
    _ = end.u16(); _ = end.u16()
    var count = Int(end.u16()!)
    _ = end.u16()
    var size = Int(end.u32()!)
    var offset = Int(end.u32()!)
    let endOffset = fileSize - tailLength + endIndex
    // A ZIP64 locator sits just before the end record when ZIP64 end records are present.
    if endIndex >= Zip.zip64LocatorSize {
      var locator = IntegerReader(tail, order: .little, at: endIndex - Zip.zip64LocatorSize)
      if locator.u32() == Zip.zip64LocatorSignature {
        _ = locator.u32()
        let recordOffset = locator.u64()!
        // The record must fit before the locator (a file too short for it has no room at all).
        let latestRecordStart = endOffset - Zip.zip64LocatorSize - Zip.zip64EndOfCentralDirectorySize
        guard latestRecordStart >= 0, recordOffset <= UInt64(latestRecordStart) else {
          throw NPZError.malformedArchive(
            file: archive, reason: "ZIP64 end record offset \(recordOffset) is outside the file")
        }
        var record = [UInt8](repeating: 0, count: Zip.zip64EndOfCentralDirectorySize)
        _ = try record.withUnsafeMutableBytes { try file.read(into: $0, fromAbsoluteOffset: Int(recordOffset)) }
        var r = IntegerReader(record, order: .little)
        guard r.u32() == Zip.zip64EndOfCentralDirectorySignature else {
          throw NPZError.malformedArchive(
            file: archive, reason: "no ZIP64 end-of-central-directory record at offset \(recordOffset)")
        }
        r.position = 32
        let count64 = r.u64()!, size64 = r.u64()!, offset64 = r.u64()!
        guard count64 <= UInt64(fileSize), size64 <= UInt64(fileSize), offset64 <= UInt64(fileSize) else {
          throw NPZError.malformedArchive(
            file: archive,
            reason:
              "ZIP64 end record declares \(count64) entries, \(size64) bytes at \(offset64) in a \(fileSize)-byte file")
        }
        count = Int(count64); size = Int(size64); offset = Int(offset64)
      }
    }
    guard offset <= fileSize, size <= fileSize - offset else {
      throw NPZError.malformedArchive(
        file: archive,
        reason: "central directory of \(size) bytes at offset \(offset) does not fit in the \(fileSize)-byte file")
    }
    guard count <= size / Zip.centralHeaderSize else {
      throw NPZError.malformedArchive(
        file: archive, reason: "\(count) entries cannot fit in a \(size)-byte central directory")
    }
    // Read in pieces: a directory declaring gigabytes (in a sparse file that takes no disk)
    // costs no memory before its entries are really there.
    let directory = ChunkedFileReader(file: file, start: offset, end: offset + size)
    var members: [Member] = []
    members.reserveCapacity(Swift.min(count, 1 << 16))
    for entry in 0..<count {
      let bad = NPZError.malformedArchive(
        file: archive, reason: "central directory entry \(entry) is cut short or has a bad signature")
      guard let fixed = try directory.take(Zip.centralHeaderSize) else { throw bad }
      var reader = IntegerReader(fixed, order: .little)
      guard reader.u32() == Zip.centralHeaderSignature else { throw bad }
      _ = reader.u16(); _ = reader.u16()
      let flags = reader.u16()!, method = reader.u16()!
      _ = reader.u16(); _ = reader.u16()
      let crc = reader.u32()!
      var compressed = UInt64(reader.u32()!), uncompressed = UInt64(reader.u32()!)
      let nameLength = Int(reader.u16()!), extraLength = Int(reader.u16()!), commentLength = Int(reader.u16()!)
      _ = reader.u16(); _ = reader.u16(); _ = reader.u32()
      var localOffset = UInt64(reader.u32()!)
      guard let nameBytes = try directory.take(nameLength), let extra = try directory.take(extraLength),
        try directory.take(commentLength) != nil
      else { throw bad }
      // ZIP64 extra: the 64-bit values present are those whose 32-bit field is all ones.
      var extraReader = IntegerReader(Array(extra), order: .little)
      while extraReader.remaining >= 4 {
        let id = extraReader.u16()!, length = Int(extraReader.u16()!)
        guard let body = extraReader.take(length) else { break }
        if id == Zip.zip64ExtraID {
          var z = IntegerReader(Array(body), order: .little)
          if uncompressed == 0xFFFF_FFFF { guard let v = z.u64() else { throw bad }; uncompressed = v }
          if compressed == 0xFFFF_FFFF { guard let v = z.u64() else { throw bad }; compressed = v }
          if localOffset == 0xFFFF_FFFF { guard let v = z.u64() else { throw bad }; localOffset = v }
        }
      }
      let fileName =
        (flags & Zip.flagUTF8) != 0
        ? String(decoding: nameBytes, as: UTF8.self)
        : String(String.UnicodeScalarView(nameBytes.map { Unicode.Scalar($0) }))
      guard method == Zip.methodStored || method == Zip.methodDeflate else {
        throw NPZError.unsupportedCompression(file: archive, member: fileName, method: Int(method))
      }
      guard flags & 1 == 0 else { throw NPZError.encrypted(file: archive, member: fileName) }
      guard compressed <= UInt64(fileSize), localOffset < UInt64(fileSize) else {
        throw NPZError.malformedArchive(
          file: archive,
          reason: "member \(fileName) declares \(compressed) bytes at offset \(localOffset) in a \(fileSize)-byte file")
      }
      if method == Zip.methodStored && compressed != uncompressed {
        throw NPZError.sizeMismatch(
          file: archive, member: fileName, declared: Int(clamping: uncompressed), found: "\(compressed) stored bytes")
      }
      if method == Zip.methodDeflate && uncompressed > compressed * UInt64(Zip.maxDeflateRatio) + 1024 {
        throw NPZError.sizeMismatch(
          file: archive, member: fileName, declared: Int(clamping: uncompressed),
          found: "only \(compressed) compressed bytes, beyond deflate's 1032:1 limit")
      }
      let name = fileName.hasSuffix(".npy") ? String(fileName.dropLast(4)) : fileName
      members.append(
        Member(
          fileName: fileName, name: name, isCompressed: method == Zip.methodDeflate,
          compressedSize: Int(compressed), uncompressedSize: Int(uncompressed), crc32: crc,
          localHeaderOffset: Int(localOffset), method: method, flags: flags))
    }
    // Each member's data must end before the next local header in file order (or the
    // central directory); two entries sharing a local header overlap outright.
    let byOffset = members.indices.sorted { members[$0].localHeaderOffset < members[$1].localHeaderOffset }
    for (rank, index) in byOffset.enumerated() {
      let next = rank + 1 < byOffset.count ? members[byOffset[rank + 1]].localHeaderOffset : offset
      guard members[index].localHeaderOffset < next else {
        throw NPZError.malformedArchive(
          file: archive,
          reason:
            "overlapped entries: member \(members[index].fileName) at offset \(members[index].localHeaderOffset) overlaps the entry or central directory at offset \(next)"
        )
      }
      members[index].dataLimit = next
    }
    return members
  }
}
