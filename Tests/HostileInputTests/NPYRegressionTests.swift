import Foundation
import HostileInputHarness
import NPYIO
import Testing
import _ErrorText

/// The `.npy` bugs found by fuzzing and by the mutation harness, each pinned to the error it
/// must now give (the inputs are in Fuzz/Regressions/npy-header, made by make_regressions.py).
@Suite struct NPYRegressionTests {
  static func regression(_ name: String) -> URL {
    Corpus.regressionFolder(.npyHeader).appendingPathComponent(name)
  }

  @Test func zeroDimensionDoesNotHideAnOverflowingShape() {
    let url = Self.regression("zero-dim-overflowing-strides.npy")
    #expect {
      _ = try NPY.read(at: url)
    } throws: { error in
      guard case NPYError.shapeOverflow(_, let shape, _) = error else { return false }
      return shape == [0, 1 << 40, 1 << 40]
    }
  }

  @Test func zeroWidthStringsAreRefused() {
    let url = Self.regression("zero-width-strings-huge-count.npy")
    #expect {
      _ = try NPY.readStrings(at: url)
    } throws: { error in
      guard case NPYError.unsupportedDType = error else { return false }
      return "\(error)".contains("zero-width")
    }
  }

  @Test func headerTextWithLineBreaksGivesAOneLineMessage() throws {
    let url = Self.regression("line-breaks-in-key.npy")
    do {
      _ = try NPY.readHeader(at: url)
      Issue.record("a header with the key 'sha\\rpe\\x1b' was accepted")
    } catch {
      let message = "\(error)"
      #expect(!message.contains("\n") && !message.contains("\r"))
      #expect(message.contains("sha\\rpe\\x1b"), "control characters are shown escaped: \(message)")
      #expect(message.hasPrefix(url.path))
    }
  }

  @Test func fileNamesWithLineBreaksStayOnOneLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("two\nlines\u{1B}[31m.npy")
    try Data("not an npy".utf8).write(to: url)
    do {
      _ = try NPY.readHeader(at: url)
      Issue.record("a text file was read as .npy")
    } catch {
      let message = "\(error)"
      #expect(!message.contains("\n"))
      #expect(message.contains("two\\nlines\\x1b[31m.npy"), "\(message)")
    }
  }
}
