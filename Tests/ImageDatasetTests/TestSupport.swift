import Foundation
import NDArray

@testable import ImageDataset

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `Tests/Fixtures/ImageDataset/NAME`.
func fixtureURL(_ name: String) -> URL {
  repositoryRoot.appendingPathComponent("Tests/Fixtures/ImageDataset").appendingPathComponent(name)
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("imagedataset-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  func cleanup() { try? FileManager.default.removeItem(at: url) }

  /// Creates `relative` (and its folders) holding `text`.
  @discardableResult
  func file(_ relative: String, _ text: String = "") throws -> URL {
    let target = url.appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(),
      withIntermediateDirectories: true)
    try Data(text.utf8).write(to: target)
    return target
  }

  func folder(_ relative: String) throws {
    try FileManager.default.createDirectory(
      at: url.appendingPathComponent(relative),
      withIntermediateDirectories: true)
  }

  /// The names inside the directory (to check that nothing was left behind).
  var entries: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
  }
}

/// A loader that needs no codec: each "image" file holds `W H SEED` (or `C` channels
/// given by the loader), and its pixels are SplitMix64 bytes of that seed. A file holding
/// `BAD` fails to load.
struct SyntheticLoader: ImageLoader {
  var channels = 3

  func load(_ url: URL) throws -> NDArray<UInt8> {
    let text = try String(contentsOf: url, encoding: .utf8)
    let parts = text.split(separator: " ").compactMap { Int($0) }
    guard parts.count == 3 else {
      throw SyntheticError(description: "\(url.path): not a synthetic image")
    }
    let (w, h, seed) = (parts[0], parts[1], parts[2])
    var generator = SplitMix64(seed: UInt64(seed))
    return NDArray(unsafeUninitializedShape: [h, w, channels]) { buffer in
      for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: generator.next() >> 56) }
    }
  }

  /// The pixels the loader gives for `W H SEED`.
  static func pixels(width: Int, height: Int, seed: Int, channels: Int = 3) -> [UInt8] {
    var generator = SplitMix64(seed: UInt64(seed))
    return (0..<(width * height * channels)).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 56) }
  }
}

struct SyntheticError: Error, CustomStringConvertible { var description: String }

/// The data bytes of a version 1.0 `.npy` file, and its header text.
func npyPayload(_ url: URL) throws -> (header: String, data: Data) {
  let bytes = try Data(contentsOf: url)
  let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
  let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
  return (header, bytes.subdata(in: (10 + headerLength)..<bytes.count))
}

/// Float32 values of raw little-endian bytes.
func floats(_ data: Data) -> [Float] {
  data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}
