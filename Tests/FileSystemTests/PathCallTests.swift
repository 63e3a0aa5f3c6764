import Foundation
import SystemPackage
import Testing
import _FileSystem

/// The path calls the file layer owns for everyone (issue 10 item 1): `stat` with identity,
/// `mkdir`, `link`, `rename`, `realpath`, `access`, each failing with a ``FileError`` that
/// names the path, the operation and the system's reason.
@Suite(.timeLimit(.minutes(1))) struct PathCallTests {
  static func folder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("path-calls-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func statusTellsKindAndWhichFileAPathNames() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("a").path
    let b = folder.appendingPathComponent("b").path
    let other = folder.appendingPathComponent("other").path
    let link = folder.appendingPathComponent("link").path
    #expect(FileManager.default.createFile(atPath: a, contents: Data([1])))
    #expect(FileManager.default.createFile(atPath: other, contents: Data([2])))
    try PlatformFileCalls.link(a, as: b)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.path)

    let statusA = try FileStatus.of(a)
    #expect(statusA.kind == .regular)
    #expect(try FileStatus.of(b).identity == statusA.identity)
    #expect(try FileStatus.of(other).identity != statusA.identity)
    #expect(try FileStatus.of(link).kind == .directory)
    #expect(try FileStatus.of(link).identity == FileStatus.of(folder.path).identity)
    #expect(try FileStatus.of(link, followingSymbolicLinks: false).kind == .symbolicLink)
    #expect(throws: FileError.failed(path: folder.path + "/missing", operation: "stat", errno: .noSuchFileOrDirectory))
    {
      try FileStatus.of(folder.path + "/missing")
    }
  }

  @Test func linkMakeDirectoryAndRenameNameThePathInFailures() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sub = folder.appendingPathComponent("sub").path
    try PlatformFileCalls.makeDirectory(sub)
    #expect(try FileKind.of(sub) == .directory)
    #expect(throws: FileError.failed(path: sub, operation: "create", errno: .fileExists)) {
      try PlatformFileCalls.makeDirectory(sub)
    }
    let missing = folder.appendingPathComponent("missing").path
    let target = folder.appendingPathComponent("target").path
    #expect(throws: FileError.failed(path: target, operation: "link", errno: .noSuchFileOrDirectory)) {
      try PlatformFileCalls.link(missing, as: target)
    }
    #expect(throws: FileError.failed(path: target, operation: "rename", errno: .noSuchFileOrDirectory)) {
      try PlatformFileCalls.rename(missing, to: target)
    }
    try PlatformFileCalls.rename(sub, to: target)
    #expect(try FileKind.of(target) == .directory)
    #expect((try? FileKind.of(sub)) == nil)
    #expect(
      FileError.failed(path: target, operation: "rename", errno: .noSuchFileOrDirectory).reason
        == "No such file or directory")
    #expect(FileError.text(errno: Errno.notDirectory.rawValue) == "Not a directory")
  }

  @Test func realPathResolvesLinksAndDotsAndAccessChecksAFolder() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let real = try PlatformFileCalls.realPath(folder.path)
    let sub = real + "/sub"
    try PlatformFileCalls.makeDirectory(sub)
    let link = real + "/link"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: sub)
    #expect(try PlatformFileCalls.realPath(link + "/../sub/.") == sub)
    #expect(throws: FileError.failed(path: real + "/nope/x", operation: "resolve", errno: .noSuchFileOrDirectory)) {
      try PlatformFileCalls.realPath(real + "/nope/x")
    }
    try PlatformFileCalls.checkCanWriteInto(sub)
    #expect(throws: FileError.failed(path: real + "/nope", operation: "access", errno: .noSuchFileOrDirectory)) {
      try PlatformFileCalls.checkCanWriteInto(real + "/nope")
    }
  }
}
