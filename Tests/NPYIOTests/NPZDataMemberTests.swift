import Foundation
import NDArray
import Testing

@testable import NPYIO

/// `NPZReader.dataMember(named:)`: which member `normtool stats` reads from an archive.
@Suite struct NPZDataMemberTests {
  func archive(_ names: [String]) throws -> NPZReader {
    let url = Fixtures.temporaryFolder().appendingPathComponent("a.npz")
    let writer = try NPZWriter(url: url)
    for name in names { try writer.write(name: name, array: AnyNDArray(NDArray<Int64>([1, 2]))) }
    try writer.finish()
    return try NPZReader(url: url)
  }

  @Test func aNamedMemberIsTakenWithOrWithoutTheSuffix() throws {
    let npz = try archive(["a", "b"])
    #expect(try npz.dataMember(named: "b").name == "b")
    #expect(try npz.dataMember(named: "b.npy").name == "b")
    #expect(throws: NPZError.self) { try npz.dataMember(named: "c") }
  }

  @Test func theOnlyMemberOrXOfADatasetIsTheData() throws {
    #expect(try archive(["only"]).dataMember().name == "only")
    #expect(try archive(["files", "x", "y", "classes"]).dataMember().name == "x")
  }

  @Test func otherwiseTheErrorListsTheMembers() throws {
    let npz = try archive(["x", "y"])
    #expect {
      try npz.dataMember()
    } throws: { error in
      guard case NPZError.ambiguousMember(_, let available) = error else { return false }
      return available == ["x", "y"] && "\(error)".contains("has 2 members (x, y)")
    }
  }
}
