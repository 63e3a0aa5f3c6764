import Dispatch
import _FileSystem

/// The existing regular file that an ``AtomicOutputFile`` will replace, held open from the
/// start of the write so that getting rid of it costs the writer nothing.
///
/// Replacing a large file with `rename(2)` was 2.2× slower than writing a new one (issue 9
/// item 8: 3670 images into a 2.2 GB `.npy`). `perf` showed three costs, all gone here:
/// - the old file's page cache stayed resident while the new file was written, so every
///   new page came from memory not touched recently (on this VM the host hands such pages
///   back lazily: `copy_folio_from_iter_atomic` ran 4.6× slower). ``init(replacing:)``
///   drops the old pages (`POSIX_FADV_DONTNEED`) on a background thread at once, so the
///   new file reuses that memory;
/// - ext4's replace-via-rename heuristic (`auto_da_alloc`) starts writeback of the whole
///   new file inside `rename`, waiting on the disk queue. Swapping the names with
///   `renameat2(RENAME_EXCHANGE)` is just as atomic for readers and skips it (like a
///   write to a new name, the data then reaches the disk with normal writeback; nothing
///   here calls `fsync`);
/// - the last link of the old inode went inside `rename`, which then freed its pages and
///   blocks. The old file is unlinked while this object still holds it open, and the
///   descriptor is closed on a background thread.
///
/// NumPy's `np.save` truncates and rewrites in place: no atomicity and no second copy.
package final class ReplacedFile: @unchecked Sendable {
  private let file: OpenFile<FileError>

  /// Opens `path` if it is an existing regular file (not following a symbolic link: a
  /// rename replaces the link, not its target) and starts releasing its cached pages.
  /// nil when there is nothing to replace or it cannot be opened; that only costs speed.
  package init?(replacing path: String) {
    guard let file = try? OpenFile<FileError>.openRegularFile(path, followingSymbolicLinks: false) else { return nil }
    self.file = file
    DispatchQueue.global(qos: .utility).async { [file] in
      // Dirty pages stay (writeback starts); clean ones go back to the free lists now.
      PlatformFileCalls.releaseCachedPages(file.descriptor)
    }
  }

  deinit {
    // Closing the last reference frees the old inode's blocks: off the caller's thread.
    DispatchQueue.global(qos: .utility).async { [file] in try? file.close() }
  }

  /// Atomically puts `temporaryPath` at `destination`, whose file (this one) then has no
  /// name left. Returns false, having changed nothing, when the swap is unavailable (not
  /// Linux, a filesystem without `RENAME_EXCHANGE`, or the destination vanished); the caller
  /// then uses `rename(2)`, which reports any real error.
  func exchange(_ temporaryPath: String, into destination: String) -> Bool {
    guard Self.swap(temporaryPath, destination) else { return false }
    try? PlatformFileCalls.unlink(temporaryPath)
    return true
  }

  /// Swaps the names `temporaryPath` and `destination` (`renameat2(RENAME_EXCHANGE)`), so
  /// that the temporary name then holds what was at the destination. Returns false, having
  /// changed nothing, where the swap is unavailable or the destination is missing, and when
  /// a folder would end up where a file was: `rename(2)` refuses that, so callers fall
  /// back to it and let it say so.
  package static func swap(_ temporaryPath: String, _ destination: String) -> Bool {
    let newKind = try? FileKind.of(temporaryPath, followingSymbolicLinks: false)
    guard PlatformFileCalls.exchange(temporaryPath, destination) else { return false }
    let oldKind = try? FileKind.of(temporaryPath, followingSymbolicLinks: false)
    if (oldKind == .directory) != (newKind == .directory) {
      _ = PlatformFileCalls.exchange(temporaryPath, destination)
      return false
    }
    return true
  }
}
