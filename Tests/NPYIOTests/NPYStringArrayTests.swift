import Foundation
import NDArray
import Testing

@testable import NPYIO

// String arrays keep their dtype, shape, memory order and bytes (issue 9 item 6): every
// NumPy-written str_*.npy fixture (|S, <U, >U × 0-d, empty, 1-d, 2-d C/F, 3-d F × version).

enum StringArrayFixtures {
  nonisolated(unsafe) static let cases: [String: [String: Any]] =
    Fixtures.manifest["string_arrays"] as? [String: [String: Any]] ?? [:]
  static let names = cases.keys.sorted()
}

@Test func stringArrayFixturesArePresent() {
  #expect(StringArrayFixtures.names.count == 126)
}

@Test(arguments: StringArrayFixtures.names)
func stringArraysReadAsStoredAndWriteBackUnchanged(name: String) throws {
  let facts = try #require(StringArrayFixtures.cases[name])
  let source = Fixtures.url(name)
  let array = try NPY.readStringArray(at: source)
  #expect(array.dataType.descr == facts["descr"] as? String)
  #expect(array.shape == facts["shape"] as? [Int])
  #expect(array.fortranOrder == facts["fortran_order"] as? Bool)
  let elements = facts["elements"] as? [String] ?? []
  if array.dataType.descr.contains("U") {
    #expect(try array.strings(file: name) == elements)
  } else {
    // |S elements as UTF-8 (invalid bytes replaced), as readStrings has always given them.
    let expected = elements.map { hex in
      String(
        decoding: stride(from: 0, to: hex.count, by: 2).map {
          UInt8(hex.dropFirst($0).prefix(2), radix: 16)!
        }, as: UTF8.self)
    }
    #expect(try array.strings(file: name) == expected)
  }
  // Written at the input's version, the file is the input, byte for byte.
  let folder = Fixtures.temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let version =
    facts["version"] as? [Int] == [1, 0] ? NPYVersion.v1 : facts["version"] as? [Int] == [2, 0] ? .v2 : .v3
  let out = folder.appendingPathComponent("out.npy")
  try NPY.write(array, to: out, version: version)
  #expect(try Data(contentsOf: out) == Data(contentsOf: source))
  // As an .npz member too.
  let npz = folder.appendingPathComponent("out.npz")
  let writer = try NPZWriter(url: npz)
  try writer.write(name: "s", stringArray: array, version: version)
  try writer.finish()
  #expect(try NPZReader(url: npz).readStringArray("s") == array)
}

/// `inOrder` lays the bytes out as NumPy's asfortranarray/ascontiguousarray: the 2-d C and
/// F fixtures of the same values become each other.
@Test(arguments: ["S9", "S1", "Ule8", "Ule1", "Ube8", "Ube1"])
func stringArraysChangeOrderAsNumPyDoes(kind: String) throws {
  let c = try NPY.readStringArray(at: Fixtures.url("str_\(kind)_2dC_v1.npy"))
  let f = try NPY.readStringArray(at: Fixtures.url("str_\(kind)_2dF_v1.npy"))
  #expect(!c.fortranOrder && f.fortranOrder)
  #expect(c.inOrder(.fortran) == f)
  #expect(f.inOrder(.c) == c)
  #expect(c.inOrder(.c) == c && f.inOrder(.fortran) == f)
  // One-dimensional, empty and 0-d arrays are both C- and F-contiguous: fortran_order stays False.
  for shape in ["1d", "empty", "empty2d", "0d"] {
    let a = try NPY.readStringArray(at: Fixtures.url("str_\(kind)_\(shape)_v1.npy"))
    #expect(a.inOrder(.fortran) == a)
  }
}
