import Foundation
import NDArray
import Testing

@testable import NPYIO

/// `NPYStreamWriter` and `NPZStreamingMember` behind one protocol (issue 10 item 5): the same
/// code path writes either, and each result equals the one-shot write of the whole array.
@Suite struct NPYRowWriterTests {
  /// Writes `x` a row at a time (as raw bytes) and then a block, through the protocol only.
  static func stream(_ x: NDArray<Int16>, into writer: any NPYRowWriter) throws {
    #expect(writer.dtype == .int16 && writer.rowShape == [3] && writer.rowCount == 0)
    let firstRow = NDArray<Int16>(Array(x.withUnsafeBufferPointer { Array($0.prefix(3)) }), shape: [1, 3])
    try firstRow.withUnsafeRawBytes { try writer.append(rawBytes: $0, rowCount: 1) }
    let rest = NDArray<Int16>(Array(x.withUnsafeBufferPointer { Array($0.dropFirst(3)) }), shape: [x.shape[0] - 1, 3])
    try writer.append(rest)
    #expect(writer.rowCount == x.shape[0])
    try writer.finish()
  }

  @Test func bothWritersTakeRowsThroughTheProtocolAndMatchOneShotWrites() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let x = NDArray<Int16>((0..<12).map { Int16($0 * 7 - 20) }, shape: [4, 3])

    let streamed = folder.appendingPathComponent("streamed.npy")
    let oneShot = folder.appendingPathComponent("one-shot.npy")
    try Self.stream(x, into: try NPYStreamWriter(url: streamed, dtype: .int16, rowShape: [3]))
    try NPY.write(x, to: oneShot)
    #expect(try Data(contentsOf: streamed) == Data(contentsOf: oneShot))

    let streamedZip = folder.appendingPathComponent("streamed.npz")
    let oneShotZip = folder.appendingPathComponent("one-shot.npz")
    let archive = try NPZWriter(url: streamedZip)
    try Self.stream(x, into: try archive.beginStreamingMember(name: "x", dtype: .int16, rowShape: [3]))
    try archive.finish()
    let reference = try NPZWriter(url: oneShotZip)
    try reference.write(name: "x", array: AnyNDArray(x))
    try reference.finish()
    #expect(try Data(contentsOf: streamedZip) == Data(contentsOf: oneShotZip))
  }

  @Test func abortThroughTheProtocolLeavesTheDestinationAsItWas() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("kept.npy")
    try NPY.write(NDArray([9] as [Int16]), to: out)
    let before = try Data(contentsOf: out)
    let writers: [any NPYRowWriter] = [
      try NPYStreamWriter(url: out, dtype: .int16, rowShape: [3]),
      try NPZWriter(url: folder.appendingPathComponent("kept.npz")).beginStreamingMember(
        name: "x", dtype: .int16, rowShape: [3]),
    ]
    for writer in writers {
      try writer.append(NDArray<Int16>([1, 2, 3], shape: [1, 3]))
      writer.abort()
      writer.abort()
    }
    #expect(try Data(contentsOf: out) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.npy"])
  }
}
