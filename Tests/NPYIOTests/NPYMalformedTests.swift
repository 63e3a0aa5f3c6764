import Foundation
import NDArray
import Testing

@testable import NPYIO

/// Every malformed input of issue 3 item 1 gives a typed error naming the file, never a crash.
@Suite struct NPYMalformedTests {
  /// A .npy file with the given header text, padded as NumPy pads it, followed by `data`.
  static func npy(_ text: String, major: UInt8 = 1, data: [UInt8] = [], lengthOverride: Int? = nil) -> [UInt8] {
    var bytes = NPY.magic + [major, 0]
    let lengthSize = major == 1 ? 2 : 4
    var body = Array(text.utf8)
    let pad = 64 - (8 + lengthSize + body.count + 1) % 64
    body += Array(repeating: 0x20, count: pad) + [0x0A]
    let length = lengthOverride ?? body.count
    for i in 0..<lengthSize { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
    return bytes + body + data
  }

  static func write(_ bytes: [UInt8]) -> URL {
    let url = Fixtures.temporaryFolder().appendingPathComponent("bad.npy")
    try! Data(bytes).write(to: url)
    return url
  }

  /// Reads `bytes` every way there is and returns the error each way threw.
  static func errors(_ bytes: [UInt8]) -> [NPYError] {
    let url = write(bytes)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    var result: [NPYError] = []
    for attempt in [{ _ = try NPY.read(at: url) }, { _ = try NPY.map(at: url) }] {
      do { try attempt(); Issue.record("no error for \(String(decoding: bytes.prefix(120), as: UTF8.self))") } catch let
        error as NPYError
      {
        #expect(error.description.contains(url.path), "message does not name the file: \(error)")
        result.append(error)
      } catch { Issue.record("untyped error \(error)") }
    }
    return result
  }

  static let good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"

  @Test func goodBaselineReads() throws {
    let url = Self.write(Self.npy(Self.good, data: [0, 0, 128, 63, 0, 0, 0, 64]))
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let a = try #require(try NPY.read(at: url).typed(as: Float.self))
    #expect(a.flatElements == [1, 2])
  }

  @Test func badMagic() {
    var bytes = Self.npy(Self.good, data: Array(repeating: 0, count: 8))
    bytes[1] = UInt8(ascii: "X")
    for error in Self.errors(bytes) {
      guard case .badMagic = error else { Issue.record("\(error)"); continue }
      #expect(error.description.contains("expected 93 4e 55 4d 50 59"))
    }
    for error in Self.errors(Array("PK\u{3}\u{4} not numpy".utf8)) {
      guard case .badMagic = error else { Issue.record("\(error)"); continue }
    }
  }

  @Test func emptyAndTruncatedPrefix() {
    for error in Self.errors([]) { guard case .truncatedHeader = error else { Issue.record("\(error)"); continue } }
    for error in Self.errors(NPY.magic + [1]) {
      guard case .truncatedHeader = error else { Issue.record("\(error)"); continue }
    }
    for error in Self.errors(NPY.magic + [1, 0, 0x76]) {
      guard case .truncatedHeader = error else { Issue.record("\(error)"); continue }
    }
    let cut = Array(Self.npy(Self.good).prefix(40))
    for error in Self.errors(cut) { guard case .truncatedHeader = error else { Issue.record("\(error)"); continue } }
  }

  @Test func unsupportedVersion() {
    var bytes = Self.npy(Self.good, data: Array(repeating: 0, count: 8))
    bytes[6] = 4
    for error in Self.errors(bytes) {
      guard case .unsupportedVersion(_, 4, 0) = error else { Issue.record("\(error)"); continue }
    }
  }

  @Test func headerTooLongUnlessAllowed() throws {
    let long = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + String(repeating: " ", count: 12_000)
    let bytes = Self.npy(long, major: 2, data: [0, 0, 128, 63, 0, 0, 0, 64])
    for error in Self.errors(bytes) {
      guard case .headerTooLong(_, let length, 10_000) = error else { Issue.record("\(error)"); continue }
      #expect(length > 12_000)
    }
    let url = Self.write(bytes)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    #expect(try NPY.read(at: url, maxHeaderLength: 20_000).shape == [2])
    #expect(try NPY.readHeader(at: url, maxHeaderLength: 20_000).dataOffset % 64 == 0)
  }

  @Test(arguments: [
    "['descr', 'fortran_order', 'shape']",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ",
    "{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }",
    "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': [2], }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }",
    "{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (2,), }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 100) + "}",
  ])
  func headerThatIsNotTheDict(_ text: String) {
    for error in Self.errors(Self.npy(text, data: Array(repeating: 0, count: 8))) {
      switch error {
      case .malformedHeader, .unsupportedDType: break
      default: Issue.record("\(error)")
      }
    }
  }

