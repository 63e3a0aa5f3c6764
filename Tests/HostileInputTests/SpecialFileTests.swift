import Foundation
import NPYIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Paths that are not regular files are refused at once: a FIFO used to block `open` for
/// ever (no writer), and a folder failed only at the first read.
@Suite(.timeLimit(.minutes(1))) struct SpecialFileTests {
  @Test func fifoIsRefusedWithoutBlocking() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe.npy")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    for read in [{ _ = try NPY.readHeader(at: fifo) }, { _ = try NPZReader(url: fifo) }] {
      #expect {
        try read()
      } throws: { error in
        guard case NPYError.notARegularFile(_, let kind) = error else { return false }
        return kind.contains("FIFO") && "\(error)".hasPrefix(fifo.path)
      }
    }
  }

  @Test func folderIsRefused() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).npy")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect {
      _ = try NPY.read(at: folder)
    } throws: { error in
      guard case NPYError.notARegularFile(_, "a folder") = error else { return false }
      return true
    }
  }
}
