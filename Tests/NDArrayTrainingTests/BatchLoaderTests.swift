import Foundation
import NDArray
import NDArrayTraining
import NPYIO
import Testing

@Suite struct BatchLoaderTests {
  @Test func withoutShufflingBatchesFollowFileOrderAsViews() throws {
    let (x, y) = labelledSamples(10)
    let loader = try BatchLoader(x: x, y: y, batchSize: 4, shuffle: false, seed: 7)
    #expect(loader.order(ofEpoch: 3) == Array(0..<10))
    let batches = Array(loader.epoch(0))
    #expect(batches.map { $0.x.shape[0] } == [4, 4, 2])
    #expect(batches.flatMap { $0.y.flatElements } == (0..<10).map { Int64($0 * 10) })
    #expect(batches[1].x.flatElements == (24..<48).map { Float($0) })
  }

  @Test func dropLastLeavesOutTheIncompleteBatch() throws {
    let (x, y) = labelledSamples(10)
    for (batchSize, keep, drop) in [
      (4, [4, 4, 2], [4, 4]), (5, [5, 5], [5, 5]), (11, [10], [Int]()),
      (1, Array(repeating: 1, count: 10), Array(repeating: 1, count: 10)),
    ] {
      let kept = try BatchLoader(x: x, y: y, batchSize: batchSize, seed: 3, dropLast: false)
      let dropped = try BatchLoader(x: x, y: y, batchSize: batchSize, seed: 3, dropLast: true)
      #expect(Array(kept.epoch(1)).map { $0.x.shape[0] } == keep)
      #expect(Array(dropped.epoch(1)).map { $0.x.shape[0] } == drop)
      #expect(kept.batchCount == keep.count && dropped.batchCount == drop.count)
      // Dropping the tail keeps the same order for the batches that remain.
      #expect(
        Array(dropped.epoch(1)).flatMap { $0.y.flatElements }
          == Array(Array(kept.epoch(1)).flatMap { $0.y.flatElements }.prefix(drop.reduce(0, +))))
    }
  }

  @Test func emptyAndOneElementDatasets() throws {
    let (x0, y0) = labelledSamples(0)
    let empty = try BatchLoader(x: x0, y: y0, batchSize: 3, seed: 1)
    #expect(empty.batchCount == 0)
    #expect(Array(empty.epoch(0)).isEmpty && Array(empty.epoch(2)).isEmpty)
    let (x1, y1) = labelledSamples(1)
    for dropLast in [false, true] {
      let one = try BatchLoader(x: x1, y: y1, batchSize: 3, seed: 1, dropLast: dropLast)
      let batches = Array(one.epoch(0))
      #expect(batches.count == (dropLast ? 0 : 1))
      if !dropLast {
        #expect(batches[0].x.shape == [1, 2, 3] && batches[0].y.flatElements == [0])
      }
    }
  }

  @Test func iteratorKeepsGivingBatchesWhilePrefetchingAndStopsAtTheEnd() throws {
    let (x, y) = labelledSamples(9)
    let loader = try BatchLoader(x: x, y: y, batchSize: 2, seed: 5)
    var iterator = loader.epoch(0).makeIterator()
    var seen: [Int64] = []
    while let batch = iterator.next() { seen += batch.y.flatElements }
    #expect(iterator.next() == nil)
    #expect(seen == loader.order(ofEpoch: 0).map { Int64($0 * 10) })
    // Abandoning an iterator mid-epoch (its prefetch still running) is safe.
    var abandoned = loader.epoch(1).makeIterator()
    #expect(abandoned.next()?.x.shape == [2, 2, 3])
  }

  @Test func badArgumentsAreOneLineErrors() {
    let (x, y) = labelledSamples(4)
    #expect(throws: BatchLoaderError.invalidBatchSize(0)) { try BatchLoader(x: x, y: y, batchSize: 0) }
    #expect(throws: BatchLoaderError.lengthMismatch(file: "arrays", samples: 4, labels: 3)) {
      try BatchLoader(x: x, y: NDArray<Int64>([1, 2, 3]), batchSize: 2)
    }
    #expect(throws: BatchLoaderError.zeroDimensional(file: "arrays", name: "y")) {
      try BatchLoader(x: x, y: NDArray<Int64>(scalar: 1), batchSize: 2)
    }
  }
}

