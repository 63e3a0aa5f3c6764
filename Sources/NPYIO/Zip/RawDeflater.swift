import CZlib

/// A zlib deflate stream producing raw deflate data (no zlib or gzip wrapper), as zip
/// members hold it. Settings match Python's `zlib.compressobj(level, DEFLATED, -15)`:
/// memory level 8, default strategy, so output is byte-identical to `zipfile`'s.
///
/// The `z_stream` is allocated separately so it never moves, and freed in `deinit`.
final class RawDeflater {
  private let stream: UnsafeMutablePointer<z_stream>
  private let file: String
  private var output: [UInt8]

  init(level: Int, file: String, outputChunk: Int = 1 << 18) throws {
    self.file = file
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    output = [UInt8](repeating: 0, count: outputChunk)
    let code = CZlib_deflateInit2(stream, Int32(level), Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)
    guard code == Z_OK else {
      stream.deallocate()
      throw NPZError.deflateFailed(file: file, code: code, message: "deflateInit2 with level \(level)")
    }
  }

  deinit {
    deflateEnd(stream)
    stream.deallocate()
  }

  /// Primes the window with up to the last 32 KiB before this stream's data (pigz's trick:
  /// independent blocks still find matches across block boundaries).
  func setDictionary(_ dictionary: UnsafeRawBufferPointer) throws {
    guard let base = dictionary.baseAddress, dictionary.count > 0 else { return }
    let code = deflateSetDictionary(stream, base.assumingMemoryBound(to: Bytef.self), uInt(dictionary.count))
    guard code == Z_OK else { throw NPZError.deflateFailed(file: file, code: code, message: "deflateSetDictionary") }
  }

  /// Compresses `input` with `flush` (`Z_NO_FLUSH`, `Z_SYNC_FLUSH`, `Z_FINISH`), passing
  /// compressed bytes to `sink` as they come.
  func compress(_ input: UnsafeRawBufferPointer, flush: Int32, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    var offset = 0
    repeat {
      let length = min(input.count - offset, Int(UInt32.max / 2))
      let last = offset + length == input.count
      let mode = last ? flush : Z_NO_FLUSH
      stream.pointee.next_in = input.baseAddress.map {
        UnsafeMutablePointer(mutating: ($0 + offset).assumingMemoryBound(to: Bytef.self))
      }
      stream.pointee.avail_in = uInt(length)
      defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
      while true {
        let produced: Int = try output.withUnsafeMutableBytes { out in
          stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
          stream.pointee.avail_out = uInt(out.count)
          let code = deflate(stream, mode)
          guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
            throw NPZError.deflateFailed(
              file: file, code: code,
              message: stream.pointee.msg.map { String(cString: $0) } ?? String(cString: zError(code)))
          }
          return out.count - Int(stream.pointee.avail_out)
        }
        if produced > 0 { try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        // Done when zlib left output space unused and has consumed all input.
        if stream.pointee.avail_out != 0 && stream.pointee.avail_in == 0 { break }
      }
      offset += length
    } while offset < input.count
  }
}
