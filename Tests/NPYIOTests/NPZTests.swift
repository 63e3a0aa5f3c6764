import CZlib
import Foundation
import NDArray
import Testing

@testable import NPYIO

/// .npz archives: NumPy's read back exactly, ours byte-identical to np.savez, hostile ones refused.
@Suite struct NPZTests {
  static let archives = (Fixtures.manifest["npz"] as! [String: [String: [String: Any]]]).keys.sorted()

  @Test(arguments: archives)
  func readsNumPyArchives(_ archive: String) throws {
    let expected = (Fixtures.manifest["npz"] as! [String: [String: [String: Any]]])[archive]!
    let npz = try NPZReader(url: Fixtures.url(archive))
    #expect(Set(npz.memberNames) == Set(expected.keys))
    for (name, facts) in expected {
      let header = try npz.header(of: name)
      #expect(header.descr == facts["descr"] as! String)
      #expect(header.shape == facts["shape"] as! [Int])
      if let hex = facts["c_bytes_le"] as? String {
        #expect(Fixtures.cBytesLE(try npz.read(name)) == hex, "\(archive):\(name)")
        #expect(Fixtures.cBytesLE(try npz.read(name + ".npy")) == hex)
      } else {
        #expect(try npz.readStrings(name) == facts["strings"] as! [String])
      }
    }
    try npz.verify()
  }

  /// The same members np.savez wrote, in the same order, from the arrays we read back.
  static func rewrite(_ archive: String, compression: NPZCompression) throws -> Data {
    let npz = try NPZReader(url: Fixtures.url(archive))
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.npz")
    let writer = try NPZWriter(url: out, compression: compression)
    for name in npz.memberNames {
      if try npz.header(of: name).dataType.numericDType == nil {
        try writer.write(name: name, strings: try npz.readStrings(name))
      } else {
        try writer.write(name: name, array: try npz.read(name))
      }
    }
    try writer.finish()
    return try Data(contentsOf: out)
  }

  @Test(arguments: [
    ("stored.npz", NPZCompression.stored), ("positional.npz", .stored),
    ("compressed.npz", .deflate(level: 6)), ("compressed_big.npz", .deflate(level: 6)),
  ])
  func writesByteIdenticalToNumPy(_ archive: String, _ compression: NPZCompression) throws {
    let ours = try Self.rewrite(archive, compression: compression)
    #expect(ours == (try Data(contentsOf: Fixtures.url(archive))), "\(archive)")
  }

  @Test(arguments: [0, 1, 6, 9])
  func parallelDeflateOfALargeMemberRoundTrips(_ level: Int) throws {
    // 9 MB: above the parallel threshold, several batches of 1 MiB blocks, a partial last block.
    let count = 2_250_123
    let values = NDArray<Float>(unsafeUninitializedShape: [count]) { buffer in
      for i in 0..<count { buffer[i] = Float((i * 7919) % 1000) / 37 - Float(i % 13) }
    }
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("big.npz")
    let writer = try NPZWriter(url: out, compression: .deflate(level: level))
    try writer.write(name: "x", array: values)
    try writer.write(name: "small", array: NDArray<Int64>([1, 2, 3]))
    try writer.finish()
    let npz = try NPZReader(url: out)
    #expect(npz.members[0].isCompressed)
    let back = try npz.read(Float.self, "x")
    #expect(back.shape == [count])
    #expect(back.flatElements == values.flatElements)
    #expect(try npz.read(Int64.self, "small").flatElements == [1, 2, 3])
  }

