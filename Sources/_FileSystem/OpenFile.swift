import SystemPackage

/// An open file and the path it is reported by: swift-system's `FileDescriptor` (which
/// retries `EINTR`) with every failure thrown as `Failure`, built from a ``FileError`` that
/// names the path and the operation. Closed when released, if not before.
///
/// The Python equivalent is a raw `io.FileIO`; NumPy reads and writes through one.
package final class OpenFile<Failure: FileErrorConvertible>: @unchecked Sendable {
  /// The descriptor, for calls this type does not wrap.
  package let descriptor: FileDescriptor
  /// The path in error messages.
  package let path: String
  /// The size `fstat(2)` gave when ``openRegularFile(_:followingSymbolicLinks:)`` checked
  /// the kind (one call for both), else nil.
  package private(set) var sizeWhenOpened: Int?
  private var isClosed = false

  private init(descriptor: FileDescriptor, path: String) {
    self.descriptor = descriptor
    self.path = path
  }

  /// Opens an existing regular file for reading. Anything else (a folder, a FIFO, a device,
  /// a socket) is refused with ``FileError/notARegularFile(path:kind:)``: a FIFO would block
  /// the open or the first read for ever, so it is opened non-blocking (which changes
  /// nothing for regular files) and checked before any read. With
  /// `followingSymbolicLinks: false`, a symbolic link is refused too (`O_NOFOLLOW`).
  package static func openRegularFile(_ path: String, followingSymbolicLinks: Bool = true) throws(Failure) -> OpenFile {
    var options: FileDescriptor.OpenOptions = [.nonBlocking, .closeOnExec]
    if !followingSymbolicLinks { options.insert(.noFollow) }
    let descriptor: FileDescriptor
    do { descriptor = try FileDescriptor.open(path, .readOnly, options: options) } catch {
      throw Failure(.failed(path: path, operation: "open", errno: thrownErrno(error)))
    }
    let file = OpenFile(descriptor: descriptor, path: path)
    let status = try file.attempt("stat") { try descriptor.stat() }
    let kind = FileKind(status.type)
    guard kind == .regular else { throw Failure(.notARegularFile(path: path, kind: kind)) }
    file.sizeWhenOpened = Int(status.size)
    return file
  }

  /// Creates a file that must not exist yet (`O_CREAT | O_EXCL`), for reading and writing,
  /// with `permissions` less the umask (0o666, as Python's `open` does, unless given).
  /// Errors name `reportedPath` (the final name, for a temporary file) with operation "create".
  package static func createNew(
    _ path: String, permissions: FilePermissions = [.ownerReadWrite, .groupReadWrite, .otherReadWrite],
    reportedPath: String? = nil
  ) throws(Failure) -> OpenFile {
    let reported = reportedPath ?? path
    do {
      let descriptor = try FileDescriptor.open(
        path, .readWrite, options: [.create, .exclusiveCreate, .closeOnExec],
        permissions: permissions)
      return OpenFile(descriptor: descriptor, path: reported)
    } catch {
      throw Failure(.failed(path: reported, operation: "create", errno: thrownErrno(error)))
    }
  }

  deinit { if !isClosed { try? descriptor.close() } }

  /// Closes the file; later calls do nothing.
  package func close() throws(Failure) {
    guard !isClosed else { return }
    isClosed = true
    try attempt("close") { try descriptor.close() }
  }

  /// What kind of file this is (`fstat(2)`).
  package func kind() throws(Failure) -> FileKind {
    try attempt("stat") { FileKind(try descriptor.stat().type) }
  }

  /// The file's size in bytes (`fstat(2)`).
  package func size() throws(Failure) -> Int {
    try attempt("stat") { Int(try descriptor.stat().size) }
  }

  /// Reads up to `buffer.count` bytes (at most 1 GiB) at the current position; 0 at the end.
  package func readSome(into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
    guard buffer.count > 0 else { return 0 }
    let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, Self.largestRead)])
    return try attempt("read") { try descriptor.read(into: piece) }
  }

  /// Reads `buffer.count` bytes at `offset` without moving the position, stopping early only
  /// at the end of the file. Returns how many were read.
  package func read(into buffer: UnsafeMutableRawBufferPointer, fromAbsoluteOffset offset: Int) throws(Failure) -> Int {
    var done = 0
    while done < buffer.count {
      let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<min(buffer.count, done + Self.largestRead)])
      let n = try attempt("read") { try descriptor.read(fromAbsoluteOffset: Int64(offset + done), into: piece) }
      if n == 0 { break }
      done += n
    }
    return done
  }

  /// Writes all of `bytes` at the current position.
  package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
    _ = try attempt("write") { try descriptor.writeAll(bytes) }
  }

  /// Writes all of `bytes` at the current position.
  package func writeAll(_ bytes: [UInt8]) throws(Failure) {
    _ = try attempt("write") { try descriptor.writeAll(bytes) }
  }

  /// Writes all of `bytes` at `offset` without moving the current position.
  package func writeAll(_ bytes: UnsafeRawBufferPointer, toAbsoluteOffset offset: Int) throws(Failure) {
    _ = try attempt("write") { try descriptor.writeAll(toAbsoluteOffset: Int64(offset), bytes) }
  }

  /// The current position.
  package func position() throws(Failure) -> Int {
    try attempt("seek") { Int(try descriptor.seek(offset: 0, from: .current)) }
  }

  /// Moves the current position to `offset`.
  package func seek(to offset: Int) throws(Failure) {
    _ = try attempt("seek") { try descriptor.seek(offset: Int64(offset), from: .start) }
  }

  /// Cuts (or extends) the file to `byteCount` bytes (`ftruncate(2)`).
  package func truncate(to byteCount: Int) throws(Failure) {
    try attempt("truncate") { try descriptor.resize(to: Int64(byteCount)) }
  }

  /// Reserves disk blocks for the first `byteCount` bytes and sets the file's size to
  /// `byteCount` (see ``PlatformFileCalls/reserve(_:byteCount:)``). Returns whether it did;
  /// the caller must then write all of them or ``truncate(to:)`` to what it wrote.
  package func reserve(byteCount: Int) throws(Failure) -> Bool {
    do throws(Errno) { return try PlatformFileCalls.reserve(descriptor, byteCount: byteCount) } catch {
      throw Failure(.failed(path: path, operation: "allocate", errno: error))
    }
  }

  /// Maps the first `byteCount` bytes read-only (`mmap(2)`); release with
  /// ``PlatformFileCalls/unmap(_:byteCount:)``. The mapping outlives the descriptor.
  package func mapReadOnly(byteCount: Int) throws(Failure) -> UnsafeMutableRawPointer {
    do throws(Errno) { return try PlatformFileCalls.mapReadOnly(descriptor, byteCount: byteCount) } catch {
      throw Failure(.failed(path: path, operation: "mmap", errno: error))
    }
  }

  /// Reads and writes go in pieces of at most 1 GiB (Linux moves at most 2 GiB - 4 KiB per
  /// call; Darwin refuses counts over `INT_MAX`).
  private static var largestRead: Int { 1 << 30 }

  private func attempt<T>(_ operation: String, _ body: () throws -> T) throws(Failure) -> T {
    do { return try body() } catch {
      throw Failure(.failed(path: path, operation: operation, errno: thrownErrno(error)))
    }
  }
}

/// The `Errno` a swift-system call threw (they throw nothing else).
private func thrownErrno(_ error: any Error) -> Errno {
  (error as? Errno) ?? .ioError
}
