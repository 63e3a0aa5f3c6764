import Foundation
import NDArray
import Testing

@testable import NPYIO

/// Every dtype × byte order × memory order × version that NumPy writes: read the values,
/// read the header alone, memory-map, and write back byte for byte.
@Suite struct NPYGoldenTests {
  @Test(arguments: Fixtures.npyCases)
  func headerMatchesNumPy(_ golden: Fixtures.NPYCase) throws {
    let header = try NPY.readHeader(at: Fixtures.url(golden.file))
    #expect(header.descr == golden.descr)
    #expect(header.shape == golden.shape)
    #expect(header.fortranOrder == golden.fortranOrder)
    #expect([Int(header.version.major), Int(header.version.minor)] == golden.version)
    #expect(header.dataOffset == golden.dataOffset)
    #expect(header.dataOffset % 64 == 0)
  }

  @Test(arguments: Fixtures.npyCases)
  func valuesMatchNumPy(_ golden: Fixtures.NPYCase) throws {
    let array = try NPY.read(at: Fixtures.url(golden.file))
    #expect(array.shape == golden.shape)
    #expect(Fixtures.cBytesLE(array) == golden.cBytesLE)
    let mapped = try NPY.map(at: Fixtures.url(golden.file))
    #expect(mapped.shape == golden.shape)
    #expect(Fixtures.cBytesLE(mapped) == golden.cBytesLE)
  }

  @Test(arguments: Fixtures.npyCases)
  func writeIsByteIdenticalToNumPy(_ golden: Fixtures.NPYCase) throws {
    // The strided fixtures were views in NumPy; NumPy wrote them in C order, as we read them.
    let array = try NPY.read(at: Fixtures.url(golden.file))
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.npy")
    let order: NPYByteOrder = golden.descr.hasPrefix(">") ? .big : .little
    let version = NPYVersion(major: UInt8(golden.version[0]), minor: UInt8(golden.version[1]))
    try NPY.write(array, to: out, version: version == .v1 ? nil : version, byteOrder: order)
    let expected = try Data(contentsOf: Fixtures.url(golden.file))
    let written = try Data(contentsOf: out)
    #expect(written == expected, "\(golden.file): \(written.count) vs \(expected.count) bytes")
  }

  @Test func typedReadChecksTheDType() throws {
    let a = try NPY.read(Float.self, at: Fixtures.url("f4_be_F_v1.npy"))
    #expect(a.shape == [2, 3])
    #expect(a.isFContiguous && !a.isCContiguous)
    #expect(a[0, 0] == Float(-2.5 / 3.0))
    #expect(a[0, 1].isInfinite)
    #expect(throws: NPYError.self) { try NPY.read(Double.self, at: Fixtures.url("f4_le_C_v1.npy")) }
  }

  @Test func mappedArrayIsReadOnlyAndCopiesOnWrite() throws {
    let any = try NPY.map(at: Fixtures.url("i4_le_C_v1.npy"))
    var a = try #require(any.typed(as: Int32.self))
    #expect(a.isStorageReadOnly)
    let before = a[0, 1]
    a[0, 1] = 12345
    #expect(a[0, 1] == 12345)
    #expect(!a.isStorageReadOnly)
    let again = try #require(try NPY.map(at: Fixtures.url("i4_le_C_v1.npy")).typed(as: Int32.self))
    #expect(again[0, 1] == before)
  }

  static let stringCases: [(String, [String])] = {
    let strings = Fixtures.manifest["strings"] as! [String: [String]]
    return strings.keys.sorted().map { ($0, strings[$0]!) }
  }()

  @Test(arguments: stringCases)
  func readsStrings(_ file: String, _ expected: [String]) throws {
    #expect(try NPY.readStrings(at: Fixtures.url(file)) == expected)
  }

  @Test(arguments: ["strings_U.npy", "strings_U_2d.npy", "strings_empty.npy"])
  func writesStringsLikeNumPy(_ file: String) throws {
    let header = try NPY.readHeader(at: Fixtures.url(file))
    let strings = try NPY.readStrings(at: Fixtures.url(file))
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("s.npy")
    try NPY.write(strings: strings, shape: header.shape, to: out)
    #expect(try Data(contentsOf: out) == Data(contentsOf: Fixtures.url(file)))
  }

  @Test func stridedViewsAreWrittenInCOrder() throws {
    // A transposed view is neither C- nor F-contiguous; it must be written in C order.
    let base = NDArray<Int16>((0..<24).map(Int16.init), shape: [2, 3, 4])
    let view = NDArray<Int16>(unsafeUninitializedShape: [3, 2, 4]) { buffer in
      var k = 0
      for i in 0..<3 { for j in 0..<2 { for l in 0..<4 { buffer[k] = base[j, i, l]; k += 1 } } }
    }
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("t.npy")
    try NPY.write(view, to: out)
    #expect(try Data(contentsOf: out) == Data(contentsOf: Fixtures.url("transposed_3d_i2.npy")))
  }
}