  @Test func streamsAnNpyFileAsAMember() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("s.npz")
    let writer = try NPZWriter(url: out)
    try writer.write(name: "x", npyFileAt: Fixtures.url("f8_be_F_v2.npy"))
    try writer.finish()
    let npz = try NPZReader(url: out)
    let header = try npz.header(of: "x")
    #expect(header.descr == ">f8" && header.fortranOrder && header.version == .v2)
    #expect(Fixtures.cBytesLE(try npz.read("x")) == Fixtures.cBytesLE(try NPY.read(at: Fixtures.url("f8_be_F_v2.npy"))))
  }

  @Test func manyMembersUseZip64EndRecords() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("many.npz")
    let writer = try NPZWriter(url: out)
    let one = NDArray<UInt8>([7])
    for i in 0..<65_540 { try writer.write(name: "m\(i)", array: one) }
    try writer.finish()
    let data = try Data(contentsOf: out)
    let eocd = data.suffix(22)
    #expect(eocd.prefix(4) == Data([0x50, 0x4B, 5, 6]))
    #expect(eocd[eocd.startIndex + 8] == 0xFF && eocd[eocd.startIndex + 9] == 0xFF)
    let npz = try NPZReader(url: out)
    #expect(npz.members.count == 65_540)
    #expect(try npz.read(UInt8.self, "m65539").flatElements == [7])
  }

  @Test func writerIsAtomicAndRejectsMisuse() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("a.npz")
    let writer = try NPZWriter(url: out)
    try writer.write(name: "x", array: NDArray<UInt8>([1]))
    #expect(throws: NPZError.self) { try writer.write(name: "x", array: NDArray<UInt8>([1])) }
    // A rejected name leaves the archive usable; nothing appears before finish().
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { $0.hasSuffix(".tmp") })
    try writer.finish()
    #expect(try NPZReader(url: out).memberNames == ["x"])
    #expect(throws: NPZError.self) { try writer.write(name: "y", array: NDArray<UInt8>([1])) }
    try FileManager.default.removeItem(at: out)
    #expect(throws: NPZError.self) { try NPZWriter(url: out, compression: .deflate(level: 10)) }
    let second = try NPZWriter(url: out)
    try second.write(name: "x", array: NDArray<UInt8>([1]))
    second.abort()
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  // MARK: - Hostile archives

  static func corrupt(_ archive: String, _ edit: (inout [UInt8]) -> Void) -> URL {
    var bytes = [UInt8](try! Data(contentsOf: Fixtures.url(archive)))
    edit(&bytes)
    let url = Fixtures.temporaryFolder().appendingPathComponent("bad.npz")
    try! Data(bytes).write(to: url)
    return url
  }

  static func firstDataOffset(_ bytes: [UInt8]) -> Int {
    30 + Int(bytes[26]) + Int(bytes[27]) << 8 + Int(bytes[28]) + Int(bytes[29]) << 8
  }

  @Test(arguments: ["stored.npz", "compressed.npz"])
  func crcMismatchIsDetected(_ archive: String) throws {
    let url = Self.corrupt(archive) { bytes in
      // Flip a bit in the last byte of the first member's data (its array values).
      let offset = Self.firstDataOffset(bytes)
      let size = Int(bytes[offset - 8]) | Int(bytes[offset - 7]) << 8
      bytes[offset + size - 1] ^= 0x01
    }
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let npz = try NPZReader(url: url)
    do {
      _ = try npz.read(npz.memberNames[0])
      Issue.record("corrupt member read without error")
    } catch let error as NPZError {
      switch error {
      case .crcMismatch, .inflateFailed, .sizeMismatch: #expect(error.description.contains(url.path))
      default: Issue.record("\(error)")
      }
    }
  }

  @Test func declaredSizeTooSmallOrTooLarge() throws {
    // Central directory says the first member is 10 bytes long: inflating stops there.
    let small = Self.corrupt("compressed.npz") { bytes in
      let cd = Self.centralDirectoryOffset(bytes)
      bytes[cd + 24] = 10; bytes[cd + 25] = 0; bytes[cd + 26] = 0; bytes[cd + 27] = 0
    }
    defer { try? FileManager.default.removeItem(at: small.deletingLastPathComponent()) }
    let npz = try NPZReader(url: small)
    #expect(throws: (any Error).self) { _ = try npz.read(npz.memberNames[0]) }
    // A zip bomb's claim: 4 GB from 74 bytes is refused when the directory is read.
    let bomb = Self.corrupt("compressed.npz") { bytes in
      let cd = Self.centralDirectoryOffset(bytes)
      for k in 0..<4 { bytes[cd + 24 + k] = 0xF0 }
    }
    defer { try? FileManager.default.removeItem(at: bomb.deletingLastPathComponent()) }
    #expect(throws: NPZError.self) { _ = try NPZReader(url: bomb) }
  }

  static func centralDirectoryOffset(_ bytes: [UInt8]) -> Int {
    let e = bytes.count - 22
    return Int(bytes[e + 16]) | Int(bytes[e + 17]) << 8 | Int(bytes[e + 18]) << 16 | Int(bytes[e + 19]) << 24
  }

  @Test func notAZipOrTruncated() throws {
    let npy = Fixtures.url("f4_le_C_v1.npy")
    #expect(throws: NPZError.self) { _ = try NPZReader(url: npy) }
    let cut = Self.corrupt("stored.npz") { $0.removeLast(30) }
    defer { try? FileManager.default.removeItem(at: cut.deletingLastPathComponent()) }
    #expect(throws: NPZError.self) { _ = try NPZReader(url: cut) }
    let method = Self.corrupt("stored.npz") { bytes in
      let cd = Self.centralDirectoryOffset(bytes)
      bytes[cd + 10] = 12  // bzip2
    }
    defer { try? FileManager.default.removeItem(at: method.deletingLastPathComponent()) }
    #expect(throws: NPZError.self) { _ = try NPZReader(url: method) }
    let npz = try NPZReader(url: Fixtures.url("stored.npz"))
    #expect(throws: NPZError.self) { _ = try npz.read("missing") }
  }
}

