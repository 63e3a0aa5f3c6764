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

  /// Opens an existing file for reading.
  static func openForReading(_ path: String) throws -> FileDescriptor {
    let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { throw NPYError.io(file: path, operation: "open", errno: errno) }
    return FileDescriptor(fd: fd, path: path)
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
      let n = Glibc.read(fd, base, min(buffer.count, 1 << 30))
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
      let n = Glibc_write(fd, bytes.baseAddress! + done, min(bytes.count - done, 1 << 30))
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

@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
  return Glibc.write(fd, buffer, count)
  #else
  return Darwin.write(fd, buffer, count)
  #endif
}

/// Reads a file from its current position, in order.
final class FileByteSource: ByteSource {
  let file: FileDescriptor
  init(file: FileDescriptor) { self.file = file }
  func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try file.readSome(into: buffer)
  }
}

@inline(__always)
func systemClose(_ fd: Int32) -> Int32 {
  #if canImport(Glibc)
  return Glibc.close(fd)
  #else
  return Darwin.close(fd)
  #endif
}
