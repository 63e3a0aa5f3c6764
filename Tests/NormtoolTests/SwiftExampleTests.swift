import Foundation
import Testing

/// The Swift example (Examples/Swift, `swift run convert-example`) runs and reads back
/// what it wrote.
@Suite struct SwiftExampleTests {
  @Test func convertExampleRunsOnTheSamples() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convert-example-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let process = Process()
    process.executableURL = ConvertCommandTests.normtool.deletingLastPathComponent()
      .appendingPathComponent("convert-example")
    process.arguments = [ConvertCommandTests.samples.path, dir.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(
      text.contains(
        "train: 36 images, classes [\"daisy\", \"dandelion\", \"roses\", \"sunflowers\", \"tulips\"], x [36, 64, 64, 3] float32"
      ))
    #expect(text.contains("test: 36 images normalized with the training statistics"))
    #expect(text.contains("batch 4: 4 images"))
    // The batches gathered with `x.take(batch, axis: 0)` equal the earlier pointer loop's.
    #expect(
      text.contains(
        "batch 0: 8 images, mean -0.015, labels [\"roses\", \"sunflowers\", \"tulips\", \"roses\", \"roses\", \"sunflowers\", \"tulips\", \"sunflowers\"]"
      ))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [
        "test.duplicates.csv", "test.npz", "test.summary.json", "train-stats.json", "train.duplicates.csv",
        "train.npz", "train.summary.json",
      ])
  }
}
