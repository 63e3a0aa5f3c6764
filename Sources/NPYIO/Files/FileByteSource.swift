import Dispatch
import Foundation
import _FileSystem

/// An open file whose failures are ``NPYError``s naming the path.
typealias NPYFile = OpenFile<NPYError>

/// Reads a file from its current position, in order.
final class FileByteSource: ByteSource {
  let file: NPYFile
  init(file: NPYFile) { self.file = file }
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
          into: UnsafeMutableRawBufferPointer(start: base.raw + from, count: to - from),
          fromAbsoluteOffset: start + from)
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
