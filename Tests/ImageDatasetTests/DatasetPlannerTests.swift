import Foundation
import NDArray
import NPYIO
import Testing

@testable import ImageDataset

/// Plans from label files, and a plan with splits run end to end with ``SyntheticLoader``.
@Suite struct DatasetPlannerTests {
  func corpus(_ dir: TemporaryDirectory) throws {
    for (i, name) in ["a/1.png", "a/2.png", "b/3.png", "b/4.png", "c/5.png", "c/6.png"].enumerated() {
      try dir.file("data/" + name, "4 3 \(i + 1)")
    }
  }

  func plan(
    _ dir: TemporaryDirectory, labels name: String, _ text: String, _ change: (inout PlanRequest) -> Void = { _ in }
  )
    throws(ConversionError) -> DatasetPlan
  {
    let url = try! dir.file("data/" + name, text)
    var request = PlanRequest(source: .labels(url))
    change(&request)
    return try DatasetPlanner.plan(request, options: ConversionOptions()).plan
  }

  @Test func csvTsvAndJSONLGiveTheSameEntries() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try corpus(dir)
    let csv = try plan(dir, labels: "l.csv", "path,label,group\nc/5.png,cat,p1\na/1.png,\"dog\",p2\nb/3.png,cat|dog,\n")
    let tsv = try plan(
      dir, labels: "l.tsv", "label\tpath\tgroup\ncat\tc/5.png\tp1\ndog\ta/1.png\tp2\ncat|dog\tb/3.png\t\n")
    let jsonl = try plan(
      dir, labels: "l.jsonl",
      "{\"path\": \"c/5.png\", \"label\": \"cat\", \"group\": \"p1\"}\n{\"path\": \"a/1.png\", \"label\": \"dog\", \"group\": \"p2\"}\n{\"path\": \"b/3.png\", \"label\": [\"cat\", \"dog\"]}\n"
    )
    for plan in [csv, tsv, jsonl] {
      #expect(plan.classes == ["cat", "dog"])
      #expect(
        plan.entries == [
          PlanEntry(path: "c/5.png", labels: [0], group: "p1"), PlanEntry(path: "a/1.png", labels: [1], group: "p2"),
          PlanEntry(path: "b/3.png", labels: [0, 1]),
        ])
      #expect(plan.resolvedLabelMode == .multiHot)
    }
  }

  @Test func errorsNameTheFileAndLine() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try corpus(dir)
    let cases: [(String, String)] = [
      ("path,label\na/1.png,x\na/9.png,x\n", ":3: 'a/9.png' does not exist"),
      ("path,label\na/1.png,x\n./a/1.png,x\n", ":3: duplicate path 'a/1.png' (first on line 2)"),
      ("path,label\na/../../x.png,x\n", ":2: 'a/../../x.png' escapes the root"),
      ("path,label\na/1.png,x|y\n", ":2: 2 labels 'x|y'; expected one"),
    ]
    for (text, expected) in cases {
      do {
        _ = try plan(dir, labels: "bad.csv", text) { $0.labelMode = .int }
        Issue.record("no error for \(text)")
      } catch {
        #expect(error.description.contains("bad.csv" + expected), "\(error.description)")
      }
    }
    do {
      var options = ConversionOptions()
      options.classes = ["x", "y"]
      let url = try dir.file("data/unknown.csv", "path,label\na/1.png,z\n")
      _ = try DatasetPlanner.plan(PlanRequest(source: .labels(url)), options: options)
      Issue.record("unknown label accepted")
    } catch {
      #expect("\(error)".hasSuffix("unknown.csv:2: unknown label 'z' (not in --classes)"))
    }
  }

  @Test func aPlanWithSplitsRunsToOneFolder() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try corpus(dir)
    var request = PlanRequest(source: .folder(dir.url.appendingPathComponent("data")))
    request.split = [.init(name: "train", fraction: 0.5), .init(name: "test", fraction: 0.5)]
    request.labelMode = .categorical
    let (plan, warnings) = try DatasetPlanner.plan(request, options: ConversionOptions())
    #expect(warnings.isEmpty && plan.splits == ["train", "test"])
    // Each class of two images: one to train, one to test.
    for label in 0..<3 {
      #expect(Set(plan.entries.filter { $0.labels == [label] }.compactMap(\.split)) == ["train", "test"])
    }
    let out = dir.url.appendingPathComponent("out")
    let report = try DatasetConverter(options: ConversionOptions(), loader: SyntheticLoader()).run(plan, to: out)
    #expect(report.splits == ["train", "test"] && report.reports.map(\.images) == [3, 3])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [
        "duplicates.csv", "splits.csv", "stats.json", "summary.json", "test.npz", "train.npz",
      ])
    let train = try NPZReader(url: out.appendingPathComponent("train.npz"))
    let y = try train.read("y")
    #expect(y.shape == [3, 3] && y.dtype == .float32)
    #expect(report.reports[1].statisticsReport.statistics.mean == report.reports[0].statisticsReport.statistics.mean)
    #expect(dir.entries == ["data", "out"])
  }

  /// Runs the corpus plus `b/copy.png` (a/1.png's pixels) with `--dedupe keep-first` and a
  /// label file of `rows` (path,label,split) split train/val; returns the report and OUT.
  func keepFirstSplitRun(_ dir: TemporaryDirectory, labels rows: String) throws -> (PlanRunReport, URL) {
    try corpus(dir)
    try dir.file("data/b/copy.png", "4 3 1")
    let url = try dir.file("data/labels.csv", "path,label,split\n" + rows)
    var options = ConversionOptions()
    options.dedupe = .keepFirst
    var request = PlanRequest(source: .labels(url))
    request.split = [.init(name: "train", fraction: 0.5), .init(name: "val", fraction: 0.5)]
    let (plan, _) = try DatasetPlanner.plan(request, options: options)
    let out = dir.url.appendingPathComponent("out")
    return (try DatasetConverter(options: options, loader: SyntheticLoader()).run(plan, to: out), out)
  }

  /// The pipeline's joint rule: one duplicate finder over all splits, the training split
  /// first, so keep-first drops val's copy of a training image even when its row comes first;
  /// the summary counts per split; the side files are written once in OUT/.
  @Test func keepFirstAcrossSplitsDropsFromTheLaterSplit() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let (report, out) = try keepFirstSplitRun(
      dir, labels: "b/copy.png,b,val\na/1.png,a,train\na/2.png,a,train\nb/3.png,b,val\n")
    #expect(report.reports.map(\.images) == [2, 1])
    let duplicates = report.summary.duplicates
    #expect(duplicates.count == 1)
    #expect(duplicates.first?.file == "b/copy.png" && duplicates.first?.original == "a/1.png")
    #expect(duplicates.first?.split == "val" && duplicates.first?.originalSplit == "train")
    #expect(duplicates.first?.crossesSplits == true && duplicates.first?.dropped == true)
    #expect(report.summary.perSplit.map(\.name) == ["train", "val"])
    #expect(report.summary.perSplit.map(\.perClass) == [[2, 0], [0, 1]] && report.summary.splitImages == [2, 1])
    #expect(report.summary.warnings.contains { $0.hasPrefix("1 duplicate across splits") })
    let val = try NPZReader(url: out.appendingPathComponent("val.npz"))
    #expect(try val.readStrings("dropped") == ["b/copy.png"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [
        "duplicates.csv", "splits.csv", "stats.json", "summary.json", "train.npz", "val.npz",
      ])
    let csv = try String(contentsOf: out.appendingPathComponent("duplicates.csv"), encoding: .utf8)
    #expect(csv.hasSuffix("b/copy.png,a/1.png,same-pixels,val,train,1\r\n"))
  }

  /// A split whose every image copies an earlier split's writes nothing, with a warning; the
  /// other outputs land.
  @Test func aSplitOfOnlyDroppedDuplicatesWritesNothing() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let (report, out) = try keepFirstSplitRun(dir, labels: "a/1.png,a,train\nb/3.png,b,train\nb/copy.png,b,val\n")
    #expect(report.splits == ["train"] && report.reports.map(\.images) == [2])
    #expect(report.summary.duplicates.map(\.dropped) == [true])
    #expect(report.summary.warnings.contains { $0.hasPrefix("split 'val': every image (1) is a duplicate") })
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [
        "duplicates.csv", "splits.csv", "stats.json", "summary.json", "train.npz",
      ])
  }
}
