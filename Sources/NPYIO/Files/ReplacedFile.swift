import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

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
final class ReplacedFile: @unchecked Sendable {
  private let descriptor: Int32

  /// Opens `path` if it is an existing regular file (not following a symbolic link: a
  /// rename replaces the link, not its target) and starts releasing its cached pages.
  /// nil when there is nothing to replace or it cannot be opened; that only costs speed.
  init?(replacing path: String) {
    let fd = path.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
    guard fd >= 0 else { return nil }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      _ = systemClose(fd)
      return nil
    }
    descriptor = fd
    #if os(Linux)
    DispatchQueue.global(qos: .utility).async { [self] in
      // Dirty pages stay (writeback starts); clean ones go back to the free lists now.
      _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
    }
    #endif
  }

  deinit {
    // Closing the last reference frees the old inode's blocks: off the caller's thread.
    let fd = descriptor
    DispatchQueue.global(qos: .utility).async { _ = systemClose(fd) }
  }

  /// Atomically puts `temporaryPath` at `destination`, whose file (this one) then has no
  /// name left. Returns false, having changed nothing, when the swap is unavailable (not
  /// Linux, a filesystem without `RENAME_EXCHANGE`, or the destination vanished); the caller
  /// then uses `rename(2)`, which reports any real error.
  func exchange(_ temporaryPath: String, into destination: String) -> Bool {
    #if os(Linux)
    guard let renameat2 = linuxRenameat2 else { return false }
    let exchange: UInt32 = 2  // RENAME_EXCHANGE
    let swapped = temporaryPath.withCString { from in
      destination.withCString { to in renameat2(AT_FDCWD, from, AT_FDCWD, to, exchange) }
    }
    guard swapped == 0 else { return false }
    // The temporary name now holds whatever was at the destination. rename(2) refuses to
    // put a file over a folder; if one appeared there since init, swap back and let it say so.
    var info = stat()
    if lstat(temporaryPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      _ = temporaryPath.withCString { from in
        destination.withCString { to in renameat2(AT_FDCWD, from, AT_FDCWD, to, exchange) }
      }
      return false
    }
    _ = temporaryPath.withCString { unlink($0) }
    return true
    #else
    return false
    #endif
  }
}

#if os(Linux)
/// glibc's `renameat2(2)` wrapper, looked up at run time like `fallocate` (the Glibc module
/// does not declare it). nil if the C library lacks it (glibc < 2.28).
private let linuxRenameat2: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
  guard let symbol = dlsym(nil, "renameat2") else { return nil }
  return unsafeBitCast(
    symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)
}()
#endif
