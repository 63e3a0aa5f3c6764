import Foundation
import NDArray
import Testing

@testable import NPYIO

@Suite struct NPYStreamWriterTests {
  @Test(arguments: [1, 7, 125])
  func rowsAppendedInBlocksGiveNumPysFile(_ block: Int) throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("rows.npy")
    let writer = try NPYStreamWriter(url: out, dtype: .uint8, rowShape: [2])
    var start = 0
    while start < 125 {
      let k = min(block, 125 - start)
      let rows = NDArray<UInt8>((0..<(2 * k)).map { UInt8(2 * start + $0) }, shape: [k, 2])
      try writer.append(rows)
      start += k
    }
    #expect(!FileManager.default.fileExists(atPath: out.path))
    try writer.finish()
    #expect(try Data(contentsOf: out) == Data(contentsOf: Fixtures.url("long_axis0_u1.npy")))
  }

  @Test func rawBytesAndZeroRows() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("empty.npy")
    let writer = try NPYStreamWriter(url: out, dtype: .float32, rowShape: [3])
    try writer.finish()
    #expect(try Data(contentsOf: out) == Data(contentsOf: Fixtures.url("shape_empty_0x3_f4.npy")))

    let out2 = folder.appendingPathComponent("raw.npy")
    let w2 = try NPYStreamWriter(url: out2, dtype: .int64, rowShape: [])
    let values: [Int64] = [0, 1, 2, 3, 4, 5, 6]
    try values.withUnsafeBytes { try w2.append(rawBytes: $0, rowCount: 7) }
    try w2.finish()
    #expect(try Data(contentsOf: out2) == Data(contentsOf: Fixtures.url("shape_1d_i8.npy")))
  }

  @Test func misuseAndAbort() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("x.npy")
    try NPY.write(NDArray<UInt8>([9]), to: out)
    let writer = try NPYStreamWriter(url: out, dtype: .float32, rowShape: [2])
    #expect(throws: NPYError.self) { try writer.append(NDArray<Double>(zeros: [1, 2])) }
    #expect(throws: NPYError.self) { try writer.append(NDArray<Float>(zeros: [1, 3])) }
    try writer.append(NDArray<Float>(zeros: [4, 2]))
    writer.abort()
    #expect(throws: NPYError.self) { try writer.append(NDArray<Float>(zeros: [1, 2])) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.npy"])
    #expect(try NPY.read(UInt8.self, at: out).flatElements == [9])
  }
}
