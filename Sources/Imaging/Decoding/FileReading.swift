#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file with POSIX calls, so a failure carries the system's reason
/// ("No such file or directory", "Is a directory").
enum FileReading {
  /// Files over `maxBytes` are refused before anything is read (a sparse file can claim gigabytes).
  static func readAll(_ path: String, maxBytes: Int) throws -> [UInt8] {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below then refuses it.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw ImageError.unreadable(file: path, reason: reason()) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw ImageError.unreadable(file: path, reason: reason()) }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
      let kind = (status.st_mode & S_IFMT) == S_IFIFO ? "a FIFO (named pipe)"
        : (status.st_mode & S_IFMT) == S_IFDIR ? "a folder" : "a device or socket"
      throw ImageError.unreadable(file: path, reason: "not a regular file (\(kind))")
    }
    let size = Int(status.st_size)
    guard size <= maxBytes else {
      throw ImageError.tooLarge(file: path, message: "file of \(size) bytes is larger than the \(maxBytes)-byte limit for one image")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let n = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + done, size - done) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ImageError.unreadable(file: path, reason: reason())
      }
      if n == 0 { break }  // the file shrank while we read it
      done += n
    }
    if done < size { bytes.removeLast(size - done) }
    return bytes
  }

  static func reason() -> String { String(cString: strerror(errno)) }
}
