import Foundation
import NDArray
import NPYIO
import Testing

@testable import ImageDataset

/// Every output of a run is checked before decoding and committed together; labels follow
/// a fixed class order; only applied statistics are stored (issue 9, items 1–4).
@Suite struct RunOutputsTests {
  /// A ``SyntheticLoader`` that counts its calls.
  final class CountingLoader: ImageLoader, @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    var count: Int { lock.lock(); defer { lock.unlock() }; return calls }
    func load(_ url: URL) throws -> NDArray<UInt8> {
      lock.lock(); calls += 1; lock.unlock()
      return try SyntheticLoader().load(url)
    }
  }

  func corpus(_ dir: TemporaryDirectory, classes: [String] = ["cats", "dogs"], name: String = "corpus") throws -> URL {
    for (c, className) in classes.enumerated() {
      for i in 0..<2 { try dir.file("\(name)/\(className)/\(i).png", "4 3 \(10 * c + i + 1)") }
    }
    return dir.url.appendingPathComponent(name)
  }

  @Test func aSecondOutputFailingLeavesTheExistingDatasetUntouched() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try corpus(dir)
    let victim = try dir.file("victim.npy", "keep me")
    try dir.folder("stats")
    var options = ConversionOptions()
    options.saveStatisticsTo = dir.url.appendingPathComponent("stats/s.json")
    options.jobs = 1
    // The stats folder passes the up-front check, then vanishes while images are read:
    // writing the stats file fails after the dataset is complete.
    var removed = false
    let progress: (ConversionProgress) -> Void = { _ in
      if !removed { try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("stats")); removed = true }
    }
    #expect(throws: ConversionError.self) {
      try DatasetConverter(options: options, loader: SyntheticLoader()).convert(
        folder: root, to: victim, progress: progress)
    }
    #expect(removed)
    #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
    #expect(dir.entries == ["corpus", "victim.npy"])
  }

  @Test func bothOutputsAppearTogether() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try corpus(dir)
    let out = try dir.file("x.npz", "old dataset"), stats = try dir.file("s.json", "old stats")
    var options = ConversionOptions()
    options.saveStatisticsTo = stats
    _ = try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: root, to: out)
    #expect(try Data(contentsOf: out).prefix(2) == Data([0x50, 0x4B]))
    #expect(try StatisticsReport.read(from: stats).images == 4)
    #expect(dir.entries == ["corpus", "s.json", "x.duplicates.csv", "x.npz", "x.summary.json"])
  }

  @Test(arguments: [
    ("missing/s.json", "No such file or directory"),
    ("folder", "Is a directory"),
    ("x.npz", "name the same file"),
    ("corpus/../x.npz", "name the same file"),
  ])
  func badOutputsFailBeforeAnyDecoding(saveTo: String, reason: String) throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try corpus(dir)
    try dir.folder("folder")
    var options = ConversionOptions()
    options.saveStatisticsTo = dir.url.appendingPathComponent(saveTo)
    let loader = CountingLoader()
    do {
      _ = try DatasetConverter(options: options, loader: loader).convert(
        folder: root, to: dir.url.appendingPathComponent("x.npz"))
      Issue.record("expected a failure for --save-stats \(saveTo)")
    } catch {
      #expect(error.description.hasPrefix("cannot write "), "\(error)")
      #expect(error.description.contains(reason), "\(error)")
    }
    #expect(loader.count == 0)
    #expect(dir.entries == ["corpus", "folder"])
  }

  @Test func aFailedRenameDuringTheCommitPutsBackWhatWasReplaced() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let first = try dir.file("a.npz", "old a")
    try dir.file("b.json/inside", "a folder where a file is to go")
    let transaction = OutputTransaction()
    try transaction.stage(Data("new a".utf8), at: first)
    try transaction.stage(Data("new b".utf8), at: dir.url.appendingPathComponent("b.json"))
    #expect(throws: ConversionError.self) { try transaction.commit() }
    #expect(try String(contentsOf: first, encoding: .utf8) == "old a")
    #expect(dir.entries == ["a.npz", "b.json"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("b.json").path) == ["inside"])
  }

  @Test func aTestFolderLackingAClassKeepsTheTrainingLabels() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let training = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
    let train = try corpus(dir, classes: training, name: "train")
    let test = try corpus(dir, classes: ["daisy", "roses", "tulips"], name: "test")
    let stats = dir.url.appendingPathComponent("train-stats.json")
    var options = ConversionOptions()
    options.saveStatisticsTo = stats
    _ = try DatasetConverter(options: options, loader: SyntheticLoader())
      .convert(folder: train, to: dir.url.appendingPathComponent("train.npz"))
    #expect(try StatisticsReport.read(from: stats).classes == training)
    options = ConversionOptions()
    options.statistics = .file(path: stats.path)
    let out = dir.url.appendingPathComponent("test.npz")
    let report = try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: test, to: out)
    #expect(report.classes == training)
    let npz = try NPZReader(url: out)
    #expect(try npz.read(Int64.self, "y").flatElements == [0, 0, 2, 2, 4, 4])
    #expect(try npz.readStrings("classes") == training)

    try dir.file("test/orchids/0.png", "4 3 99")
    #expect {
      try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: test, to: out)
    } throws: { error in
      "\(error)".contains("'orchids'") && "\(error)".contains(stats.path)
    }
  }

  @Test func classesOptionOrdersLabelsAndFiles() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try corpus(dir, classes: ["a", "b", "c"])
    var options = ConversionOptions()
    options.classes = ["c", "a", "b", "z"]
    let out = dir.url.appendingPathComponent("x.npz")
    let report = try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: root, to: out)
    #expect(report.classes == ["c", "a", "b", "z"])
    let npz = try NPZReader(url: out)
    #expect(try npz.read(Int64.self, "y").flatElements == [0, 0, 1, 1, 2, 2])
    #expect(try npz.readStrings("files") == ["c/0.png", "c/1.png", "a/0.png", "a/1.png", "b/0.png", "b/1.png"])
    options.classes = ["a", "c"]
    #expect {
      try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: root, to: out)
    } throws: { error in "\(error)" == "\(root.path): class folder 'b' not listed in --classes" }
    options.classes = ["a", "b", "a", "c"]
    #expect(throws: ConversionError.self) { try options.validate() }
  }

  @Test func hugeSizesAreRefusedNotTrapped() {
    var options = ConversionOptions()
    options.size = ImageSize(width: 1 << 40, height: 1 << 40)
    #expect(throws: ConversionError.self) { try options.validate() }
    options.size = ImageSize(width: Int.max, height: 2)
    #expect(throws: ConversionError.self) { try options.validate() }
    options.size = ImageSize(width: 224, height: 224)
    #expect(throws: Never.self) { try options.validate() }
  }

  @Test(arguments: [NormalizationMode.none, .scale])
  func statisticsNotAppliedAreNotStored(mode: NormalizationMode) throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let root = try corpus(dir)
    var options = ConversionOptions()
    options.normalization = mode
    options.statistics = .imagenet
    options.saveStatisticsTo = dir.url.appendingPathComponent("s.json")
    let out = dir.url.appendingPathComponent("x.npz")
    let report = try DatasetConverter(options: options, loader: SyntheticLoader()).convert(folder: root, to: out)
    #expect(!report.statisticsApplied)
    #expect(report.statistics.mean != [0.485, 0.456, 0.406])
    #expect(try NPZReader(url: out).memberNames.sorted() == ["classes", "files", "x", "y"])
    let saved = try StatisticsReport.read(from: options.saveStatisticsTo!)
    #expect(!saved.applied && saved.images == 4 && saved.statistics.count != nil)
  }
}

