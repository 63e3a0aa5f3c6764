import Foundation
import Testing

@testable import ImageDataset

/// The pieces of `normtool shard` that need no images: shard ranges (`numpy.array_split`'s
/// sizes), Slurm `--array` lists, the npy stack's `info` pickle, the plan hash, moments as
/// JSON and the shard index from the engines' variables. The runs themselves are checked
/// against `normtool convert` in python-interop/test_shard*.py.
@Suite struct ShardingTests {
  @Test func shardsSplitLikeArraySplitAndBySize() throws {
    // numpy.array_split(range(10), 3) sizes: 4, 3, 3.
    #expect(try ShardPlan.ranges(count: 10, imagesPerShard: nil, shards: 3).map(\.count) == [4, 3, 3])
    #expect(try ShardPlan.ranges(count: 10, imagesPerShard: 4, shards: nil).map(\.count) == [4, 4, 2])
    let ranges = try ShardPlan.ranges(count: 1000, imagesPerShard: nil, shards: 37)
    #expect(ranges.first?.start == 0 && ranges.last?.end == 1000)
    #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.end == $1.start })
    #expect(throws: ConversionError.self) { try ShardPlan.ranges(count: 5000, imagesPerShard: 1, shards: nil) }
    #expect(throws: ConversionError.self) { try ShardPlan.ranges(count: 5, imagesPerShard: 2, shards: 2) }
  }

  @Test func batchStatisticsKeepEveryBatchInOneShard() throws {
    // 23 images in batches of 4: 6 batches (the last of 3) over 4 shards as array_split(6, 4): 2, 2, 1, 1.
    let ranges = try ShardPlan.ranges(count: 23, imagesPerShard: nil, shards: 4, multiple: 4)
    #expect(ranges.map(\.start) == [0, 8, 16, 20] && ranges.map(\.end) == [8, 16, 20, 23])
    // 5 images a shard round up to 8.
    #expect(try ShardPlan.ranges(count: 23, imagesPerShard: 5, shards: nil, multiple: 4).map(\.count) == [8, 8, 7])
    // More shards than batches: refused.
    #expect(throws: ConversionError.self) {
      try ShardPlan.ranges(count: 23, imagesPerShard: nil, shards: 7, multiple: 4)
    }
    var options = ConversionOptions()
    options.statistics = .batch(size: 2)
    var dataset = splitPlan([nil, nil, nil, nil, nil], options: options)
    dataset.splits = []
    let plan = try ShardPlan.make(dataset: dataset, imagesPerShard: nil, shards: 2)
    #expect(plan.statistics == .groups(size: 2) && plan.passes == [.all] && plan.shards.map(\.count) == [4, 1])
  }

  /// A plan of five images in splits `val` and `train`, interleaved as `--split` leaves them.
  func splitPlan(_ splits: [String?], options: ConversionOptions = ConversionOptions()) -> DatasetPlan {
    DatasetPlan(
      source: .init(kind: "folder", path: "/images"), root: "/images", classes: ["a"], labelMode: nil,
      splits: ["val", "train"], splitRule: nil, options: options,
      entries: splits.enumerated().map { PlanEntry(path: "a/\($0).png", labels: [0], split: $1) }, ignored: [])
  }

  @Test func splitPlansShardInPlanOrderAndMeasureTheTrainingSplit() throws {
    let plan = try ShardPlan.make(
      dataset: splitPlan(["val", "train", "train", "val", "train"]), imagesPerShard: nil, shards: 2)
    #expect(plan.shards.map(\.count) == [3, 2])
    #expect(plan.splitsInRunOrder == ["train", "val"])
    #expect((0..<5).map { plan.isMeasured(entry: $0) } == [false, true, true, false, true])
    #expect(plan.measuredImages == 3 && plan.needsStatisticsPass)
    // The training split's statistics normalize the others: without training images, no plan.
    #expect(throws: ConversionError.self) {
      try ShardPlan.make(dataset: splitPlan(["val", "val"]), imagesPerShard: nil, shards: 1)
    }
    var none = ConversionOptions()
    none.normalization = .none
    let unnormalized = try ShardPlan.make(
      dataset: splitPlan(["val", "val"], options: none), imagesPerShard: nil, shards: 1)
    #expect(!unnormalized.needsStatisticsPass)
  }

  @Test func arrayListsJoinRuns() {
    #expect(ShardStatus.arrayList([5, 0, 1, 2, 7, 8, 9, 1]) == "0-2,5,7-9")
    #expect(ShardStatus.arrayList([3]) == "3")
    #expect(ShardStatus.arrayList([]) == "")
  }

  @Test func infoIsAProtocolZeroPickleOfPlainValues() {
    let info = NPYStackInfo(chunks: [[2, 1], [4], [3]], dtype: "<f4", axis: 0)
    // pickletools.dis of these bytes: MARK DICT, UNICODE 'chunks', MARK MARK INT 2 INT 1 TUPLE
    // MARK INT 4 TUPLE MARK INT 3 TUPLE TUPLE SETITEM, ... STOP.
    #expect(
      String(decoding: info.pickled, as: UTF8.self)
        == "(dVchunks\n((I2\nI1\nt(I4\nt(I3\nttsVdtype\nV<f4\nsVaxis\nI0\ns.")
  }

  @Test func sha256MatchesTheStandardVectors() {
    #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(SHA256.hexDigest(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func momentsSurviveJSONExactly() throws {
    var moments = PixelMoments(channels: 3, maximumValue: 255)
    moments.count = [UInt64.max - 1, 2, 3]
    moments.sum = [1 << 60, 5, 6]
    moments.sumOfSquares = [1 << 63, 8, 9]
    moments.minimum = [0, 1, 2]
    moments.maximum = [255, 254, 253]
    let data = try JSONEncoder().encode(moments)
    #expect(try JSONDecoder().decode(PixelMoments.self, from: data) == moments)
    let lopsided = Data(#"{"count":[1,2],"sum":[1],"sum_of_squares":[1,2],"min":[0,0],"max":[1,1]}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(PixelMoments.self, from: lopsided) }
  }

  @Test func theIndexComesFromTheFirstVariableSet() throws {
    #expect(try ShardIndex.resolve(explicit: 4, environment: ["SLURM_ARRAY_TASK_ID": "1"]) == 4)
    #expect(
      try ShardIndex.resolve(explicit: nil, environment: ["JOB_COMPLETION_INDEX": "2", "NORMTOOL_SHARD_INDEX": "3"])
        == 2)
    #expect(try ShardIndex.resolve(explicit: nil, environment: ["NORMTOOL_SHARD_INDEX": "3"]) == 3)
    #expect(throws: ConversionError.self) { try ShardIndex.resolve(explicit: nil, environment: [:]) }
    #expect(throws: ConversionError.self) {
      try ShardIndex.resolve(explicit: nil, environment: ["SLURM_ARRAY_TASK_ID": "x"])
    }
  }
}
