import Foundation
import SystemPackage
import _FileSystem

/// A file written under a temporary name in the destination's folder and renamed onto the
/// destination only when complete, so readers never see a partial file and a failed write
/// leaves an existing file untouched.
///
/// NumPy's `np.save` writes in place; this is stricter.
final class AtomicOutputFile: @unchecked Sendable {
  /// The final path.
  let destination: String
  /// The temporary path written until ``commit()``.
  let temporaryPath: String
  /// The open temporary file.
  let file: NPYFile
  /// The file at `destination` when the write began, if any (see ``ReplacedFile``).
  private var replaced: ReplacedFile?
  private var isDone = false

  init(destination: String) throws {
    self.destination = destination
    replaced = ReplacedFile(replacing: destination)
    let slash = destination.lastIndex(of: "/")
    let folder = slash.map { String(destination[...$0]) } ?? ""
    let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
    var attempt = 0
    while true {
      let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
      let candidate = "\(folder).\(name).\(ProcessInfo.processInfo.processIdentifier)-\(token).tmp"
      // Registered before it exists, so an interrupt at any point removes it.
      InterruptCleanup.register(candidate)
      do {
        file = try NPYFile.createNew(candidate, reportedPath: destination)
        temporaryPath = candidate
        break
      } catch NPYError.io(_, _, let code) where code == Errno.fileExists.rawValue && attempt < 16 {
        InterruptCleanup.unregister(candidate)
        attempt += 1
      } catch {
        InterruptCleanup.unregister(candidate)
        throw error
      }
    }
  }

  deinit { abort() }

  /// Closes the temporary file and renames it onto the destination (swapping names with the
  /// file it replaces when it can: see ``ReplacedFile``).
  func commit() throws {
    guard !isDone else { return }
    do {
      try file.close()
      if replaced?.exchange(temporaryPath, into: destination) != true {
        do throws(FileError) { try PlatformFileCalls.rename(temporaryPath, to: destination) } catch {
          throw NPYError(error)
        }
      }
      replaced = nil
      isDone = true
      InterruptCleanup.unregister(temporaryPath)
    } catch {
      abort()
      throw error
    }
  }

  /// Removes the temporary file; the destination is never touched.
  func abort() {
    guard !isDone else { return }
    isDone = true
    replaced = nil
    try? file.close()
    try? PlatformFileCalls.unlink(temporaryPath)
    InterruptCleanup.unregister(temporaryPath)
  }
}
