import Foundation
import _FileSystem

/// A temporary file of fixed-size `uint8` images: appended in order during the first pass
/// of dataset statistics, read back by index in the second. The file has no name while it
/// is in use (unlinked after creation), so it disappears when released or when the process dies.
final class PixelCache: @unchecked Sendable {
  let url: URL
  let imageBytes: Int
  private let file: OpenFile<FileError>
  private(set) var imageCount = 0

  init(url: URL, imageBytes: Int) throws(ConversionError) {
    self.url = url
    self.imageBytes = imageBytes
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
    do throws(FileError) {
      try file.writeAll(pixels, toAbsoluteOffset: imageCount * imageBytes)
    } catch {
      throw .output(path: url.path, reason: "cannot write temporary file: \(error.reason)")
    }
    imageCount += 1
  }

  /// Reads image `index` (safe from several threads at once).
  func read(_ index: Int) throws(ConversionError) -> [UInt8] {
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
