import Foundation
import HostileInputHarness
import NPYIO
import Testing
import _ErrorText

/// Zip archives whose entries overlap are refused when the member is read, as Python's
/// zipfile refuses them ("Overlapped entries"); inputs from Fuzz/make_regressions.py.
@Suite struct NPZRegressionTests {
  static func regression(_ name: String) -> URL {
    Corpus.regressionFolder(.npz).appendingPathComponent(name)
  }

  static func isOverlap(_ error: any Error) -> Bool {
    guard case NPZError.malformedArchive(_, let reason) = error else { return false }
    return reason.hasPrefix("overlapped entries")
  }

  @Test func twoEntriesSharingALocalHeaderAreRefused() {
    #expect { _ = try NPZReader(url: Self.regression("overlapping-entries-shared-header.npz")) } throws: {
      Self.isOverlap($0)
    }
  }

  @Test func aMemberRunningIntoTheNextIsRefused() throws {
    let npz = try NPZReader(url: Self.regression("overlapping-entries-long-member.npz"))
    #expect { _ = try npz.read("a") } throws: { Self.isOverlap($0) }
    // The member that does not overlap still reads.
    #expect(try npz.read(UInt8.self, "b").count == 4)
  }

  @Test func memberNamesWithLineBreaksGiveOneLineMessages() throws {
    let url = Self.regression("line-break-in-member-name.npz")
    let npz = try NPZReader(url: url)
    do {
      _ = try npz.read(npz.members[0].fileName)
      Issue.record("a corrupt member was read")
    } catch {
      #expect(!"\(error)".contains("\n"))
      #expect("\(error)".contains("x\\n.npy"), "\(error)")
    }
  }
}

/// Found by libFuzzer: a ZIP64 locator in a file shorter than locator + ZIP64 end record
/// made the bound `endOffset − 76` negative and its UInt64 conversion trapped.
@Test func zip64LocatorInAShortFileIsRefused() throws {
  let url = Corpus.regressionFolder(.npz).appendingPathComponent("fuzz-zip64-locator-in-short-file-3e8e3359")
  #expect {
    _ = try NPZReader(url: url)
  } throws: { error in
    guard case NPZError.malformedArchive(_, let reason) = error else { return false }
    return reason.contains("ZIP64 end record offset")
  }
}