/// Loading from the files normtool writes.
@Suite struct BatchLoaderFileTests {
  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("batchloader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func expectOneLine(_ error: any Error, contains parts: [String]) {
    let text = String(describing: error)
    #expect(!text.contains("\n"), "\(text)")
    for part in parts { #expect(text.contains(part), "\(text) lacks \(part)") }
  }

  @Test func directoryArchiveAndNpyPairGiveTheSameBatches() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (x, y) = labelledSamples(11)
    let dataset = dir.appendingPathComponent("train")
    try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
    try NPY.write(x, to: dataset.appendingPathComponent("x.npy"))
    try NPY.write(y, to: dataset.appendingPathComponent("y.npy"))
    let archive = dir.appendingPathComponent("train.npz")
    let writer = try NPZWriter(url: archive, compression: .defaultDeflate)
    try writer.write(name: "x", array: x)
    try writer.write(name: "y", array: y)
    try writer.write(name: "classes", strings: ["a", "b"])
    try writer.finish()

    let inMemory = try BatchLoader(x: x, y: y, batchSize: 4, seed: 42)
    let fromDirectory = try BatchLoader<Float, Int64>(contentsOf: dataset, batchSize: 4, seed: 42)
    let fromArchive = try BatchLoader<Float, Int64>(contentsOf: archive, batchSize: 4, seed: 42)
    let fromPair = try BatchLoader<Float, Int64>(
      features: dataset.appendingPathComponent("x.npy"),
      labels: dataset.appendingPathComponent("y.npy"),
      batchSize: 4, seed: 42)
    for loader in [fromDirectory, fromArchive, fromPair] {
      #expect(loader.sampleCount == 11)
      for epoch in 0..<3 {
        let expected = Array(inMemory.epoch(epoch))
        let got = Array(loader.epoch(epoch))
        #expect(got.map { $0.x.flatElements } == expected.map { $0.x.flatElements })
        #expect(got.map { $0.y.flatElements } == expected.map { $0.y.flatElements })
      }
    }
  }

  @Test func missingLabelsLengthMismatchAndWrongDtypeAreOneLineErrors() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (x, y) = labelledSamples(5)

    let noLabels = dir.appendingPathComponent("nolabels")
    try FileManager.default.createDirectory(at: noLabels, withIntermediateDirectories: true)
    try NPY.write(x, to: noLabels.appendingPathComponent("x.npy"))
    let missing = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Float, Int64>(contentsOf: noLabels, batchSize: 2)
    }
    expectOneLine(missing!, contains: [noLabels.path, "'y'"])

    let archive = dir.appendingPathComponent("nolabels.npz")
    let writer = try NPZWriter(url: archive)
    try writer.write(name: "x", array: x)
    try writer.finish()
    let missingMember = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Float, Int64>(contentsOf: archive, batchSize: 2)
    }
    expectOneLine(missingMember!, contains: [archive.path, "'y'"])

    let mismatched = dir.appendingPathComponent("mismatch")
    try FileManager.default.createDirectory(at: mismatched, withIntermediateDirectories: true)
    try NPY.write(x, to: mismatched.appendingPathComponent("x.npy"))
    try NPY.write(NDArray<Int64>([1, 2, 3]), to: mismatched.appendingPathComponent("y.npy"))
    let lengths = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Float, Int64>(contentsOf: mismatched, batchSize: 2)
    }
    expectOneLine(lengths!, contains: [mismatched.path, "5 samples", "3 labels"])

    let wrongType = dir.appendingPathComponent("wrongtype")
    try FileManager.default.createDirectory(at: wrongType, withIntermediateDirectories: true)
    try NPY.write(x, to: wrongType.appendingPathComponent("x.npy"))
    try NPY.write(y, to: wrongType.appendingPathComponent("y.npy"))
    let dtype = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Double, Int64>(contentsOf: wrongType, batchSize: 2)
    }
    expectOneLine(dtype!, contains: [wrongType.appendingPathComponent("x.npy").path, "float32", "float64"])

    let text = dir.appendingPathComponent("notes.txt")
    try Data("hello".utf8).write(to: text)
    let unsupported = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Float, Int64>(contentsOf: text, batchSize: 2)
    }
    expectOneLine(unsupported!, contains: [text.path])

    let lone = dir.appendingPathComponent("x.npy")
    try NPY.write(x, to: lone)
    let loneError = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Float, Int64>(contentsOf: lone, batchSize: 2)
    }
    expectOneLine(loneError!, contains: [lone.path, "'y'"])

    let absent = dir.appendingPathComponent("absent.npz")
    let absentError = #expect(throws: BatchLoaderError.self) {
      try BatchLoader<Float, Int64>(contentsOf: absent, batchSize: 2)
    }
    expectOneLine(absentError!, contains: [absent.path, "no such file"])

    let corrupt = dir.appendingPathComponent("corrupt")
    try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
    try Data("not an npy".utf8).write(to: corrupt.appendingPathComponent("x.npy"))
    try NPY.write(y, to: corrupt.appendingPathComponent("y.npy"))
    let bad = #expect(throws: (any Error).self) {
      try BatchLoader<Float, Int64>(contentsOf: corrupt, batchSize: 2)
    }
    expectOneLine(bad!, contains: [corrupt.appendingPathComponent("x.npy").path])
  }
}
