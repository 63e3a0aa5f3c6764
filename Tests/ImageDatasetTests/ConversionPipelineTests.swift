import Foundation
import Testing

@testable import ImageDataset

/// The conversion pipeline end to end, with ``SyntheticLoader`` in place of the codecs.
@Suite struct ConversionPipelineTests {
  /// 7 images in two classes plus one top-level file; sizes 4x3.
  func makeCorpus(_ dir: TemporaryDirectory, bad: Bool = false, oddSize: Bool = false) throws -> URL {
    let root = dir.url.appendingPathComponent("corpus")
    for (i, name) in [
      "cats/a.png", "cats/b.png", "cats/sub/c.jpg", "dogs/d.jpg", "dogs/e.png",
      "dogs/f.png", "dogs/g.jpeg",
    ].enumerated() {
      try dir.file("corpus/" + name, "4 3 \(i + 1)")
    }
    if bad { try dir.file("corpus/cats/broken.png", "BAD") }
    if oddSize { try dir.file("corpus/dogs/h.png", "5 3 99") }
    return root
  }

  func convert(_ root: URL, to output: URL, _ configure: (inout ConversionOptions) -> Void = { _ in })
    throws -> ConversionReport
  {
    var options = ConversionOptions()
    configure(&options)
    return try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: root, to: output)
  }

  static let sources: [String] = ["dataset", "image", "batch:3", "sample:4", "imagenet"]

  @Test(arguments: sources)
  func outputIsIdenticalForEveryJobCount(source: String) throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir)
    var outputs: [Data] = []
    for jobs in [1, 2, 5] {
      let out = dir.url.appendingPathComponent("x\(jobs).npy")
      _ = try convert(root, to: out) {
        $0.jobs = jobs
        $0.statistics = StatisticsSource(argument: source)!
        $0.seed = 3
      }
      outputs.append(try Data(contentsOf: out))
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0] == outputs[2])
  }

  @Test func datasetStandardizationUsesExactStatisticsInFileOrder() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir)
    let out = dir.url.appendingPathComponent("x.npy")
    let report = try convert(root, to: out) { $0.jobs = 3 }
    #expect(report.images == 7)
    #expect(report.classes == ["cats", "dogs"])
    #expect(report.shape == [7, 3, 4, 3])
    // Expected: every image's pixels in scan order, standardized with the exact moments.
    let all = (1...7).flatMap { SyntheticLoader.pixels(width: 4, height: 3, seed: $0) }
    let statistics = all.withUnsafeBufferPointer {
      NormalizationStatistics(PixelMoments(pixels: $0, channels: 3), scope: .channel)
    }
    #expect(report.statistics == statistics)
    let table = NormalizationTable<Float>(mode: .standardize, statistics: statistics, channels: 3)
    var expected = [Float](repeating: 0, count: all.count)
    all.withUnsafeBufferPointer { src in
      expected.withUnsafeMutableBufferPointer { table.apply(to: src, layout: .nhwc, into: $0) }
    }
    let (header, data) = try npyPayload(out)
    #expect(header.contains("'descr': '<f4'"))
    #expect(header.contains("'shape': (7, 3, 4, 3)"))
    #expect(floats(data) == expected)
    #expect(dir.entries == ["corpus", "x.duplicates.csv", "x.npy", "x.summary.json"], "no temporary files left")
  }

  @Test func channelsFirstLayoutAndGrayShapes() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir)
    let out = dir.url.appendingPathComponent("x.npy")
    let report = try convert(root, to: out) {
      $0.layout = .nchw; $0.normalization = .none
    }
    #expect(report.shape == [7, 3, 3, 4])
    let (header, data) = try npyPayload(out)
    #expect(header.contains("'descr': '|u1'") && header.contains("'shape': (7, 3, 3, 4)"))
    let first = SyntheticLoader.pixels(width: 4, height: 3, seed: 1)
    #expect(Array(data.prefix(12)) == stride(from: 0, to: 36, by: 3).map { first[$0] })
  }

  @Test func skipPolicyLeavesOutBadFilesAndNamesThem() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir, bad: true, oddSize: true)
    let out = dir.url.appendingPathComponent("x.npy")
    let report = try convert(root, to: out) {
      $0.onError = .skip; $0.jobs = 2
    }
    #expect(report.images == 7)
    #expect(report.skipped.map(\.file) == ["cats/broken.png", "dogs/h.png"])
    #expect(report.skipped[0].reason.contains("not a synthetic image"))
    #expect(report.skipped[1].reason == "expected 4x3 like the first image, found 5x3")
  }

  @Test func failureNamesTheFileAndLeavesExistingOutputUntouched() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir, bad: true)
    let out = try dir.file("x.npy", "previous contents")
    do {
      _ = try convert(root, to: out) { $0.jobs = 2 }
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".hasPrefix("cats/broken.png: "), "\(error)")
    }
    #expect(try String(contentsOf: out, encoding: .utf8) == "previous contents")
    #expect(dir.entries == ["corpus", "x.npy"], "no temporary files left")
  }

  @Test func sizeMismatchWithoutResizeIsAnError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir, oddSize: true)
    #expect(throws: ConversionError.self) {
      try convert(root, to: dir.url.appendingPathComponent("x.npy"))
    }
    #expect(dir.entries == ["corpus"])
  }

  @Test func savedStatisticsReproduceTheDatasetNormalization() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir)
    let first = dir.url.appendingPathComponent("train.npy")
    let stats = dir.url.appendingPathComponent("stats.json")
    _ = try convert(root, to: first) {
      $0.saveStatisticsTo = stats; $0.scope = .global
    }
    let saved = try StatisticsReport.read(from: stats)
    #expect(saved.scope == .global && saved.statistics.entries == 1 && saved.images == 7)
    #expect(saved.options["normalize"] == "standardize")
    let second = dir.url.appendingPathComponent("test.npy")
    _ = try convert(root, to: second) {
      $0.statistics = .file(path: stats.path); $0.scope = .global
    }
    #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    // A channel-scope run refuses global statistics.
    #expect(throws: ConversionError.self) {
      try convert(root, to: dir.url.appendingPathComponent("other.npy")) { $0.statistics = .file(path: stats.path) }
    }
  }

  @Test func imagenetStatisticsSurviveAStatsFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir)
    let stats = dir.url.appendingPathComponent("imagenet.json")
    let first = dir.url.appendingPathComponent("a.npy"), second = dir.url.appendingPathComponent("b.npy")
    _ = try convert(root, to: first) {
      $0.statistics = .imagenet; $0.saveStatisticsTo = stats
    }
    let saved = try StatisticsReport.read(from: stats)
    #expect(
      saved.statistics.mean == [0.485, 0.456, 0.406] && saved.statistics.minimum == nil && saved.statistics.count == nil
    )
    _ = try convert(root, to: second) { $0.statistics = .file(path: stats.path) }
    #expect(try Data(contentsOf: first) == Data(contentsOf: second))
  }

  @Test func directoryOutputHoldsEveryMember() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try makeCorpus(dir, bad: true)
    let out = dir.url.appendingPathComponent("dataset")
    _ = try convert(root, to: out) {
      $0.onError = .skip; $0.statistics = .image
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(
      names == [
        "classes.npy", "duplicates.csv", "files.npy", "mean.npy", "skipped.npy", "stats.json", "std.npy",
        "summary.json", "x.npy", "y.npy",
      ])
    #expect(try npyPayload(out.appendingPathComponent("mean.npy")).header.contains("'shape': (7, 3)"))
    let labels = try npyPayload(out.appendingPathComponent("y.npy")).data
      .withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
    #expect(labels == [0, 0, 0, 1, 1, 1, 1])
    // Converting again replaces the directory; a directory with foreign files is refused.
    _ = try convert(root, to: out) { $0.onError = .skip }
    try dir.file("mine/notes.txt", "keep me")
    #expect(throws: ConversionError.self) {
      try convert(root, to: dir.url.appendingPathComponent("mine"))
    }
    #expect(try String(contentsOf: dir.url.appendingPathComponent("mine/notes.txt"), encoding: .utf8) == "keep me")
  }

  @Test func orderedParallelMapKeepsOrderAndStopsOnError() throws {
    var seen: [Int] = []
    try orderedParallelMap(
      count: 100, jobs: 4, window: 8, produce: { $0 * $0 },
      consume: { i, v in
        #expect(v == i * i)
        seen.append(i)
      })
    #expect(seen == Array(0..<100))
    struct Stop: Error {}
    var consumed = 0
    #expect(throws: Stop.self) {
      try orderedParallelMap(
        count: 1000, jobs: 3, window: 6,
        produce: { i -> Int in
          if i == 10 { throw Stop() }
          return i
        }, consume: { _, _ in consumed += 1 })
    }
    #expect(consumed == 10)
  }

  @Test func statsOptionParsing() {
    #expect(StatisticsSource(argument: "batch:32") == .batch(size: 32))
    #expect(StatisticsSource(argument: "sample:100") == .sample(count: 100))
    #expect(StatisticsSource(argument: "train/stats.JSON") == .file(path: "train/stats.JSON"))
    #expect(StatisticsSource(argument: "batch:0") == nil)
    // Any other word is a statistics file's path (--save-stats writes any name).
    #expect(StatisticsSource(argument: "median") == .file(path: "median"))
    #expect(StatisticsSource(argument: "train.stats") == .file(path: "train.stats"))
    #expect(StatisticsSource(argument: "sample:few") == nil)
    #expect(StatisticsSource(argument: "") == nil)
    #expect(ImageSize(argument: "224") == ImageSize(width: 224, height: 224))
    #expect(ImageSize(argument: "320x240") == ImageSize(width: 320, height: 240))
    #expect(ImageSize(argument: "0x5") == nil)
  }
}
