import CZlib

/// The bytes of one zip member, read in order from its place in the archive: stored bytes
/// as they are, deflated ones inflated. Enforces the declared uncompressed size while
/// reading (so a zip bomb cannot take memory) and checks the CRC-32 when the member has been
/// read to its end.
final class MemberByteSource: ByteSource {
  private let file: NPYFile
  private let archive: String
  private let member: String
  private let declaredSize: Int
  private let declaredCRC: UInt32
  private var compressedOffset: Int
  private var compressedRemaining: Int
  private let deflated: Bool
  private var produced = 0
  private var crc: UInt32 = 0
  private var streamEnded = false
  private var stream: UnsafeMutablePointer<z_stream>?
  private var input: UnsafeMutableRawBufferPointer
  private var inputStart = 0
  private var inputEnd = 0

  init(
    file: NPYFile, archive: String, member: String, dataOffset: Int, compressedSize: Int,
    uncompressedSize: Int, crc: UInt32, deflated: Bool
  ) throws {
    self.file = file
    self.archive = archive
    self.member = member
    self.compressedOffset = dataOffset
    self.compressedRemaining = compressedSize
    self.declaredSize = uncompressedSize
    self.declaredCRC = crc
    self.deflated = deflated
    input = .allocate(byteCount: deflated ? 1 << 18 : 0, alignment: 16)
    if deflated {
      let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
      s.initialize(to: z_stream())
      let code = CZlib_inflateInit2(s, -15)
      guard code == Z_OK else {
        s.deallocate()
        input.deallocate()
        throw NPZError.inflateFailed(file: archive, member: member, code: code, message: "inflateInit2")
      }
      stream = s
    }
  }

  deinit {
    if let stream {
      inflateEnd(stream)
      stream.deallocate()
    }
    input.deallocate()
  }

  /// Bytes still to come according to the declared size.
  var remainingDeclared: Int { declaredSize - produced }

  func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard buffer.count > 0 else { return 0 }
    let wanted = min(buffer.count, declaredSize - produced)
    if wanted == 0 {
      try checkEnd()
      return 0
    }
    let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted])
    let n = deflated ? try inflate(into: target) : try readStored(into: target)
    if n == 0 {
      throw NPZError.sizeMismatch(
        file: archive, member: member, declared: declaredSize, found: "only \(produced) bytes")
    }
    crc = CRC32.update(crc, UnsafeRawBufferPointer(rebasing: target[0..<n]))
    produced += n
    if produced == declaredSize { try checkEnd() }
    return n
  }

  /// Reads the member to its end (discarding) and verifies its size and CRC.
  func drainAndVerify() throws {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { scratch.deallocate() }
    while try readSome(into: scratch) > 0 {}
  }

  private var verified = false
  private func checkEnd() throws {
    guard !verified else { return }
    if deflated && !streamEnded {
      // The stream must end exactly here: one more byte of output is a size lie.
      var probe: UInt8 = 0
      let extra = try withUnsafeMutableBytes(of: &probe) { try inflate(into: $0) }
      if extra > 0 || !streamEnded {
        throw NPZError.sizeMismatch(
          file: archive, member: member, declared: declaredSize,
          found: extra > 0 ? "more data" : "a deflate stream that does not end")
      }
    }
    verified = true
    guard crc == declaredCRC else {
      throw NPZError.crcMismatch(file: archive, member: member, declared: declaredCRC, computed: crc)
    }
  }

  private func readStored(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let length = min(buffer.count, compressedRemaining)
    guard length > 0 else { return 0 }
    let n = try file.read(
      into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), fromAbsoluteOffset: compressedOffset)
    compressedOffset += n
    compressedRemaining -= n
    return n
  }

  private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let stream, !streamEnded else { return 0 }
    var written = 0
    while written < buffer.count {
      if inputStart == inputEnd && compressedRemaining > 0 {
        let length = min(input.count, compressedRemaining)
        let n = try file.read(
          into: UnsafeMutableRawBufferPointer(rebasing: input[0..<length]), fromAbsoluteOffset: compressedOffset)
        if n == 0 {
          throw NPZError.malformedArchive(
            file: archive, reason: "member \(member) ends before its declared compressed size")
        }
        compressedOffset += n
        compressedRemaining -= n
        inputStart = 0
        inputEnd = n
      }
      let chunk = min(buffer.count - written, Int(UInt32.max / 2))
      stream.pointee.next_in = (input.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_in = uInt(inputEnd - inputStart)
      stream.pointee.next_out = (buffer.baseAddress! + written).assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(chunk)
      let code = CZlib.inflate(stream, Z_NO_FLUSH)
      let consumed = (inputEnd - inputStart) - Int(stream.pointee.avail_in)
      let out = chunk - Int(stream.pointee.avail_out)
      inputStart += consumed
      written += out
      stream.pointee.next_in = nil
      stream.pointee.next_out = nil
      switch code {
      case Z_STREAM_END:
        streamEnded = true
        return written
      case Z_OK:
        continue
      case Z_BUF_ERROR where inputStart == inputEnd && compressedRemaining == 0:
        throw NPZError.sizeMismatch(
          file: archive, member: member, declared: declaredSize,
          found: "a deflate stream cut short after \(produced + written) bytes")
      case Z_BUF_ERROR:
        continue
      default:
        let message = stream.pointee.msg.map { String(cString: $0) } ?? String(cString: zError(code))
        throw NPZError.inflateFailed(file: archive, member: member, code: code, message: message)
      }
    }
    return written
  }
}
