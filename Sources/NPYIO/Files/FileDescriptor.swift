import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// An open POSIX file: reads and writes that retry on `EINTR` and report errors as
/// ``NPYError/io(file:operation:errno:)`` naming the file.
final class FileDescriptor: @unchecked Sendable {
  let fd: Int32
  let path: String
  private var isClosed = false

  private init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  /// Opens an existing regular file for reading. Anything else (a FIFO, a device, a socket,
  /// a folder) is refused: a FIFO would block the open or the read for ever.
  static func openForReading(_ path: String) throws -> FileDescriptor {
    // O_NONBLOCK so that opening a FIFO with no writer returns at once; it changes nothing
    // for regular files.
    let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
    guard fd >= 0 else { throw NPYError.io(file: path, operation: "open", errno: errno) }
    let file = FileDescriptor(fd: fd, path: path)
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw NPYError.io(file: path, operation: "stat", errno: errno) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw NPYError.notARegularFile(file: path, kind: FileDescriptor.kind(of: info.st_mode))
    }
    return file
  }

  /// What a non-regular file is, in words, for error messages.
  static func kind(of mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: return "a folder"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
  }

  /// Creates a new file that must not exist yet, readable and writable by its owner
  /// and as the umask allows for others (mode 0666 & ~umask, like Python's `open`).
  static func createExclusive(_ path: String, reportedName: String) throws -> FileDescriptor {
    let fd = path.withCString { open($0, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
    guard fd >= 0 else { throw NPYError.io(file: reportedName, operation: "create", errno: errno) }
    return FileDescriptor(fd: fd, path: reportedName)
  }

  deinit { if !isClosed { _ = systemClose(fd) } }

  func close() throws {
    guard !isClosed else { return }
    isClosed = true
    let result = systemClose(fd)
    if result != 0 { throw NPYError.io(file: path, operation: "close", errno: errno) }
  }

  /// The file size in bytes.
  func size() throws -> Int {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw NPYError.io(file: path, operation: "stat", errno: errno) }
    return Int(info.st_size)
  }

  /// Whether the path is a regular file (not a directory or device).
  func isRegularFile() throws -> Bool {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw NPYError.io(file: path, operation: "stat", errno: errno) }
    return (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Reads up to `buffer.count` bytes at the current position; 0 at end of file.
  func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = systemRead(fd, base, min(buffer.count, 1 << 30))
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw NPYError.io(file: path, operation: "read", errno: errno)
    }
  }

  /// Reads up to `buffer.count` bytes at `offset`, looping until full or end of file.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
    var done = 0
    while done < buffer.count {
      let n = pread(fd, buffer.baseAddress! + done, min(buffer.count - done, 1 << 30), off_t(offset + done))
      if n == 0 { break }
      if n < 0 {
        if errno == EINTR { continue }
        throw NPYError.io(file: path, operation: "read", errno: errno)
      }
      done += n
    }
    return done
  }

  /// Writes all of `bytes` at the current position.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      let n = systemWrite(fd, bytes.baseAddress! + done, min(bytes.count - done, 1 << 30))
      if n < 0 {
        if errno == EINTR { continue }
        throw NPYError.io(file: path, operation: "write", errno: errno)
      }
      done += n
    }
  }

  func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Writes all of `bytes` at `offset` without moving the current position.
  func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
    var done = 0
    while done < bytes.count {
      let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        throw NPYError.io(file: path, operation: "write", errno: errno)
      }
      done += n
    }
  }

  /// Reserves disk blocks for the first `byteCount` bytes and sets the file's size to
  /// `byteCount` (`fallocate(2)` mode 0 on Linux; nothing elsewhere). Returns whether it did;
  /// the caller must then write all of them or ``truncate(to:)`` to what it wrote.
  ///
  /// Writing into reserved blocks inside the file's size is markedly faster on ext4 than
  /// delayed allocation page by page, and a full disk is reported here, before any data is
  /// written. (Reserving without changing the size, `FALLOC_FL_KEEP_SIZE`, is slower: each
  /// page written then updates the on-disk size through the journal.) Filesystems that cannot
  /// reserve (`EOPNOTSUPP`) are left to allocate as they write.
  func reserve(byteCount: Int) throws -> Bool {
    #if os(Linux)
    guard byteCount > 0, let fallocate = linuxFallocate else { return false }
    while fallocate(fd, 0, 0, off_t(byteCount)) != 0 {
      switch errno {
      case EINTR: continue
      case ENOSPC, EFBIG, EDQUOT: throw NPYError.io(file: path, operation: "allocate", errno: errno)
      default: return false  // EOPNOTSUPP, ENOSYS, EINVAL...: allocate while writing instead
      }
    }
    return true
    #else
    return false
    #endif
  }

  /// Cuts the file to `byteCount` bytes.
  func truncate(to byteCount: Int) throws {
    while ftruncate(fd, off_t(byteCount)) != 0 {
      if errno == EINTR { continue }
      throw NPYError.io(file: path, operation: "truncate", errno: errno)
    }
  }

  /// The current position.
  func position() throws -> Int {
    let p = lseek(fd, 0, SEEK_CUR)
    guard p >= 0 else { throw NPYError.io(file: path, operation: "seek", errno: errno) }
    return Int(p)
  }

  func seek(to offset: Int) throws {
    guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else {
      throw NPYError.io(file: path, operation: "seek", errno: errno)
    }
  }
}

