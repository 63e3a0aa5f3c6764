import Foundation
import Testing

@testable import ImageDataset

/// The pass-1 pixel cache gives back what was appended, by index, from memory (a small run)
/// and from its unnamed temporary file (a run whose images would pass `inMemoryLimit`).
@Suite struct PixelCacheTests {
  static func image(_ index: Int, bytes: Int) -> [UInt8] {
    (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7 &+ 1) }
  }

  @Test(arguments: [false, true])
  func imagesComeBackByIndex(inFile: Bool) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pixel-cache-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let bytes = 3_000
    // In a file when the plan's images could pass the limit, even if few are appended.
    let expected = inFile ? PixelCache.inMemoryLimit / bytes + 1 : 700
    let url = folder.appendingPathComponent("pixels")
    let cache = try PixelCache(url: url, imageBytes: bytes, expectedImages: expected)
    // The file is unlinked at once: nothing is left in the folder either way.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    let count = 700  // 2.1 MB: more than one 1 MiB write in the file case
    for i in 0..<count {
      try Self.image(i, bytes: bytes).withUnsafeBytes { try cache.append($0) }
    }
    try cache.flush()
    #expect(cache.imageCount == count)
    for i in [0, 1, 349, 350, count - 1] {
      #expect(try cache.read(i) == Self.image(i, bytes: bytes), "image \(i)")
    }
    #expect(throws: ConversionError.self) { try cache.read(count) }
  }
}
