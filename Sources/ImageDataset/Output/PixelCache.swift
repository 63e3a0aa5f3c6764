import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file of fixed-size `uint8` images: appended in order during the first pass
/// of dataset statistics, read back by index in the second. The file has no name while it
/// is in use (unlinked after creation), so it disappears when released or when the process dies.
final class PixelCache: @unchecked Sendable {
  let url: URL
  let imageBytes: Int
  private let descriptor: Int32
  private(set) var imageCount = 0

  init(url: URL, imageBytes: Int) throws(ConversionError) {
    self.url = url
    self.imageBytes = imageBytes
    descriptor = open(url.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    if descriptor < 0 {
      throw .output(path: url.path, reason: "cannot create temporary file: \(String(cString: strerror(errno)))")
    }
    // Unlinked at once: the data lives as long as the descriptor, and nothing is left
    // behind even if the process is killed.
    unlink(url.path)
  }

  deinit {
    close(descriptor)
  }

  func append(_ pixels: UnsafeRawBufferPointer) throws(ConversionError) {
    precondition(pixels.count == imageBytes, "image of \(pixels.count) bytes in a cache of \(imageBytes)-byte images")
    var written = 0
    while written < pixels.count {
      let n = pwrite(descriptor, pixels.baseAddress! + written, pixels.count - written,
                     off_t(imageCount * imageBytes + written))
      if n <= 0 {
        if n < 0 && errno == EINTR { continue }
        throw .output(path: url.path, reason: "cannot write temporary file: \(String(cString: strerror(errno)))")
      }
      written += n
    }
    imageCount += 1
  }

  /// Reads image `index` (safe from several threads at once).
  func read(_ index: Int) throws(ConversionError) -> [UInt8] {
    var failure: ConversionError?
    let buffer = [UInt8](unsafeUninitializedCapacity: imageBytes) { raw, initialized in
      var done = 0
      while done < imageBytes {
        let n = pread(descriptor, raw.baseAddress! + done, imageBytes - done, off_t(index * imageBytes + done))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 {
          failure = .output(path: url.path, reason: "temporary file ended early or failed to read")
          break
        }
        done += n
      }
      if done < imageBytes { raw.baseAddress!.update(repeating: 0, count: imageBytes) }
      initialized = imageBytes
    }
    if let failure { throw failure }
    return buffer
  }
}
