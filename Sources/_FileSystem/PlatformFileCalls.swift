import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The few file calls swift-system 1.8.1 does not wrap: `fallocate`, `posix_fadvise`,
/// `renameat2`, `mmap`, plus `rename`, `unlink`, `link`, `mkdir`, `realpath` and `access`. The only place in the file layer that
/// touches the C library directly; every call here retries `EINTR` where it can occur.
package enum PlatformFileCalls {
  /// Reserves disk blocks for the first `byteCount` bytes of `fd` and sets its size to
  /// `byteCount` (`fallocate(2)` mode 0). Returns false where the filesystem or platform
  /// cannot (the caller then lets the filesystem allocate as it writes); throws only for
  /// a full disk, a file-size limit or a quota (`ENOSPC`, `EFBIG`, `EDQUOT`).
  package static func reserve(_ fd: FileDescriptor, byteCount: Int) throws(Errno) -> Bool {
    #if os(Linux)
    guard byteCount > 0, let fallocate = linuxFallocate else { return false }
    while fallocate(fd.rawValue, 0, 0, off_t(byteCount)) != 0 {
      switch Errno(rawValue: errno) {
      case .interrupted: continue
      case .noSpace, .fileTooLarge, .diskQuotaExceeded: throw Errno(rawValue: errno)
      default: return false  // EOPNOTSUPP, ENOSYS, EINVAL...: allocate while writing instead
      }
    }
    return true
    #else
    return false
    #endif
  }

  /// Drops the clean cached pages of `fd` (`posix_fadvise(POSIX_FADV_DONTNEED)`); dirty
  /// ones start writeback and stay. Only a hint: nothing is reported.
  package static func releaseCachedPages(_ fd: FileDescriptor) {
    #if os(Linux)
    _ = posix_fadvise(fd.rawValue, 0, 0, Int32(POSIX_FADV_DONTNEED))
    #endif
  }

  /// Maps the first `byteCount` bytes of `fd` read-only and shared (`mmap(2)`).
  package static func mapReadOnly(_ fd: FileDescriptor, byteCount: Int) throws(Errno) -> UnsafeMutableRawPointer {
    let mapped = mmap(nil, byteCount, PROT_READ, MAP_SHARED, fd.rawValue, 0)
    guard let mapped, mapped != MAP_FAILED else { throw Errno(rawValue: errno) }
    return mapped
  }

  /// Removes a mapping made by ``mapReadOnly(_:byteCount:)``.
  package static func unmap(_ start: UnsafeMutableRawPointer, byteCount: Int) {
    _ = munmap(start, byteCount)
  }

  /// Drops the pages of `byteCount` bytes from `start` (page-aligned) of a read-only file
  /// mapping from this process (`madvise(MADV_DONTNEED)`): the file's data stays in the page
  /// cache and is read again if touched, but the process's resident size stops counting it.
  package static func releaseMappedPages(_ start: UnsafeRawPointer, byteCount: Int) {
    _ = madvise(UnsafeMutableRawPointer(mutating: start), byteCount, Int32(MADV_DONTNEED))
  }

  /// Renames `source` onto `destination`, replacing it (`rename(2)`). Failures name
  /// `destination`, operation "rename".
  package static func rename(_ source: String, to destination: String) throws(FileError) {
    let result = source.withCString { from in destination.withCString { to in system_rename(from, to) } }
    guard result == 0 else { throw .lastFailure(path: destination, operation: "rename") }
  }

  /// Atomically swaps the files at two paths (`renameat2(RENAME_EXCHANGE)`). Returns false,
  /// having changed nothing, where that is unavailable (not Linux, glibc < 2.28, a
  /// filesystem without it) or either path is missing.
  package static func exchange(_ first: String, _ second: String) -> Bool {
    #if os(Linux)
    guard let renameat2 = linuxRenameat2 else { return false }
    let renameExchange: UInt32 = 2
    return first.withCString { a in
      second.withCString { b in renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) }
    } == 0
    #else
    return false
    #endif
  }

  /// Removes the name `path` (`unlink(2)`); the file lives on while it is open.
  package static func unlink(_ path: String) throws(FileError) {
    guard path.withCString({ system_unlink($0) }) == 0 else { throw .lastFailure(path: path, operation: "remove") }
  }

  /// Gives the file at `existing` the further name `newName` (`link(2)`, a hard link):
  /// no data is copied, and the file lives on under `newName` if `existing` is replaced.
  /// Failures name `newName`, operation "link".
  package static func link(_ existing: String, as newName: String) throws(FileError) {
    let result = existing.withCString { from in newName.withCString { to in system_link(from, to) } }
    guard result == 0 else { throw .lastFailure(path: newName, operation: "link") }
  }

  /// Creates the folder `path` (`mkdir(2)`) with mode 0o777 less the umask, as Python's
  /// `os.mkdir` does.
  package static func makeDirectory(_ path: String) throws(FileError) {
    guard path.withCString({ system_mkdir($0) }) == 0 else { throw .lastFailure(path: path, operation: "create") }
  }

  /// The absolute path of `path` with every symbolic link, `.` and `..` resolved
  /// (`realpath(3)`; Python's `os.path.realpath(strict=True)`). Every component must exist.
  package static func realPath(_ path: String) throws(FileError) -> String {
    guard let resolved = realpath(path, nil) else { throw .lastFailure(path: path, operation: "resolve") }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Throws unless the process may create and remove names in the folder `path`
  /// (`access(2)` with `W_OK | X_OK`; Python's `os.access(path, os.W_OK | os.X_OK)`).
  package static func checkCanWriteInto(_ path: String) throws(FileError) {
    guard access(path, W_OK | X_OK) == 0 else { throw .lastFailure(path: path, operation: "access") }
  }
}

extension FileError {
  /// The failure of the C call that just returned, from `errno`.
  static func lastFailure(path: String, operation: String) -> FileError {
    .failed(path: path, operation: operation, errno: Errno(rawValue: errno))
  }

  /// The system's text for the `errno` value `code` (`strerror(3)`): "No such file or directory".
  package static func text(errno code: Int32) -> String { Errno(rawValue: code).description }
}

@inline(__always)
private func system_rename(_ from: UnsafePointer<CChar>, _ to: UnsafePointer<CChar>) -> Int32 {
  rename(from, to)
}

@inline(__always)
private func system_link(_ from: UnsafePointer<CChar>, _ to: UnsafePointer<CChar>) -> Int32 {
  link(from, to)
}

@inline(__always)
private func system_mkdir(_ path: UnsafePointer<CChar>) -> Int32 {
  mkdir(path, 0o777)
}

@inline(__always)
private func system_unlink(_ path: UnsafePointer<CChar>) -> Int32 {
  unlink(path)
}

#if os(Linux)
/// glibc's `fallocate(2)` and `renameat2(2)` wrappers, looked up at run time: the Glibc
/// module does not declare them (they need `_GNU_SOURCE`). nil if the C library lacks one.
/// A null handle is RTLD_DEFAULT in glibc and musl: search the loaded libraries.
private let linuxFallocate: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32)? = {
  guard let symbol = dlsym(nil, "fallocate") else { return nil }
  return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32).self)
}()

private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
private let linuxRenameat2: Renameat2? = {
  guard let symbol = dlsym(nil, "renameat2") else { return nil }
  return unsafeBitCast(symbol, to: Renameat2.self)
}()
#endif
