import Foundation
import NDArray
import NPYIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// File sniffing lives in NPYIO (issue 10 item 3): `.npy`, `.npz` or folder by the first
/// bytes, the name only for files too short to tell, and one-line errors naming the path.
@Suite(.timeLimit(.minutes(1))) struct ArrayFileKindTests {
  static func folder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("array-file-kind-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func theFirstBytesDecideNotTheName() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // An .npy file named .npz and an .npz archive named .npy.
    let npyNamedNPZ = folder.appendingPathComponent("a.npz")
    try NPY.write(NDArray<Int32>([1, 2, 3]), to: npyNamedNPZ)
    let npzNamedNPY = folder.appendingPathComponent("b.npy")
    let archive = try NPZWriter(url: npzNamedNPY)
    try archive.write(name: "x", array: NDArray<Float>([1.5]))
    try archive.finish()
    #expect(try ArrayFileKind.of(npyNamedNPZ) == .npy)
    #expect(try ArrayFileKind.of(npzNamedNPY) == .npz)

    // Too short to tell: the name decides, and the reader reports the real problem.
    let shortNPZ = folder.appendingPathComponent("c.NPZ")
    let shortOther = folder.appendingPathComponent("c.bin")
    #expect(FileManager.default.createFile(atPath: shortNPZ.path, contents: Data([0x50])))
    #expect(FileManager.default.createFile(atPath: shortOther.path, contents: Data()))
    #expect(try ArrayFileKind.of(shortNPZ) == .npz)
    #expect(try ArrayFileKind.of(shortOther) == .npy)

    #expect(try ArrayFileKind.of(folder) == .folder)
    let link = folder.appendingPathComponent("link")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: folder)
    #expect(try ArrayFileKind.of(link) == .folder)
  }

  @Test func whatCannotBeReadIsRefusedWithOneLineNamingThePath() throws {
    let folder = Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("missing.npy")
    #expect(throws: ArrayFileError.notFound(path: missing.path)) { try ArrayFileKind.of(missing) }
    #expect("\(ArrayFileError.notFound(path: missing.path))" == "\(missing.path): no such file")

    let fifo = folder.appendingPathComponent("pipe.npy")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    #expect(throws: ArrayFileError.notARegularFile(path: fifo.path, kind: "a FIFO (named pipe)")) {
      try ArrayFileKind.of(fifo)
    }
    #expect(
      "\(ArrayFileError.notARegularFile(path: fifo.path, kind: "a FIFO (named pipe)"))"
        == "\(fifo.path): not a regular file (a FIFO (named pipe)); expected an .npy or .npz file")

    let inside = folder.appendingPathComponent("plain").appendingPathComponent("x.npy")
    #expect(FileManager.default.createFile(atPath: folder.appendingPathComponent("plain").path, contents: Data([1])))
    #expect(throws: ArrayFileError.unreadable(path: inside.path, reason: "Not a directory")) {
      try ArrayFileKind.of(inside)
    }
    #expect("\(ArrayFileError.folder(path: "d\nx"))" == "d\\nx: is a folder; expected an .npy or .npz file")
  }
}
