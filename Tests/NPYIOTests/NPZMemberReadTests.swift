import Foundation
import NDArray
import Testing

@testable import NPYIO

/// The three member reads of `NPZReader` share one path (issue 10 item 5): each honours
/// `maxHeaderLength` (the typed `read` and `readStrings` used to ignore it) and checks the CRC.
@Suite struct NPZMemberReadTests {
  static func archive(in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent("a.npz")
    let writer = try NPZWriter(url: url)
    try writer.write(name: "x", array: AnyNDArray(NDArray([1, 2, 3] as [Float])))
    try writer.write(name: "names", strings: ["daisy", "rose"])
    try writer.finish()
    return url
  }

  @Test func everyMemberReadRefusesAHeaderOverTheLimit() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let npz = try NPZReader(url: try Self.archive(in: folder))
    let reads: [(String, () throws -> Void)] = [
      ("read", { _ = try npz.read("x", maxHeaderLength: 100) }),
      ("read(Float.self)", { _ = try npz.read(Float.self, "x", maxHeaderLength: 100) }),
      ("readStrings", { _ = try npz.readStrings("names", maxHeaderLength: 100) }),
    ]
    for (label, read) in reads {
      #expect(
        "\(label)", performing: read,
        throws: { error in
          guard case NPYError.headerTooLong(let file, let length, 100) = error else { return false }
          return file.hasPrefix(npz.url.path + ":") && length == 118
        })
    }
  }

  @Test func everyMemberReadAcceptsAHeaderWithinTheLimit() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let npz = try NPZReader(url: try Self.archive(in: folder))
    #expect(try npz.read("x", maxHeaderLength: 118).shape == [3])
    #expect(try npz.read(Float.self, "x", maxHeaderLength: 118) == NDArray([1, 2, 3] as [Float]))
    #expect(try npz.readStrings("names", maxHeaderLength: 118) == ["daisy", "rose"])
  }

  @Test func aMemberOfAnotherDtypeIsRefusedNamingTheMember() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let npz = try NPZReader(url: try Self.archive(in: folder))
    #expect(
      performing: { _ = try npz.read(Int32.self, "x") },
      throws: { error in
        guard case NPYError.dtypeMismatch(let file, "int32", "<f4") = error else { return false }
        return file == npz.url.path + ":x.npy"
      })
  }
}