/// Reading statistics files: the minimal form, 0–255 values, `stats --json` output.
@Suite struct StatisticsFileReadingTests {
  func read(_ json: String) throws(ConversionError) -> StatisticsReport {
    let dir = try! TemporaryDirectory()
    defer { dir.cleanup() }
    return try StatisticsReport.read(from: try! dir.file("any-name.txt", json))
  }

  @Test func theMinimalFormIsAccepted() throws {
    let file = try read(#"{"mean": [0.5, 0.25, 0.75], "std": [0.25, 0.5, 0.125]}"#)
    #expect(file.statistics.mean == [0.5, 0.25, 0.75] && file.statistics.std == [0.25, 0.5, 0.125])
    #expect(file.scope == nil && file.channels == nil && file.statistics.count == nil && file.classes == nil)
  }

  @Test func pixelScaleValuesAreRefusedNamingTheConfusion() {
    #expect {
      try read(#"{"mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375]}"#)
    } throws: { error in
      let text = "\(error)"
      return text.contains("outside [0, 1]") && text.contains("0-255") && text.contains(#""scale": 255"#)
    }
  }

  @Test func scale255ValuesAreDividedBy255() throws {
    let file = try read(#"{"mean": [127.5], "std": [51], "min": [0], "max": [255], "scale": 255}"#)
    #expect(
      file.statistics.mean == [0.5] && file.statistics.std == [0.2] && file.statistics.minimum == [0]
        && file.statistics.maximum == [1] && file.scale == 1)
    #expect(throws: ConversionError.self) { try read(#"{"mean": [0.5], "std": [0.2], "scale": 100}"#) }
  }

  @Test func aMissingKeyIsOneLineNamingIt() {
    #expect {
      try read(#"{"mean": [0.5]}"#)
    } throws: { error in
      let text = "\(error)"
      return text.contains(#"no "std" key"#) && !text.contains("keyNotFound") && !text.contains("\n")
    }
  }

  @Test func statsFolderJSONWithOneCountIsAccepted() throws {
    let file = try read(
      #"{"axes": [0, 1, 2], "shape": [3], "scope": "channel", "channels": 3, "count": 120, "mean": [0.1, 0.2, 0.3], "std": [0.1, 0.1, 0.1], "min": [0, 0, 0], "max": [1, 1, 1], "images": 10}"#
    )
    #expect(file.statistics.count == [120, 120, 120] && file.images == 10 && file.scope == .channel)
  }
}
