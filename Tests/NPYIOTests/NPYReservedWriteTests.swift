import Foundation
import NDArray
import Testing

@testable import NPYIO

/// Writes large enough to reserve their disk blocks up front (`NPY.reserveThreshold`) must
/// still hold exactly the bytes `np.save` writes, no more and no fewer.
@Suite struct NPYReservedWriteTests {
  /// `np.save` of `(np.arange(300000, dtype=np.float32) * 0.5).astype(descr).reshape(600, 500)`
  /// is this 128-byte header and then the 1,200,000 data bytes (1,200,128 bytes in all).
  static func numpyHeader(_ descr: String) -> [UInt8] {
    let dictionary = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (600, 500), }"
    let line = dictionary + String(repeating: " ", count: 128 - 10 - dictionary.utf8.count - 1) + "\n"
    return [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0] + Array(line.utf8)
  }

  @Test(arguments: [NPYByteOrder.little, .big])
  func largeWriteHoldsExactlyNumPysBytes(_ order: NPYByteOrder) throws {
    let values = (0..<300_000).map { Float($0) * 0.5 }
    #expect(values.count * 4 >= NPY.reserveThreshold)
    let array = NDArray(values, shape: [600, 500])
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("big.npy")
    try NPY.write(array, to: out, byteOrder: order)
    var expected = Self.numpyHeader(order == .big ? ">f4" : "<f4")
    for value in values {
      let bits = order == .big ? value.bitPattern.bigEndian : value.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { expected.append(contentsOf: $0) }
    }
    let written = try [UInt8](Data(contentsOf: out))
    #expect(written.count == 1_200_128)
    #expect(
      written == expected,
      "first difference at byte \(zip(written, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)"
    )
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["big.npy"])
  }

  @Test func writingLessThanReservedCutsTheFileToWhatWasWritten() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("short.bin")
    try NPY.writeAtomically(to: out.path, dataBytes: 4 << 20) { file in try file.writeAll([1, 2, 3]) }
    #expect(try [UInt8](Data(contentsOf: out)) == [1, 2, 3])
  }

  @Test func failedReservedWriteLeavesTheOldFileAndNoTemporary() throws {
    struct Stop: Error {}
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("kept.bin")
    try Data([9, 9]).write(to: out)
    #expect(throws: Stop.self) {
      try NPY.writeAtomically(to: out.path, dataBytes: 4 << 20) { file in
        try file.writeAll([1, 2, 3])
        throw Stop()
      }
    }
    #expect(try [UInt8](Data(contentsOf: out)) == [9, 9])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.bin"])
  }
}
