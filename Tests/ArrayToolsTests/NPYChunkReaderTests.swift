import Foundation
import NDArray
import NPYIO
import Testing

/// NPYIO's ``NPYChunkReader``: chunks in storage order equal what `NPY.read` / `NPZReader.read`
/// give (NumPy's `np.load`), for mapped, byte-swapped and archived data.
@Suite struct NPYChunkReaderTests {
  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("chunk-\(getpid())-\(name)")
  }

  func drain(_ reader: NPYChunkReader, chunk: Int) throws -> [Float] {
    var values: [Float] = []
    while let raw = try reader.next(maxCount: chunk) {
      #expect(raw.count <= chunk * 4)
      values += Array(raw.bindMemory(to: Float.self))
    }
    return values
  }

  @Test func mappedByteSwappedAndArchivedChunksEqualTheWholeRead() throws {
    let array = NDArray<Float>((0..<1000).map { Float($0) * 0.5 }, shape: [10, 100])
    let little = temporary("little.npy"), big = temporary("big.npy"), archive = temporary("a.npz")
    defer { for url in [little, big, archive] { try? FileManager.default.removeItem(at: url) } }
    try NPY.write(AnyNDArray(array), to: little)
    try NPY.write(AnyNDArray(array), to: big, byteOrder: .big)
    let writer = try NPZWriter(url: archive, compression: .deflate(level: 6))
    try writer.write(name: "x", array: array)
    try writer.finish()
    let expected = array.flatElements
    #expect(try drain(NPYChunkReader(npyAt: little), chunk: 333) == expected)
    #expect(try drain(NPYChunkReader(npyAt: big), chunk: 64) == expected)
    let npz = try NPZReader(url: archive)
    let member = try NPYChunkReader(member: "x", of: npz)
    #expect(member.header.shape == [10, 100] && member.dtype == .float32)
    #expect(try drain(member, chunk: 999) == expected)
  }

  @Test func truncatedDataIsAnError() throws {
    let url = temporary("short.npy")
    defer { try? FileManager.default.removeItem(at: url) }
    try NPY.write(AnyNDArray(NDArray<Float>([1, 2, 3, 4])), to: url)
    let handle = try FileHandle(forWritingTo: url)
    try handle.truncate(atOffset: try handle.seekToEnd() - 4)
    try handle.close()
    #expect(throws: NPYError.self) { try NPYChunkReader(npyAt: url) }
  }
}