  @Test(arguments: [
    "{'descr': '<f4', 'shape': (2,), }",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }",
    "{'descr': '<f4', 'fortran_order': False, 'fortran_order': False, }",
    "{1: '<f4', 'fortran_order': False, 'shape': (2,), }",
  ])
  func wrongKeys(_ text: String) {
    for error in Self.errors(Self.npy(text, data: Array(repeating: 0, count: 8))) {
      switch error {
      case .wrongHeaderKeys, .malformedHeader: break
      default: Issue.record("\(error)")
      }
    }
  }

  @Test(arguments: ["|O", "<M8[ns]", "<m8[s]", "|V8", "<f3", "<i16", "[('a', '<f4'), ('b', '<i4')]", "'<f4'}"])
  func unsupportedDTypes(_ descr: String) {
    let literal = descr.hasPrefix("[") ? descr : "'\(descr)'"
    for error in Self.errors(
      Self.npy("{'descr': \(literal), 'fortran_order': False, 'shape': (2,), }", data: Array(repeating: 0, count: 16)))
    {
      switch error {
      case .unsupportedDType: #expect(error.description.contains("unsupported dtype"))
      case .malformedHeader where descr.hasSuffix("}"): break
      default: Issue.record("\(error)")
      }
    }
  }

  @Test(arguments: ["(4611686018427387904, 4)", "(-1,)", "(3037000500, 3037000500, 2)"])
  func shapeOverflowOrNegative(_ shape: String) {
    for error in Self.errors(Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }")) {
      guard case .shapeOverflow = error else { Issue.record("\(error)"); continue }
    }
  }

  @Test func shapeExceedsTheFileBeforeAllocating() {
    // 2^40 float64 values (8 TiB) declared; the file has 8 bytes.
    for error in Self.errors(
      Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }", data: [0, 0, 0, 0, 0, 0, 0, 0]))
    {
      guard case .truncatedData(_, let expected, 8) = error else { Issue.record("\(error)"); continue }
      #expect(expected == 8 << 40)
    }
  }

  @Test func truncatedData() {
    for error in Self.errors(Self.npy(Self.good, data: [0, 0, 128, 63, 0, 0])) {
      guard case .truncatedData(_, 8, 6) = error else { Issue.record("\(error)"); continue }
      #expect(error.description.contains("expected 8 bytes"))
    }
  }

  @Test func acceptsAnyPaddingAndNoFinalNewline() throws {
    // Python-2 era files: no growth spaces, odd padding, no trailing newline; 'L' suffixes.
    var bytes = NPY.magic + [1, 0]
    let text = Array("{'descr':'<i2','fortran_order':False,'shape':(3L,)}".utf8)
    bytes += [UInt8(text.count), 0] + text + [1, 0, 2, 0, 3, 0]
    let url = Self.write(bytes)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let a = try #require(try NPY.read(at: url).typed(as: Int16.self))
    #expect(a.flatElements == [1, 2, 3])
    let m = try #require(try NPY.map(at: url).typed(as: Int16.self))  // unaligned: copied
    #expect(m.flatElements == [1, 2, 3])
  }

  @Test func booleanBytesOtherThanOneReadAsTrue() throws {
    let url = Self.write(Self.npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", data: [0, 1, 7]))
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let a = try #require(try NPY.read(at: url).typed(as: Bool.self))
    #expect(a.flatElements == [false, true, true])
  }

  @Test func failedWriteLeavesExistingFileIntact() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("keep.npy")
    try NPY.write(NDArray<UInt8>([1, 2, 3]), to: url)
    let before = try Data(contentsOf: url)
    // Version 1.0 cannot hold a header this long: the write fails after the temp file exists.
    let wide = NDArray<UInt8>(zeros: Array(repeating: 1, count: 25_000))
    #expect(throws: NPYError.self) { try NPY.write(wide, to: url, version: .v1) }
    #expect(try Data(contentsOf: url) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["keep.npy"])
    // A missing folder: nothing is created.
    #expect(throws: NPYError.self) { try NPY.write(wide, to: folder.appendingPathComponent("no/such.npy")) }
  }
}

@Suite struct NPYStringMalformedTests {
  @Test func zeroWidthStringsCannotClaimAHugeCount() throws {
    let url = NPYMalformedTests.write(
      NPYMalformedTests.npy("{'descr': '<U0', 'fortran_order': False, 'shape': (4611686018427387904,), }"))
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    #expect(throws: NPYError.self) { _ = try NPY.readStrings(at: url) }
    // NumPy never writes a zero-width dtype (np.save of a 'U0' array writes '<U1'), so any size is refused.
    let small = NPYMalformedTests.write(
      NPYMalformedTests.npy("{'descr': '<U0', 'fortran_order': False, 'shape': (3,), }"))
    defer { try? FileManager.default.removeItem(at: small.deletingLastPathComponent()) }
    #expect(throws: NPYError.self) { _ = try NPY.readStrings(at: small) }
  }

  @Test func numericReadOfAStringFileSaysSo() throws {
    do {
      _ = try NPY.read(at: Fixtures.url("strings_U.npy"))
      Issue.record("no error")
    } catch let error as NPYError {
      guard case .dtypeMismatch = error else { Issue.record("\(error)"); return }
      #expect(error.description.contains("readStrings"))
    }
  }
}