/// Real ZIP64 central records (members over 2 GiB, offsets past 2 GiB) need huge files;
/// lowering the writer's threshold to 0 produces the same records on tiny ones.
@Suite struct NPZZip64Tests {
  @Test(arguments: [NPZCompression.stored, .deflate(level: 6)])
  func zip64CentralRecordsRoundTrip(_ compression: NPZCompression) throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("z64.npz")
    let writer = try NPZWriter(url: out, compression: compression)
    writer.zip64Limit = 0
    let a = NDArray<Int32>((0..<100).map(Int32.init), shape: [10, 10])
    try writer.write(name: "a", array: a)
    try writer.write(name: "b", strings: ["x", "yy"])
    try writer.finish()
    let bytes = [UInt8](try Data(contentsOf: out))
    // ZIP64 end record and locator precede the end record.
    #expect(Array(bytes[(bytes.count - 42)..<(bytes.count - 38)]) == [0x50, 0x4B, 6, 7])
    let npz = try NPZReader(url: out)
    #expect(npz.memberNames == ["a", "b"])
    #expect(npz.members[1].localHeaderOffset > 0)
    #expect(try npz.read(Int32.self, "a").flatElements == a.flatElements)
    #expect(try npz.readStrings("b") == ["x", "yy"])
  }
}

/// Archives made of nothing but (broken) end records.
@Suite struct NPZEndRecordTests {
  /// Opens `bytes` as an archive in a scratch folder that is removed afterwards.
  static func open(_ bytes: [UInt8]) throws -> NPZReader {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("end.npz")
    try Data(bytes).write(to: url)
    return try NPZReader(url: url)
  }

  static let emptyEnd: [UInt8] = [0x50, 0x4B, 5, 6] + Array(repeating: 0, count: 18)

  @Test func emptyArchiveHasNoMembers() throws {
    #expect(try Self.open(Self.emptyEnd).memberNames.isEmpty)
  }

  @Test func zip64LocatorPointingNowhere() {
    // A locator right at the start of the file: its record cannot fit before it.
    var locator: [UInt8] = [0x50, 0x4B, 6, 7, 0, 0, 0, 0]
    locator += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
    locator += [1, 0, 0, 0]
    #expect(throws: NPZError.self) { _ = try Self.open(locator + Self.emptyEnd) }
    var far = [UInt8](repeating: 0, count: 100) + locator
    far[108] = 0; for k in 109..<116 { far[k] = 0 }  // record offset 0: no ZIP64 signature there
    #expect(throws: NPZError.self) { _ = try Self.open(far + Self.emptyEnd) }
  }

  @Test func entryCountLargerThanTheDirectory() {
    var end = Self.emptyEnd
    end[8] = 0xFF; end[9] = 0xFF; end[10] = 0xFF; end[11] = 0xFF  // 65535 entries in 0 bytes
    #expect(throws: NPZError.self) { _ = try Self.open(end) }
  }
}
