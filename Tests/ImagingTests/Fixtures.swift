import Foundation
import NDArray
import Testing

@testable import Imaging

/// Where the checked-in image fixtures live: Tests/Fixtures/images, found from this file.
enum Fixtures {
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/images")

  static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// Tests/Fixtures/images/manifest.json, written by python-interop/gen_imaging_fixtures.py.
  static let manifest: Manifest = {
    do {
      let data = try Data(contentsOf: url("manifest.json"))
      return try JSONDecoder().decode(Manifest.self, from: data)
    } catch {
      fatalError("cannot load \(url("manifest.json").path): \(error)")
    }
  }()
}

struct Manifest: Decodable, Sendable {
  let pillow: String
  let cases: [ReferenceCase]
  let errors: [ErrorCase]
}

/// One Pillow result: decode `file` in `mode`, then optionally resize/crop/pad.
struct ReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
  let file: String
  let mode: String
  let op: String
  let exif: Bool
  let shape: [Int]
  let crc32: UInt32
  let filter: String?
  let size: [Int]?
  let box: [Double]?
  let draft: [Int]?
  let full: String?

  var testDescription: String {
    var parts = [file, mode, op]
    if let filter { parts.append(filter) }
    if let size { parts.append("\(size[0])x\(size[1])") }
    if let box { parts.append("box \(box)") }
    if exif { parts.append("exif") }
    if let draft { parts.append("draft \(draft[0])x\(draft[1])") }
    return parts.joined(separator: " ")
  }

  var options: DecodeOptions {
    var options = DecodeOptions(mode: mode == "gray" ? .gray : .rgb, applyEXIFOrientation: exif)
    if let draft { options.draft = (draft[0], draft[1]) }
    return options
  }

  /// Runs the case through our code, resizing with `kernels`.
  func run(kernels: ResampleKernels = .fastest) throws -> NDArray<UInt8> {
    let decoded = try ImageDecoder.decode(contentsOf: Fixtures.url(file), options: options)
    guard let filterName = filter, let size else { return decoded }
    let filter = try #require(ResizeFilter(rawValue: filterName))
    switch op {
    case "resize":
      let box = self.box.map { ($0[0], $0[1], $0[2], $0[3]) }
      return resize(decoded, width: size[0], height: size[1], filter: filter, box: box, kernels: kernels)
    case "crop":
      return fit(decoded, width: size[0], height: size[1], mode: .crop, filter: filter, kernels: kernels)
    case "pad":
      return fit(decoded, width: size[0], height: size[1], mode: .pad, filter: filter, kernels: kernels)
    default:
      Issue.record("unknown op \(op)")
      return decoded
    }
  }

  /// Expects `result` to be Pillow's bytes: same shape, same CRC-32, and the same bytes
  /// as the full reference array when one is checked in.
  func check(_ result: NDArray<UInt8>) throws {
    #expect(result.shape == shape, "\(testDescription): shape")
    let bytes = result.flatElements
    #expect(CRC32.checksum(bytes) == crc32, "\(testDescription): pixels differ from Pillow's")
    if let full {
      let expected = try [UInt8](Data(contentsOf: Fixtures.url(full)))
      #expect(bytes == expected, "\(testDescription): pixels differ from \(full)")
    }
  }
}

/// A file that must fail to decode, and the `ImageError` case it must give.
struct ErrorCase: Decodable, Sendable, CustomTestStringConvertible {
  let file: String
  let error: String
  let pillow_fails: Bool
  var testDescription: String { "\(file) → \(error)" }
}

/// CRC-32 (zlib's polynomial), to compare with Python's `zlib.crc32`.
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
