import Foundation
import NDArray
import NPYIO
import Testing

/// Temporary outputs are registered for removal on interruption while they exist and
/// forgotten once renamed into place (the signal path itself is tested end to end by
/// python-interop/test_faults_convert.py, which interrupts a running normtool).
@Suite(.serialized) struct InterruptCleanupTests {
  @Test func streamWriterTemporaryFileIsRegisteredUntilFinished() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("rows.npy")
    // Other suites may write files concurrently: look only at paths in this test's folder.
    let writer = try NPYStreamWriter(url: url, dtype: .float32, rowShape: [2])
    let added = InterruptCleanup.registeredPaths.filter { $0.hasPrefix(folder.path + "/") }
    #expect(added.count == 1)
    let temporary = try #require(added.first)
    #expect(temporary.hasPrefix(folder.path + "/.rows.npy."), "\(temporary)")
    #expect(FileManager.default.fileExists(atPath: temporary))
    try writer.append(NDArray<Float>(zeros: [3, 2]))
    try writer.finish()
    #expect(!InterruptCleanup.registeredPaths.contains(temporary))
    #expect(FileManager.default.fileExists(atPath: url.path))
    #expect(!FileManager.default.fileExists(atPath: temporary))
  }

  @Test func failedWriteUnregistersItsTemporaryFile() throws {
    let folder = "/nonexistent-\(UUID().uuidString)"
    let url = URL(fileURLWithPath: folder + "/a.npy")
    #expect(throws: NPYError.self) { try NPY.write(NDArray<Float>(zeros: [2]), to: url) }
    #expect(InterruptCleanup.registeredPaths.filter { $0.hasPrefix(folder) }.isEmpty)
  }
}
