/// Something bytes can be read from in order: a file, or a member of a zip archive being
/// inflated. Lets one `.npy` decoder serve `.npy` files and `.npz` members.
protocol ByteSource: AnyObject {
  /// Reads up to `buffer.count` bytes into `buffer`; returns how many, 0 only at the end.
  func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
  /// Reads until `buffer` is full or the source ends; returns how many bytes were read.
  func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
  /// Reads until `buffer` is full or the source ends; returns how many bytes were read.
  func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try readSequentially(into: buffer)
  }

  /// ``readFully(into:)`` by repeated ``readSome(into:)``.
  func readSequentially(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    var filled = 0
    while filled < buffer.count {
      let n = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      if n == 0 { break }
      filled += n
    }
    return filled
  }

  /// Reads exactly `count` bytes, or fewer if the source ends first.
  func readBytes(_ count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let n = try bytes.withUnsafeMutableBytes { try readFully(into: $0) }
    bytes.removeSubrange(n...)
    return bytes
  }
}
