import Foundation
import NDArray
import Testing

@testable import NPYIO

/// Members streamed row by row into an archive equal the same arrays written whole.
@Suite struct NPZStreamingMemberTests {
  static let compressions: [NPZCompression] = [.stored, .deflate(level: 0), .deflate(level: 6), .deflate(level: 9)]

  /// `rows` rows of shape [3, 2] of Int16 (byte-swapped nowhere, but multi-byte).
  static func rows(_ start: Int, _ count: Int) -> NDArray<Int16> {
    NDArray<Int16>(
      (0..<(count * 6)).map { Int16(truncatingIfNeeded: (start * 6 + $0) * 7919 % 65_521 - 30_000) },
      shape: [count, 3, 2])
  }

  /// Writes archive `name` with `x` (rows 0..<total, in blocks) and `y`, streamed or whole.
  static func archive(
    in folder: URL, _ name: String, compression: NPZCompression, total: Int, block: Int,
    streamed: Bool, expectedRowCount: Int? = nil
  ) throws -> URL {
    let out = folder.appendingPathComponent(name)
    let writer = try NPZWriter(url: out, compression: compression)
    try writer.write(name: "before", array: NDArray<Double>([1.5, -2]))
    if streamed {
      let member = try writer.beginStreamingMember(
        name: "x", dtype: .int16, rowShape: [3, 2],
        expectedRowCount: expectedRowCount)
      var start = 0
      while start < total {
        let k = min(block, total - start)
        try member.append(rows(start, k))
        start += k
      }
      #expect(member.rowCount == total)
      try member.finish()
    } else {
      try writer.write(name: "x", array: rows(0, total))
    }
    try writer.write(name: "y", strings: ["cat", "dög"])
    try writer.finish()
    return out
  }

  @Test(arguments: compressions, [0, 1, 5, 301])
  func streamedMemberLoadsLikeTheWholeArray(_ compression: NPZCompression, _ total: Int) throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let whole = try Self.archive(
      in: folder, "whole.npz", compression: compression, total: total, block: 1, streamed: false)
    for block in [1, 7, 1000] {
      let streamed = try Self.archive(
        in: folder, "s\(block).npz", compression: compression, total: total,
        block: block, streamed: true)
      let a = try NPZReader(url: whole), b = try NPZReader(url: streamed)
      try b.verify()  // CRC-32 and sizes of every member
      #expect(b.memberNames == a.memberNames)
      let x = try b.read(Int16.self, "x")
      #expect(x.shape == [total, 3, 2])
      #expect(x.flatElements == (try a.read(Int16.self, "x")).flatElements)
      #expect(try b.header(of: "x").dataOffset == (try a.header(of: "x")).dataOffset)
      #expect(try b.readStrings("y") == ["cat", "dög"])
      #expect(try b.read(Double.self, "before").flatElements == [1.5, -2])
      if compression == .stored {
        // Every byte: local header (CRC, ZIP64 sizes), .npy header, data, central directory.
        #expect(try Data(contentsOf: streamed) == Data(contentsOf: whole), "block \(block), \(total) rows")
      }
    }
  }

  /// Over 4 MiB with a row-count hint: rows are deflated on all cores, across several batches.
  @Test func largeDeflatedMemberWithHintRoundTrips() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let total = 420_000  // 12 bytes a row: about 4.8 MiB
    let streamed = try Self.archive(
      in: folder, "big.npz", compression: .deflate(level: 1), total: total,
      block: 50_000, streamed: true, expectedRowCount: total)
    let npz = try NPZReader(url: streamed)
    try npz.verify()
    #expect(try npz.read(Int16.self, "x").flatElements == Self.rows(0, total).flatElements)
  }

  @Test(arguments: [NPZCompression.stored, .deflate(level: 6)])
  func rawBytesOfOtherDTypes(_ compression: NPZCompression) throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("raw.npz")
    let writer = try NPZWriter(url: out, compression: compression)
    let member = try writer.beginStreamingMember(name: "x", dtype: .float64, rowShape: [])
    let values: [Double] = [0, 1.25, -3, .infinity]
    try values.withUnsafeBytes { try member.append(rawBytes: $0, rowCount: 4) }
    try member.finish()
    try writer.finish()
    let npz = try NPZReader(url: out)
    try npz.verify()
    #expect(try npz.header(of: "x").descr == "<f8")
    #expect(try npz.read(Double.self, "x").flatElements == values)
  }

  @Test(arguments: [NPZCompression.stored, .deflate(level: 6)])
  func misuseIsRefusedAndAbortLeavesNothing(_ compression: NPZCompression) throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("a.npz")
    let writer = try NPZWriter(url: out, compression: compression)
    try writer.write(name: "y", array: NDArray<UInt8>([1]))
    #expect(throws: NPZError.self) { try writer.beginStreamingMember(name: "y", dtype: .uint8, rowShape: []) }
    #expect(throws: NPYError.self) { try writer.beginStreamingMember(name: "z", dtype: .uint8, rowShape: [-1]) }
    let member = try writer.beginStreamingMember(name: "x", dtype: .float32, rowShape: [2])
    // Wrong rows are refused and leave the member usable.
    #expect(throws: NPYError.self) { try member.append(NDArray<Double>(zeros: [1, 2])) }
    #expect(throws: NPYError.self) { try member.append(NDArray<Float>(zeros: [1, 3])) }
    #expect(throws: NPYError.self) {
      try [UInt8](repeating: 0, count: 7).withUnsafeBytes { try member.append(rawBytes: $0, rowCount: 1) }
    }
    try member.append(NDArray<Float>(zeros: [4, 2]))
    // Nothing else goes into the archive while the member is open.
    #expect(throws: NPZError.self) { try writer.write(name: "w", array: NDArray<UInt8>([1])) }
    #expect(throws: NPZError.self) { try writer.finish() }
    let temporary = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(temporary.count == 1 && temporary[0].hasSuffix(".tmp"))
    #expect(InterruptCleanup.registeredPaths.contains(folder.appendingPathComponent(temporary[0]).path))
    member.abort()
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    #expect(!InterruptCleanup.registeredPaths.contains(folder.appendingPathComponent(temporary[0]).path))
    #expect(throws: NPYError.self) { try member.append(NDArray<Float>(zeros: [1, 2])) }
    #expect(throws: NPYError.self) { try member.finish() }
    #expect(throws: NPZError.self) { try writer.finish() }
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func droppingAnUnfinishedMemberAbortsTheArchive() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("d.npz")
    let writer = try NPZWriter(url: out, compression: .deflate(level: 6))
    do {
      let member = try writer.beginStreamingMember(name: "x", dtype: .uint8, rowShape: [3])
      try member.append(NDArray<UInt8>([1, 2, 3], shape: [1, 3]))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    #expect(throws: NPZError.self) { try writer.finish() }
  }
}
