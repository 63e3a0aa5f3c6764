import Foundation
import NPYIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// All outputs of one run, committed together: each is written under a temporary name in
/// its destination's folder (``stage(_:directory:)``), and ``commit()`` renames them all into
/// place only after every one is complete. A failure before or during the commit removes
/// every temporary name and leaves every existing file as it was.
///
/// Renames within one folder are atomic, but a run has several; so the commit keeps what
/// it replaces (a hard link to a replaced file, the replaced folder moved aside) until all
/// renames succeeded, and puts it back if one fails. There is no NumPy equivalent
/// (`np.save` writes in place).
final class OutputTransaction {
  private struct Entry {
    var destination: String
    var temporary: String
    var isDirectory: Bool
  }

  private var entries: [Entry] = []
  private let tag = "\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
  private var isDone = false

  init() {}

  deinit { abort() }

  /// A temporary name in `destination`'s folder, registered with `InterruptCleanup`; for
  /// `directory`, the folder is created. Write the output there.
  func stage(_ destination: URL, directory: Bool = false) throws(ConversionError) -> URL {
    let temporary = URL(fileURLWithPath: Self.sibling(of: destination.path, suffix: "partial-\(tag)"))
    InterruptCleanup.register(temporary.path)
    if directory {
      guard mkdir(temporary.path, 0o777) == 0 else {
        let reason = FileSystemReason.text(errno: errno)
        InterruptCleanup.unregister(temporary.path)
        throw .output(path: destination.path, reason: "cannot create \(temporary.path): \(reason)")
      }
    }
    entries.append(Entry(destination: destination.path, temporary: temporary.path, isDirectory: directory))
    return temporary
  }

  /// Writes `data` to a staged name for `destination`.
  func stage(_ data: Data, at destination: URL) throws(ConversionError) {
    let temporary = try stage(destination)
    do { try data.write(to: temporary, options: .withoutOverwriting) } catch {
      throw .output(path: destination.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// Renames every staged output onto its destination; on failure restores what was
  /// replaced, removes the temporaries and throws.
  func commit() throws(ConversionError) {
    guard !isDone else { return }
    var committed: [(Entry, backup: String?)] = []
    for entry in entries {
      var backup: String?
      var info = stat()
      if lstat(entry.destination, &info) == 0 {
        let aside = Self.sibling(of: entry.destination, suffix: "replaced-\(tag)")
        if entry.isDirectory {
          // A folder (or a link to one) cannot be renamed over: move it aside first.
          if rename(entry.destination, aside) != 0 {
            let reason = FileSystemReason.text(errno: errno)
            rollBack(committed)
            throw .output(path: entry.destination, reason: reason)
          }
          backup = aside
        } else {
          // A hard link keeps the replaced file (no data copied); losing it on an
          // interrupt is harmless, so it is registered for removal.
          InterruptCleanup.register(aside)
          if link(entry.destination, aside) == 0 { backup = aside }
          else { InterruptCleanup.unregister(aside) }
        }
      }
      if rename(entry.temporary, entry.destination) != 0 {
        let reason = FileSystemReason.text(errno: errno)
        if let backup, entry.isDirectory { rename(backup, entry.destination) }
        else if let backup { unlink(backup); InterruptCleanup.unregister(backup) }
        rollBack(committed)
        throw .output(path: entry.destination, reason: reason)
      }
      InterruptCleanup.unregister(entry.temporary)
      committed.append((entry, backup))
    }
    isDone = true
    for (_, backup) in committed {
      if let backup { Self.remove(backup); InterruptCleanup.unregister(backup) }
    }
  }

  /// Puts back what the committed entries replaced, then removes every temporary.
  private func rollBack(_ committed: [(Entry, backup: String?)]) {
    for (entry, backup) in committed.reversed() {
      if let backup {
        if entry.isDirectory { Self.remove(entry.destination) }
        rename(backup, entry.destination)
        InterruptCleanup.unregister(backup)
      } else {
        Self.remove(entry.destination)
      }
    }
    abort()
  }

  /// Removes every temporary name; destinations are not touched.
  func abort() {
    guard !isDone else { return }
    isDone = true
    for entry in entries {
      Self.remove(entry.temporary)
      InterruptCleanup.unregister(entry.temporary)
    }
  }

  /// `.NAME.SUFFIX` beside `path`.
  private static func sibling(of path: String, suffix: String) -> String {
    let url = URL(fileURLWithPath: path)
    return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(suffix)").path
  }

  private static func remove(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR { try? FileManager.default.removeItem(atPath: path) }
    else { unlink(path) }
  }
}
