import Foundation
import NDArray
import Testing

@testable import Imaging

/// Zero-byte, non-image, truncated and corrupt files each give their typed error, with a
/// one-line message naming the file.
@Suite struct DecodeErrorTests {
  static let cases = Fixtures.manifest.errors

  @Test("bad file gives its error", arguments: cases)
  func badFileGivesItsError(_ reference: ErrorCase) {
    let url = Fixtures.url(reference.file)
    do {
      let image = try ImageDecoder.decode(contentsOf: url)
      Issue.record("\(reference.file) decoded to \(image.shape), expected \(reference.error)")
    } catch let error as ImageError {
      let kind: String
      switch error {
      case .emptyFile: kind = "emptyFile"
      case .unknownFormat: kind = "unknownFormat"
      case .truncated: kind = "truncated"
      case .corrupt: kind = "corrupt"
      case .unsupported: kind = "unsupported"
      case .tooLarge: kind = "tooLarge"
      case .outOfMemory: kind = "outOfMemory"
      case .unreadable: kind = "unreadable"
      }
      #expect(kind == reference.error, "\(reference.file): \(error)")
      let message = error.description
      #expect(message.contains(url.path), "message does not name the file: \(message)")
      #expect(!message.contains("\n"), "message is not one line: \(message)")
    } catch {
      Issue.record("\(reference.file): untyped error \(error)")
    }
  }

  @Test func coversEachKindOfBadFile() {
    let kinds = Set(Self.cases.map(\.error))
    #expect(kinds == ["emptyFile", "unknownFormat", "truncated", "corrupt", "tooLarge", "unsupported"])
  }

  @Test func messagesKeepTheCodecsText() throws {
    func message(_ name: String) -> String {
      do {
        _ = try ImageDecoder.decode(contentsOf: Fixtures.url("bad/" + name))
        return "decoded"
      } catch { return "\(error)" }
    }
    #expect(message("truncated_baseline.jpg").contains("Premature end of JPEG file"))
    #expect(message("bad_crc_idat.png").contains("CRC error"))
    #expect(message("bad_crc_ihdr.png").contains("CRC error"))
    #expect(message("empty.jpg").contains("empty file"))
    #expect(message("text.png").contains("found 74 68 69 73"))
  }

  @Test func missingFileIsUnreadable() {
    let url = Fixtures.url("bad/does-not-exist.jpg")
    #expect(throws: ImageError.unreadable(file: url.path, reason: "No such file or directory")) {
      try ImageDecoder.decode(contentsOf: url)
    }
    #expect(throws: ImageError.unreadable(file: Fixtures.url("bad").path, reason: "not a regular file (a folder)")) {
      try ImageDecoder.decode(contentsOf: Fixtures.url("bad"))
    }
  }

  @Test func emptyBufferIsAnError() {
    let empty = [UInt8]()
    #expect(throws: ImageError.emptyFile(file: "x")) {
      try empty.withUnsafeBytes { try ImageDecoder.decode($0, name: "x") }
    }
  }

  /// Every prefix of a valid JPEG and PNG either decodes or throws; nothing crashes.
  @Test(arguments: ["extra/jpeg_progressive.jpg", "extra/png_rgb8_adam7.png", "extra/jpeg_cmyk.jpg"])
  func everyPrefixFailsCleanly(_ file: String) throws {
    let data = try [UInt8](Data(contentsOf: Fixtures.url(file)))
    var failures = 0
    for length in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
      do {
        _ = try data[..<length].withUnsafeBytes { try ImageDecoder.decode($0, name: file) }
      } catch is ImageError {
        failures += 1
      }
    }
    #expect(failures > 0)
  }

  /// Random byte damage (fixed seed) never crashes or hangs: each mutant decodes or throws
  /// an ImageError.
  @Test(arguments: [
    "extra/jpeg_420.jpg", "extra/jpeg_progressive.jpg", "extra/png_palette4_adam7.png",
    "extra/png_gray16.png", "extra/exif_orientation_6.jpg",
  ])
  func damagedFilesNeverCrash(_ file: String) throws {
    let original = try [UInt8](Data(contentsOf: Fixtures.url(file)))
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    var decoded = 0, failed = 0
    for _ in 0..<150 {
      var bytes = original
      for _ in 0..<(1 + next() % 6) {
        let position = 2 + next() % (bytes.count - 2)  // keep the signature's first bytes
        bytes[position] = UInt8(truncatingIfNeeded: next())
      }
      do {
        let image = try bytes.withUnsafeBytes {
          try ImageDecoder.decode($0, name: file, options: DecodeOptions(applyEXIFOrientation: true))
        }
        #expect(image.rank == 3)
        decoded += 1
      } catch is ImageError {
        failed += 1
      }
    }
    #expect(decoded + failed == 150)
  }
}
