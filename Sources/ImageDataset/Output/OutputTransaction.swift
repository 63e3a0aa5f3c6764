import Foundation
import NPYIO
import _FileSystem

/// All outputs of one run, committed together: each is written under a temporary name in
/// its destination's folder (``stage(_:directory:)``), and ``commit()`` renames them all into
/// place only after every one is complete. A failure before or during the commit removes
/// every temporary name and leaves every existing file as it was.
///
/// Renames within one folder are atomic, but a run has several; so the commit keeps what
/// it replaces until all renames succeeded, and puts it back if one fails. Where the
/// system can, each output swaps names with what it replaces (`renameat2(RENAME_EXCHANGE)`,
/// see NPYIO's `ReplacedFile`): the temporary name then holds the replaced output, which is
/// the backup, and a replaced folder never leaves its name empty. Elsewhere a hard link
/// keeps a replaced file and a replaced folder is moved aside first. Replaced files have
/// their cached pages released as soon as the run starts, and their space is freed off the
/// caller's thread, so writing over an existing output is as fast as writing a new one.
/// There is no NumPy equivalent (`np.save` writes in place).
final class OutputTransaction {
  private struct Entry {
    var destination: String
    var temporary: String
    var isDirectory: Bool
    /// The files this output replaces, held open (see `ReplacedFile`).
    var replaced: [ReplacedFile]
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
      do throws(FileError) {
        try PlatformFileCalls.makeDirectory(temporary.path)
      } catch {
        InterruptCleanup.unregister(temporary.path)
        throw .output(path: destination.path, reason: "cannot create \(temporary.path): \(error.reason)")
      }
    }
    entries.append(
      Entry(
        destination: destination.path, temporary: temporary.path, isDirectory: directory,
        replaced: Self.filesReplaced(by: destination.path)))
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
    // An interrupt waits for the renames (and any roll-back): all outputs or none.
    try InterruptCleanup.withInterruptsDeferred { () throws(ConversionError) in try renameAll() }
  }

  /// The body of ``commit()``.
  private func renameAll() throws(ConversionError) {
    var committed: [(Entry, Backup)] = []
    for entry in entries {
      if ReplacedFile.swap(entry.temporary, entry.destination) {
        // The temporary name now holds what was replaced: that is the backup.
        committed.append((entry, .swapped))
        continue
      }
      var backup: String?
      if (try? FileKind.of(entry.destination, followingSymbolicLinks: false)) != nil {
        let aside = Self.sibling(of: entry.destination, suffix: "replaced-\(tag)")
        if entry.isDirectory {
          // A folder (or a link to one) cannot be renamed over: move it aside first.
          do throws(FileError) { try PlatformFileCalls.rename(entry.destination, to: aside) } catch {
            rollBack(committed)
            throw .output(path: entry.destination, reason: error.reason)
          }
          backup = aside
        } else {
          // A hard link keeps the replaced file (no data copied); losing it on an
          // interrupt is harmless, so it is registered for removal.
          InterruptCleanup.register(aside)
          if (try? PlatformFileCalls.link(entry.destination, as: aside)) != nil {
            backup = aside
          } else {
            InterruptCleanup.unregister(aside)
          }
        }
      }
      do throws(FileError) { try PlatformFileCalls.rename(entry.temporary, to: entry.destination) } catch {
        if let backup, entry.isDirectory {
          try? PlatformFileCalls.rename(backup, to: entry.destination)
        } else if let backup {
          try? PlatformFileCalls.unlink(backup); InterruptCleanup.unregister(backup)
        }
        rollBack(committed)
        throw .output(path: entry.destination, reason: error.reason)
      }
      InterruptCleanup.unregister(entry.temporary)
      committed.append((entry, backup.map { .kept(at: $0) } ?? .nothing))
    }
    isDone = true
    for (entry, backup) in committed {
      switch backup {
      case .swapped:
        Self.remove(entry.temporary)
        InterruptCleanup.unregister(entry.temporary)
      case .kept(let path):
        Self.remove(path)
        InterruptCleanup.unregister(path)
      case .nothing:
        break
      }
    }
    // Closing the replaced files frees their space, off this thread (ReplacedFile).
    for index in entries.indices { entries[index].replaced = [] }
  }

  /// Where a committed output keeps what it replaced until the whole commit succeeded.
  private enum Backup {
    /// Nothing was there.
    case nothing
    /// Swapped: the entry's temporary name holds it.
    case swapped
    /// A hard link to the replaced file, or the replaced folder moved aside, at this path.
    case kept(at: String)
  }

  /// The existing files an output at `path` replaces, opened so that their cached pages
  /// are released now: the file itself, or the files directly inside a folder.
  private static func filesReplaced(by path: String) -> [ReplacedFile] {
    if let file = ReplacedFile(replacing: path) { return [file] }
    guard (try? FileKind.of(path, followingSymbolicLinks: false)) == .directory,
      let names = try? FileManager.default.contentsOfDirectory(atPath: path)
    else { return [] }
    return names.compactMap { ReplacedFile(replacing: path + "/" + $0) }
  }

  /// Puts back what the committed entries replaced, then removes every temporary.
  private func rollBack(_ committed: [(Entry, Backup)]) {
    for (entry, backup) in committed.reversed() {
      switch backup {
      case .swapped:
        // Swap back: the new output returns to the temporary name, which abort() removes.
        if !PlatformFileCalls.exchange(entry.temporary, entry.destination) {
          Self.remove(entry.destination)
          try? PlatformFileCalls.rename(entry.temporary, to: entry.destination)
        }
      case .kept(let path):
        if entry.isDirectory { Self.remove(entry.destination) }
        try? PlatformFileCalls.rename(path, to: entry.destination)
        InterruptCleanup.unregister(path)
      case .nothing:
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

  /// Removes the file, link or whole folder at `path` (not following a final link).
  private static func remove(_ path: String) {
    guard let kind = try? FileKind.of(path, followingSymbolicLinks: false) else { return }
    if kind == .directory {
      try? FileManager.default.removeItem(atPath: path)
    } else {
      try? PlatformFileCalls.unlink(path)
    }
  }
}
