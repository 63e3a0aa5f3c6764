import _FileSystem

/// Reads a whole image file through the file layer, so a failure carries the system's reason
/// ("No such file or directory") or the kind of file found instead ("not a regular file
/// (a folder)").
enum FileReading {
  /// Files over `maxBytes` are refused before anything is read (a sparse file can claim gigabytes).
  static func readAll(_ path: String, maxBytes: Int) throws -> [UInt8] {
    do {
      let file = try OpenFile<FileError>.openRegularFile(path)
      let size = try file.sizeWhenOpened ?? file.size()
      guard size <= maxBytes else {
        throw ImageError.tooLarge(
          file: path, message: "file of \(size) bytes is larger than the \(maxBytes)-byte limit for one image")
      }
      var bytes = [UInt8](repeating: 0, count: size)
      let done = try bytes.withUnsafeMutableBytes { try file.read(into: $0, fromAbsoluteOffset: 0) }
      if done < size { bytes.removeLast(size - done) }  // the file shrank while we read it
      return bytes
    } catch let error as FileError {
      throw ImageError.unreadable(file: path, reason: error.reason)
    }
  }
}
