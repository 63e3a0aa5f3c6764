import Foundation
import Testing

@testable import ImageDataset

/// The plan's pieces: SHA-256, the hash, Codable round trips, label files, split counts.
@Suite struct DatasetPlanTests {
  /// FIPS 180-4 examples, as `hashlib.sha256(...).hexdigest()` prints them.
  @Test func sha256MatchesHashlib() {
    #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hexDigest([UInt8](repeating: 0x61, count: 1000))
        == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  func samplePlan() -> DatasetPlan {
    var options = ConversionOptions()
    options.size = ImageSize(width: 8, height: 6)
    options.statistics = .file(path: "train/stats.json")
    options.classes = ["cat", "dog"]
    return DatasetPlan(
      source: .init(kind: "labels", path: "labels.csv"), root: "data", classes: ["cat", "dog"],
      labelMode: .categorical, splits: ["train", "val"],
      splitRule: SplitRule(parts: [.init(name: "train", fraction: 0.75), .init(name: "val", fraction: 0.25)], seed: 3),
      options: options,
      entries: [
        PlanEntry(path: "a/1.png", labels: [0], split: "train", group: "p1"),
        PlanEntry(path: "b/2.png", labels: [1], split: "val"),
      ], ignored: []
    ).sealed()
  }

  @Test func hashCoversEntriesAndOptionsAndSurvivesARoundTrip() throws {
    let plan = samplePlan()
    #expect(plan.hash.count == 64 && plan.isIntact)
    #expect(
      plan.hash
        == SHA256.hexDigest(
          Array(
            {
              var p = plan; p.hash = ""; return p.canonicalJSON()
            }())))
    let decoded = try JSONDecoder().decode(DatasetPlan.self, from: plan.encoded())
    #expect(decoded == plan && decoded.isIntact)
    var moved = plan
    moved.entries[1].split = "train"
    #expect(moved.computeHash() != plan.hash)
    var resized = plan
    resized.options.size = ImageSize(width: 8, height: 8)
    #expect(resized.computeHash() != plan.hash)
    var threads = plan
    threads.options.jobs = 99
    #expect(threads.computeHash() == plan.hash)
    // --dedupe and --export change the outputs: hashed, and kept through JSON.
    var sideFiles = plan
    sideFiles.options.dedupe = .keepFirst
    sideFiles.options.exports = [.timm, .hf]
    sideFiles = sideFiles.sealed()
    #expect(sideFiles.hash != plan.hash)
    let decodedSideFiles = try JSONDecoder().decode(DatasetPlan.self, from: sideFiles.encoded())
    #expect(decodedSideFiles == sideFiles && decodedSideFiles.options.exports == [.timm, .hf])
  }

  @Test func readRefusesAnEditedPlan() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let url = dir.url.appendingPathComponent("plan.json")
    let text = String(decoding: samplePlan().encoded(), as: UTF8.self).replacingOccurrences(
      of: "b/2.png", with: "b/3.png")
    try text.write(to: url, atomically: true, encoding: .utf8)
    #expect(throws: ConversionError.self) { try DatasetPlan.read(from: url) }
  }

  @Test func csvFieldsFollowRFC4180() throws {
    let fields = try LabelFile.fields(of: "\"a, b\",\"say \"\"hi\"\"\",plain,", separator: ",", path: "f", line: 1)
    #expect(fields == ["a, b", "say \"hi\"", "plain", ""])
    #expect(throws: ConversionError.self) { try LabelFile.fields(of: "\"open,x", separator: ",", path: "f", line: 1) }
  }

  @Test func pathsAreNormalizedAndKeptInsideTheRoot() throws {
    #expect(try LabelResolver.normalize("a/./b//c.png").get() == "a/b/c.png")
    #expect(try LabelResolver.normalize("a/../b.png").get() == "b.png")
    #expect((try? LabelResolver.normalize("../b.png").get()) == nil)
    #expect((try? LabelResolver.normalize("a/../../b.png").get()) == nil)
    #expect((try? LabelResolver.normalize("/etc/passwd").get()) == nil)
  }

  /// The rounding rule of docs/design.md §5, worked by hand.
  @Test func splitCountsUseLargestRemaindersAndGiveTrainAnImage() {
    #expect(SplitAssignment.counts(7, fractions: [0.6, 0.2, 0.2], training: 0) == [4, 2, 1])
    #expect(SplitAssignment.counts(10, fractions: [0.8, 0.1, 0.1], training: 0) == [8, 1, 1])
    #expect(SplitAssignment.counts(1, fractions: [0.2, 0.2, 0.6], training: 0) == [1, 0, 0])
    #expect(SplitAssignment.counts(2, fractions: [0.1, 0.45, 0.45], training: 0) == [1, 1, 0])
    #expect(SplitAssignment.counts(0, fractions: [0.5, 0.5], training: 0) == [0, 0])
  }

  @Test func splitArgumentsAreChecked() {
    #expect(
      (try? SplitRule.parts(argument: "train=0.8,val=0.1,test=0.1").get())?.map(\.name) == ["train", "val", "test"])
    #expect((try? SplitRule.parts(argument: "train=0.8,val=0.1").get()) == nil)
    #expect((try? SplitRule.parts(argument: "train=0.5,train=0.5").get()) == nil)
    #expect((try? SplitRule.parts(argument: "../x=1").get()) == nil)
  }

  @Test func labelArraysEncodeEveryMode() {
    let rows = [[1], [0], [0, 2], []]
    guard case .int64(let ints) = LabelArray([[1], [0], []], classes: 3, mode: .int) else { Issue.record(); return }
    #expect(ints == [1, 0, -1])
    guard case .float32(let hot, let columns) = LabelArray(rows, classes: 3, mode: .multiHot) else {
      Issue.record(); return
    }
    #expect(columns == 3 && hot == [0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0])
    guard case .float32(let binary, 1) = LabelArray([[1], [0]], classes: 2, mode: .binary) else {
      Issue.record(); return
    }
    #expect(binary == [1, 0])
  }
}
