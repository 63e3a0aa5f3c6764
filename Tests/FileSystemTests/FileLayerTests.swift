import Foundation
import Imaging
import NPYIO
import SystemPackage
import Testing
import _FileSystem

#if canImport(Glibc)
import Glibc
#endif

/// The one file layer (issue 10 item 1): swift-system's descriptor with errors that name the
/// path and the operation, one wording for kinds of file, and the calls swift-system lacks.
@Suite(.timeLimit(.minutes(1))) struct FileLayerTests {
  static func folder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-layer-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func kindsOfFileAreNamedInOneWording() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let link = folder.appendingPathComponent("link").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.path)
    let plain = folder.appendingPathComponent("plain").path
    #expect(FileManager.default.createFile(atPath: plain, contents: Data([1])))

    #expect(try FileKind.of(plain) == .regular)
    #expect(try FileKind.of(folder.path) == .directory)
    #expect(try FileKind.of(fifo) == .fifo)
    #expect(try FileKind.of("/dev/null") == .characterDevice)
    #expect(try FileKind.of(link) == .directory)
    #expect(try FileKind.of(link, followingSymbolicLinks: false) == .symbolicLink)
    #expect(
      ["\(FileKind.directory)", "\(FileKind.fifo)", "\(FileKind.characterDevice)"]
        == ["a folder", "a FIFO (named pipe)", "a character device"])

    let missing = folder.appendingPathComponent("missing").path
    #expect(throws: FileError.failed(path: missing, operation: "stat", errno: .noSuchFileOrDirectory)) {
      try FileKind.of(missing)
    }
  }

  @Test func aFIFOIsRefusedWithoutBlockingInTheSameWordsByEveryReader() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe.npy")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    #expect(throws: FileError.notARegularFile(path: fifo.path, kind: .fifo)) {
      try OpenFile<FileError>.openRegularFile(fifo.path)
    }
    let messages = [
      Result { _ = try NPY.read(at: fifo) },
      Result { _ = try NPZReader(url: fifo) },
      Result { _ = try ImageDecoder.decode(contentsOf: fifo) },
    ].map { result -> String in
      guard case .failure(let error) = result else { return "no error" }
      return "\(error)"
    }
    for message in messages {
      #expect(
        message.hasPrefix(fifo.path) && message.contains("not a regular file (a FIFO (named pipe))"), "\(message)")
    }
  }

  @Test func aDeviceIsNamedAsOneInImageErrors() throws {
    #expect {
      _ = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: "/dev/null"))
    } throws: { error in
      "\(error)" == "/dev/null: cannot read file: not a regular file (a character device)"
    }
  }

  @Test func readsAndWritesAtOffsetsAndAtThePosition() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("data").path
    let file = try OpenFile<FileError>.createNew(path)
    try file.writeAll([1, 2, 3, 4, 5, 6])
    try ([9, 9] as [UInt8]).withUnsafeBytes { try file.writeAll($0, toAbsoluteOffset: 1) }
    #expect(try file.position() == 6)
    #expect(try file.size() == 6)
    var buffer = [UInt8](repeating: 0, count: 8)
    let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0, fromAbsoluteOffset: 0) }
    #expect(n == 6)  // short at the end of the file, not an error
    #expect(buffer == [1, 9, 9, 4, 5, 6, 0, 0])
    try file.seek(to: 4)
    let some = try buffer.withUnsafeMutableBytes { try file.readSome(into: $0) }
    #expect(some == 2 && buffer.prefix(2) == [5, 6])
    try file.truncate(to: 3)
    #expect(try file.size() == 3)
    try file.close()

    #expect(throws: FileError.failed(path: path, operation: "create", errno: .fileExists)) {
      try OpenFile<FileError>.createNew(path)
    }
    #expect(try OpenFile<FileError>.openRegularFile(path).size() == 3)
  }

  @Test func errorsBecomeEachModulesOwnWithTheSystemsReason() throws {
    let missing = "/nonexistent-\(UUID().uuidString)/x.npy"
    #expect {
      try OpenFile<NPYError>.openRegularFile(missing)
    } throws: { error in
      guard case NPYError.io(missing, "open", ENOENT) = error else { return false }
      return "\(error)" == "\(missing): open failed: No such file or directory (errno \(ENOENT))"
    }
    #expect(
      "\(NPYError(FileError.failed(path: "a.npy", operation: "read", errno: .ioError)))"
        == "a.npy: read failed: Input/output error (errno \(EIO))")
    #expect(FileError.notARegularFile(path: "d", kind: .directory).reason == "not a regular file (a folder)")
  }

  #if os(Linux)
  @Test func reservingSetsTheSizeAndExchangeSwapsTwoNames() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("a").path
    let b = folder.appendingPathComponent("b").path
    let file = try OpenFile<FileError>.createNew(a)
    if try file.reserve(byteCount: 1 << 20) { #expect(try file.size() == 1 << 20) }
    try file.truncate(to: 1)
    try file.close()
    #expect(FileManager.default.createFile(atPath: b, contents: Data([7, 7])))
    #expect(PlatformFileCalls.exchange(a, b))
    #expect(try OpenFile<FileError>.openRegularFile(a).size() == 2)
    #expect(try OpenFile<FileError>.openRegularFile(b).size() == 1)
    #expect(!PlatformFileCalls.exchange(a, folder.appendingPathComponent("missing").path))
  }
  #endif
}
