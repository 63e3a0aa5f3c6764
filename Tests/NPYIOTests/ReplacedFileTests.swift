import Foundation
import NDArray
import Testing

@testable import NPYIO

#if canImport(Glibc)
import Glibc
#endif

/// Writing over an existing file (issue 9 item 8): the old file's cached pages are released
/// as soon as the write starts, and the replace stays atomic in every case `rename(2)` covers.
@Suite struct ReplacedFileTests {
  /// Pages of the file at `url` held in the page cache (`mincore(2)` over a mapping).
  static func residentPages(_ url: URL) throws -> Int {
    let fd = open(url.path, O_RDONLY)
    #expect(fd >= 0)
    defer { close(fd) }
    let size = Int(lseek(fd, 0, SEEK_END))
    let map = try #require(mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0))
    #expect(map != MAP_FAILED)
    defer { munmap(map, size) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    var vector = [UInt8](repeating: 0, count: (size + page - 1) / page)
    #expect(mincore(map, size, &vector) == 0)
    return vector.reduce(0) { $0 + Int($1 & 1) }
  }

  /// A folder on a disk filesystem (tmpfs pages cannot be released): next to the build.
  static func diskFolder() -> URL {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/replaced-file-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  #if os(Linux)
  @Test func writingOverAFileReleasesItsCachedPagesBeforeTheNewDataArrives() throws {
    let folder = Self.diskFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("old.npy")
    let old = NDArray((0..<(8 << 20)).map { Float($0) }, shape: [8, 1 << 20])  // 32 MiB
    try NPY.write(old, to: out)
    // Written back and read once, so every page is clean and cached.
    let fd = open(out.path, O_RDONLY)
    #expect(fsync(fd) == 0)
    _ = try NPY.read(Float.self, at: out)
    close(fd)
    let pages = try Self.residentPages(out)
    #expect(pages > 4096)

    let writer = try NPYStreamWriter(url: out, dtype: .float32, rowShape: [4])
    var resident = try Self.residentPages(out)
    // Released on a background thread: wait for it, for at most 20 s.
    for _ in 0..<200 where resident > pages / 10 {
      usleep(100_000)
      resident = try Self.residentPages(out)
    }
    #expect(resident <= pages / 10, "\(resident) of \(pages) old pages still cached")
    // The old data is still there, whole, until the new file replaces it.
    #expect(try NPY.read(Float.self, at: out) == old)

    try writer.append(NDArray([1, 2, 3, 4] as [Float], shape: [1, 4]))
    try writer.finish()
    #expect(try NPY.read(Float.self, at: out) == NDArray([1, 2, 3, 4] as [Float], shape: [1, 4]))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["old.npy"])
  }
  #endif

  @Test func replacingKeepsTheOldFileReadableThroughAnOpenDescriptorLikeRename() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("a.npy")
    try NPY.write(NDArray([1, 2, 3] as [Int32]), to: out)
    let reader = try FileHandle(forReadingFrom: out)
    try NPY.write(NDArray([7] as [Int64]), to: out)
    #expect(try NPY.read(Int64.self, at: out) == NDArray([7] as [Int64]))
    let oldBytes = try reader.readToEnd() ?? Data()
    try reader.close()
    #expect(oldBytes.suffix(12) == Data([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.npy"])
  }

  @Test func aFolderThatTakesTheDestinationsPlaceMidWriteIsNotReplaced() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("x.npy")
    try NPY.write(NDArray([1] as [Int8]), to: out)
    let writer = try NPYStreamWriter(url: out, dtype: .int8, rowShape: [])
    try writer.append(NDArray([5] as [Int8], shape: [1]))
    try FileManager.default.removeItem(at: out)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
    #expect(FileManager.default.createFile(atPath: out.appendingPathComponent("keep").path, contents: Data([42])))
    #expect(throws: NPYError.self) { try writer.finish() }
    #expect(try Data(contentsOf: out.appendingPathComponent("keep")) == Data([42]))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.npy"])
  }

  @Test func aSymbolicLinkAtTheDestinationIsReplacedAndItsTargetKept() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("target.npy")
    let link = folder.appendingPathComponent("link.npy")
    try NPY.write(NDArray([3] as [UInt8]), to: target)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    try NPY.write(NDArray([4] as [UInt8]), to: link)
    #expect(try NPY.read(UInt8.self, at: target) == NDArray([3] as [UInt8]))
    #expect(try NPY.read(UInt8.self, at: link) == NDArray([4] as [UInt8]))
    let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
    #expect(attributes[.type] as? FileAttributeType == .typeRegular)
  }
}
