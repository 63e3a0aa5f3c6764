import Foundation
import _FileSystem

/// A temporary file of fixed-size `uint8` images: appended in order during the first pass
/// of dataset statistics, read back by index in the second. The file has no name while it
/// is in use (unlinked after creation), so it disappears when released or when the process dies.
///
/// A cache of at most ``inMemoryLimit`` bytes (the plan's image count times the image size)
/// stays in memory instead: a file costs two system calls and a copy per image, which on
/// 20,000 CIFAR-sized images is a tenth of the run.
final class PixelCache: @unchecked Sendable {
  /// The largest cache kept in memory: 128 MiB (42,000 images of 32×32×3).
  static let inMemoryLimit = 128 << 20

  let url: URL
  let imageBytes: Int
  /// The temporary file; nil when the cache is in memory.
  private let file: OpenFile<FileError>?
  private(set) var imageCount = 0
  /// Appended images not yet written, gathered into writes of about 1 MiB (small images
  /// would otherwise cost one system call each); in memory, all of them, never written.
  private var pending: [UInt8] = []
  private var pendingOffset = 0

  /// A cache of images of `imageBytes` bytes; `expectedImages`: how many the run may
  /// append at most (in memory when they fit in ``inMemoryLimit``).
  init(url: URL, imageBytes: Int, expectedImages: Int) throws(ConversionError) {
    self.url = url
    self.imageBytes = imageBytes
    let (total, overflow) = imageBytes.multipliedReportingOverflow(by: expectedImages)
    if !overflow && total <= Self.inMemoryLimit {
      file = nil
      pending.reserveCapacity(total)
      return
    }
    do throws(FileError) {
      file = try OpenFile<FileError>.createNew(url.path, permissions: .ownerReadWrite)
    } catch {
      throw .output(path: url.path, reason: "cannot create temporary file: \(error.reason)")
    }
    // Unlinked at once: the data lives as long as the descriptor, and nothing is left
    // behind even if the process is killed.
    try? PlatformFileCalls.unlink(url.path)
  }

  func append(_ pixels: UnsafeRawBufferPointer) throws(ConversionError) {
    precondition(pixels.count == imageBytes, "image of \(pixels.count) bytes in a cache of \(imageBytes)-byte images")
    if pending.isEmpty { pendingOffset = imageCount * imageBytes }
    pending.append(contentsOf: pixels)
    imageCount += 1
    if file != nil && pending.count >= 1 << 20 { try flush() }
  }

  /// Writes the images appended since the last flush (in memory: nothing to do); call
  /// before ``read(_:)``.
  func flush() throws(ConversionError) {
    guard !pending.isEmpty, let file else { return }
    let failure = pending.withUnsafeBytes { raw -> FileError? in
      do throws(FileError) {
        try file.writeAll(raw, toAbsoluteOffset: pendingOffset)
        return nil
      } catch { return error }
    }
    if let failure { throw .output(path: url.path, reason: "cannot write temporary file: \(failure.reason)") }
    pending.removeAll(keepingCapacity: true)
  }

  /// Reads image `index` (safe from several threads at once, after ``flush()``).
  func read(_ index: Int) throws(ConversionError) -> [UInt8] {
    guard let file else {
      guard index >= 0, index < imageCount else {
        throw .output(path: url.path, reason: "image \(index) is not in the cache")
      }
      return Array(pending[(index * imageBytes)..<((index + 1) * imageBytes)])
    }
    var done = 0
    let buffer = [UInt8](unsafeUninitializedCapacity: imageBytes) { raw, initialized in
      done = (try? file.read(into: UnsafeMutableRawBufferPointer(raw), fromAbsoluteOffset: index * imageBytes)) ?? 0
      if done < imageBytes { raw.baseAddress!.update(repeating: 0, count: imageBytes) }
      initialized = imageBytes
    }
    guard done == imageBytes else {
      throw .output(path: url.path, reason: "temporary file ended early or failed to read")
    }
    return buffer
  }
}