#if os(Linux)
/// glibc's `fallocate(2)` wrapper, looked up at run time: the Glibc module does not declare it
/// (it needs `_GNU_SOURCE`). nil if the C library lacks it.
private let linuxFallocate: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32)? = {
  // A null handle is RTLD_DEFAULT in glibc and musl: search the loaded libraries.
  guard let symbol = dlsym(nil, "fallocate") else { return nil }
  return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32).self)
}()
#endif

@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
  return Glibc.write(fd, buffer, count)
  #elseif canImport(Darwin)
  return Darwin.write(fd, buffer, count)
  #else
  return Musl.write(fd, buffer, count)
  #endif
}

@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
  return Glibc.read(fd, buffer, count)
  #elseif canImport(Darwin)
  return Darwin.read(fd, buffer, count)
  #else
  return Musl.read(fd, buffer, count)
  #endif
}

/// Reads a file from its current position, in order.
final class FileByteSource: ByteSource {
  let file: FileDescriptor
  init(file: FileDescriptor) { self.file = file }
  func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try file.readSome(into: buffer)
  }

  /// Reads at least this many bytes with several threads at once.
  static let parallelThreshold = 64 << 20

  /// Large reads are split into pieces read concurrently with `pread` (copying from the page
  /// cache and faulting in fresh memory then run on all cores); small ones read in order.
  func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard buffer.count >= Self.parallelThreshold, cores > 1 else { return try readSequentially(into: buffer) }
    let start = try file.position()
    let pieces = min(cores, 8)
    final class Results: @unchecked Sendable {
      var counts: [Int]
      var errors: [Error?]
      init(_ n: Int) { counts = Array(repeating: 0, count: n); errors = Array(repeating: nil, count: n) }
    }
    let results = Results(pieces)
    let base = SendablePointer(raw: buffer.baseAddress!)
    let total = buffer.count
    let file = self.file
    DispatchQueue.concurrentPerform(iterations: pieces) { piece in
      // Piece boundaries on 2 MiB so each huge page is faulted by one thread.
      let align = 2 << 20
      let from = min(total, (total / pieces * piece) / align * align)
      let to = piece == pieces - 1 ? total : min(total, (total / pieces * (piece + 1)) / align * align)
      do {
        results.counts[piece] = try file.read(
          into: UnsafeMutableRawBufferPointer(start: base.raw + from, count: to - from), at: start + from)
      } catch {
        results.errors[piece] = error
      }
    }
    if let error = results.errors.compactMap({ $0 }).first { throw error }
    // Bytes count only up to the first short piece (the file ended there).
    var read = 0
    for piece in 0..<pieces {
      let align = 2 << 20
      let from = min(total, (total / pieces * piece) / align * align)
      let to = piece == pieces - 1 ? total : min(total, (total / pieces * (piece + 1)) / align * align)
      read += results.counts[piece]
      if results.counts[piece] < to - from { break }
    }
    try file.seek(to: start + read)
    return read
  }
}

@inline(__always)
func systemClose(_ fd: Int32) -> Int32 {
  #if canImport(Glibc)
  return Glibc.close(fd)
  #elseif canImport(Darwin)
  return Darwin.close(fd)
  #else
  return Musl.close(fd)
  #endif
}
