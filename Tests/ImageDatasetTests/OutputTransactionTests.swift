import Foundation
import Testing

@testable import ImageDataset

#if canImport(Glibc)
import Glibc
#endif

/// Committing over existing outputs swaps names where the system can (issue 9 item 8: as
/// fast as a fresh write), and stays all-or-nothing whichever way each output was replaced.
@Suite struct OutputTransactionTests {
  func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

  @Test func aReplacedFileStaysReadableThroughAnOpenDescriptorAndLeavesNoName() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let out = try dir.file("x.npz", "old")
    let reader = try FileHandle(forReadingFrom: out)
    let transaction = OutputTransaction()
    try transaction.stage(Data("new".utf8), at: out)
    try transaction.commit()
    #expect(try text(out) == "new")
    #expect(String(decoding: try reader.readToEnd() ?? Data(), as: UTF8.self) == "old")
    try reader.close()
    #expect(dir.entries == ["x.npz"])
  }

  @Test func aReplacedFolderIsSwappedWhole() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try dir.file("out/x.npy", "old x")
    try dir.file("out/stale.npy", "only in the old output")
    let out = dir.url.appendingPathComponent("out")
    let transaction = OutputTransaction()
    let staged = try transaction.stage(out, directory: true)
    try Data("new x".utf8).write(to: staged.appendingPathComponent("x.npy"))
    try transaction.commit()
    #expect(try text(out.appendingPathComponent("x.npy")) == "new x")
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["x.npy"])
    #expect(dir.entries == ["out"])
  }

  @Test func aFailureAfterAFolderWasReplacedPutsTheOldFolderBack() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try dir.file("out/x.npy", "old x")
    try dir.file("stats.json/inside", "a folder where a file is to go")
    let out = dir.url.appendingPathComponent("out")
    let transaction = OutputTransaction()
    let staged = try transaction.stage(out, directory: true)
    try Data("new x".utf8).write(to: staged.appendingPathComponent("x.npy"))
    try transaction.stage(Data("{}".utf8), at: dir.url.appendingPathComponent("stats.json"))
    #expect(throws: ConversionError.self) { try transaction.commit() }
    #expect(try text(out.appendingPathComponent("x.npy")) == "old x")
    #expect(dir.entries == ["out", "stats.json"])
  }

  @Test func aFileWhereAFolderOutputGoesIsReplacedByTheFolder() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let out = try dir.file("out", "a file where the folder output goes")
    let transaction = OutputTransaction()
    let staged = try transaction.stage(out, directory: true)
    try Data("new x".utf8).write(to: staged.appendingPathComponent("x.npy"))
    try transaction.commit()
    #expect(try text(out.appendingPathComponent("x.npy")) == "new x")
    #expect(dir.entries == ["out"])
  }

  #if os(Linux)
  /// The regression test of issue 9 item 8 for convert's outputs: staging over an existing
  /// output releases the old file's cached pages at once (NPYIO's `ReplacedFileTests` checks
  /// the same for single files written through `NPY`).
  @Test func stagingOverAnOutputReleasesItsCachedPages() throws {
    // On a disk filesystem (tmpfs pages cannot be released): next to the build.
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/output-transaction-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("x.npy")
    try Data(repeating: 7, count: 32 << 20).write(to: out)
    let size = 32 << 20, page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let fd = open(out.path, O_RDONLY)
    defer { close(fd) }
    #expect(fsync(fd) == 0)
    /// Pages of the file in the page cache; mapped only while counting (mapped pages stay).
    func resident() throws -> Int {
      let map = try #require(mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0))
      defer { munmap(map, size) }
      var vector = [UInt8](repeating: 0, count: size / page)
      #expect(mincore(map, size, &vector) == 0)
      return vector.reduce(0) { $0 + Int($1 & 1) }
    }
    _ = try Data(contentsOf: out)  // every page read once: clean and cached
    let before = try resident()
    #expect(before > size / page / 2)

    let transaction = OutputTransaction()
    try transaction.stage(Data("new".utf8), at: out)
    var after = try resident()
    for _ in 0..<200 where after > before / 10 {  // released on a background thread
      usleep(100_000)
      after = try resident()
    }
    #expect(after <= before / 10, "\(after) of \(before) old pages still cached")
    try transaction.commit()
    #expect(try text(out) == "new")
  }
  #endif
}
