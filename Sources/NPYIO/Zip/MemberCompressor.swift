import CZlib
import Dispatch
import Foundation

/// Compresses one zip member's bytes as they arrive, and computes their CRC-32.
///
/// Small members go through one deflate stream: the bytes are exactly what Python's
/// `zipfile` (and so `np.savez_compressed`) writes. Large members are cut into blocks
/// deflated on all cores, each primed with the 32 KiB before it, ended with a sync flush
/// (the last with a finish), and concatenated: one valid deflate stream, as pigz makes.
/// The CRC of the blocks is joined with `crc32_combine`. Memory stays bounded by one batch.
final class MemberCompressor {
  /// Members at least this large are deflated in parallel.
  static let parallelThreshold = 4 << 20
  static let blockSize = 1 << 20
  static let dictionarySize = 32 << 10

  private let level: Int
  private let file: String
  private let sink: (UnsafeRawBufferPointer) throws -> Void
  private(set) var crc: UInt32 = 0
  private(set) var uncompressedCount = 0

  // Serial mode.
  private var deflater: RawDeflater?
  // Parallel mode.
  private let parallel: Bool
  private let batchBlocks: Int
  private var buffer: UnsafeMutableRawBufferPointer
  private var buffered = 0
  private var dictionary: [UInt8] = []

  /// `expectedSize` (the member's total uncompressed size, if known) picks the mode.
  init(level: Int, expectedSize: Int?, file: String, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
    self.level = level
    self.file = file
    self.sink = sink
    let cores = ProcessInfo.processInfo.activeProcessorCount
    parallel = cores > 1 && (expectedSize ?? 0) >= Self.parallelThreshold
    batchBlocks = max(4, 2 * cores)
    if parallel {
      buffer = .allocate(byteCount: (batchBlocks + 1) * Self.blockSize, alignment: 64)
    } else {
      buffer = .allocate(byteCount: 0, alignment: 1)
      deflater = try RawDeflater(level: level, file: file)
    }
  }

  deinit { buffer.deallocate() }

  /// Adds bytes to the member.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard bytes.count > 0 else { return }
    uncompressedCount += bytes.count
    if let deflater {
      crc = CRC32.update(crc, bytes)
      try deflater.compress(bytes, flush: Z_NO_FLUSH, sink: sink)
      return
    }
    var offset = 0
    while offset < bytes.count {
      let room = buffer.count - buffered
      let length = min(room, bytes.count - offset)
      UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<buffered + length])
        .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
      buffered += length
      offset += length
      if buffered == buffer.count {
        // Keep the last block back: only finish() knows which block is final.
        try compressBlocks(count: batchBlocks, final: false)
      }
    }
  }

  /// Ends the deflate stream.
  func finish() throws {
    if let deflater {
      try deflater.compress(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, sink: sink)
      return
    }
    let blocks = max(1, (buffered + Self.blockSize - 1) / Self.blockSize)
    try compressBlocks(count: blocks, final: true)
  }

  /// Deflates the first `count` blocks of the buffer in parallel and writes them in order.
  private func compressBlocks(count: Int, final: Bool) throws {
    let total = final ? buffered : count * Self.blockSize
    let base = UnsafeRawBufferPointer(buffer)
    let history = dictionary
    final class Result: @unchecked Sendable {
      var outputs: [[UInt8]]
      var crcs: [UInt32]
      var errors: [Error?]
      init(_ n: Int) {
        outputs = Array(repeating: [], count: n); crcs = Array(repeating: 0, count: n);
        errors = Array(repeating: nil, count: n)
      }
    }
    let result = Result(count)
    let level = self.level, file = self.file
    let sendableBase = SendablePointer(raw: UnsafeMutableRawPointer(mutating: base.baseAddress!))
    DispatchQueue.concurrentPerform(iterations: count) { index in
      let start = index * Self.blockSize
      let end = min(total, start + Self.blockSize)
      let block = UnsafeRawBufferPointer(start: sendableBase.raw + start, count: end - start)
      do {
        let deflater = try RawDeflater(
          level: level, file: file, outputChunk: max(1 << 16, block.count + block.count / 8 + 1024))
        if index == 0 {
          try history.withUnsafeBytes { try deflater.setDictionary($0) }
        } else {
          let dictStart = max(0, start - Self.dictionarySize)
          try deflater.setDictionary(
            UnsafeRawBufferPointer(start: sendableBase.raw + dictStart, count: start - dictStart))
        }
        var out: [UInt8] = []
        out.reserveCapacity(block.count + block.count / 8 + 1024)
        let isLast = final && index == count - 1
        try deflater.compress(block, flush: isLast ? Z_FINISH : Z_SYNC_FLUSH) { out.append(contentsOf: $0) }
        result.outputs[index] = out
        result.crcs[index] = CRC32.update(0, block)
      } catch {
        result.errors[index] = error
      }
    }
    for index in 0..<count {
      if let error = result.errors[index] { throw error }
      let start = index * Self.blockSize
      let length = min(total, start + Self.blockSize) - start
      crc = CRC32.combine(crc, result.crcs[index], secondLength: length)
      try result.outputs[index].withUnsafeBytes { try sink($0) }
    }
    // Carry the dictionary and the held-back bytes to the front.
    let dictStart = max(0, total - Self.dictionarySize)
    dictionary = Array(UnsafeRawBufferPointer(rebasing: base[dictStart..<total]))
    let rest = buffered - total
    if rest > 0 {
      UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: buffer.baseAddress! + total, byteCount: rest)
    }
    buffered = rest
  }
}
