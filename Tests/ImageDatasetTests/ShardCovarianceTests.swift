import Foundation
import NDArray
import NPYIO
import Testing

@testable import ImageDataset

/// The covariance of a sharded `--whiten` run (``ShardCovariance``): partial sums saved as
/// `.npz` and read back exactly, merged in shard order into the sums of the whole set and the
/// same fitted matrix for any split into shards, and refused by name when missing or not
/// sums. The runs themselves are compared with `normtool convert` in
/// python-interop/test_shard_whiten.py.
@Suite struct ShardCovarianceTests {
  /// 4×4×3 images: D = 48, image scope.
  static let (height, width, channels) = (4, 4, 3)
  static let dimension = height * width * channels

  /// A plan of `images` entries that whitens (`--normalize center --whiten zca --whiten-scope image`).
  static func plan(images: Int) throws -> ShardPlan {
    var options = ConversionOptions()
    options.normalization = .center
    options.whitening = WhiteningOptions(method: .zca, scope: .image)
    let dataset = DatasetPlan(
      source: .init(kind: "folder", path: "/images"), root: "/images", classes: ["a"], labelMode: nil,
      splits: [], splitRule: nil, options: options,
      entries: (0..<images).map { PlanEntry(path: "a/\($0).png", labels: [0], split: nil) }, ignored: [])
    return try ShardPlan.make(dataset: dataset, imagesPerShard: nil, shards: 1)
  }

  /// Saves the sums of images `range` as shard `index`'s part and returns its marker (an
  /// empty range: a shard that measured nothing, with no part).
  static func part(
    _ values: [UInt8], images range: Range<Int>, index: Int, plan: ShardPlan, run: URL
  ) throws -> ShardMarker {
    var marker = ShardMarker(
      plan: plan.hash, index: index, pass: .stats, images: range.count, height: range.isEmpty ? 0 : height,
      width: range.isEmpty ? 0 : width, moments: nil, part: nil, partBytes: nil, checksum: "",
      momentsChecksum: nil, peakRSSBytes: 0, seconds: 0)
    if range.isEmpty { return marker }
    let sums = WhiteningTests.accumulate(values, dimension: dimension, rows: range)
    let url = ShardParts.folder(in: run).appendingPathComponent(ShardCovariance.partName(index: index))
    try ShardCovariance.write(sums, to: url)
    marker.covariance = ShardCovariancePart(
      part: url.lastPathComponent, checksum: ShardParts.hex(try ShardParts.crc32(ofFile: url)), vectors: sums.count)
    return marker
  }

  static func merged(_ plan: ShardPlan, images: Int) -> ShardMergedStatistics {
    ShardMergedStatistics(
      plan: plan.hash, images: images, height: height, width: width,
      moments: PixelMoments(channels: channels, maximumValue: 255))
  }

  @Test func partialSumsRoundTripThroughTheirNPZ() throws {
    let folder = try TemporaryDirectory()
    defer { folder.cleanup() }
    let values = WhiteningTests.vectors(rows: 70, dimension: 17, seed: 3)
    let sums = WhiteningTests.accumulate(values, dimension: 17, rows: 0..<70)
    let url = folder.url.appendingPathComponent("0.covariance.npz")
    try ShardCovariance.write(sums, to: url)
    #expect(try ShardCovariance.read(at: url, shard: 0) == sums)
    // Missing: named, with what to do.
    let missing = folder.url.appendingPathComponent("1.covariance.npz")
    #expect {
      try ShardCovariance.read(at: missing, shard: 1)
    } throws: { error in
      "\(error)".contains(missing.path) && "\(error)".contains("re-run --pass stats for shard 1")
    }
    // Not sums: a full product matrix (non-zero below the diagonal).
    var full = sums.products
    full[17] = 1
    let archive = folder.url.appendingPathComponent("2.covariance.npz")
    let writer = try NPZWriter(url: archive)
    try writer.write(name: "count", array: NDArray(scalar: sums.count))
    try writer.write(name: "sums", array: NDArray(sums.sums))
    try writer.write(name: "products", array: NDArray(full, shape: [17, 17]))
    try writer.finish()
    #expect {
      try ShardCovariance.read(at: archive, shard: 2)
    } throws: { error in
      "\(error)".contains(archive.path) && "\(error)".contains("shard 2: expected int64 covariance sums")
    }
  }

  /// Eight uneven shards (one with no image) merge, in shard order, into the sums of the
  /// whole set, the same bytes as one shard, and the same fitted matrix bit for bit.
  @Test func eightUnevenShardsMergeIntoTheWholeSumsAndTheSameMatrix() throws {
    let images = 300
    let values = WhiteningTests.vectors(rows: images, dimension: Self.dimension, seed: 9)
    let plan = try Self.plan(images: images)
    let whole = WhiteningTests.accumulate(values, dimension: Self.dimension, rows: 0..<images)
    var fits: [(covariance: Data, matrix: NDArray<Double>)] = []
    for bounds in [[0, images], [0, 1, 37, 37, 100, 101, 180, 299, images]] {
      let folder = try TemporaryDirectory()
      defer { folder.cleanup() }
      let run = folder.url
      try FileManager.default.createDirectory(at: ShardParts.folder(in: run), withIntermediateDirectories: true)
      let markers = try (0..<(bounds.count - 1)).map { i in
        try Self.part(values, images: bounds[i]..<bounds[i + 1], index: i, plan: plan, run: run)
      }
      let (record, _) = try ShardCovariance.fit(
        markers, plan: plan, run: run, merged: Self.merged(plan, images: images))
      let covariance = run.appendingPathComponent(ShardCovariance.mergedName)
      #expect(try ShardCovariance.read(at: covariance, shard: 0) == whole)
      #expect(record.vectors == Int64(images) && record.dimension == Self.dimension)
      let matrix = try WhiteningMatrix.read(record: record, statsFile: ShardMerge.url(in: run))
      fits.append((try Data(contentsOf: covariance), matrix.matrix))
      // A marker that measured images but names no sums is refused by index.
      var broken = markers
      let last = broken.count - 1
      broken[last].covariance = nil
      #expect {
        try ShardCovariance.fit(broken, plan: plan, run: run, merged: Self.merged(plan, images: images))
      } throws: { error in
        "\(error)".contains("shard \(last): no covariance sums for --whiten")
      }
    }
    #expect(fits[0].covariance == fits[1].covariance)
    var consumed = whole
    let direct = try WhiteningMatrix(fitting: &consumed, options: plan.options.whitening!)
    for fit in fits { #expect(fit.matrix.flatElements == direct.matrix.flatElements) }
  }

  /// Sums that do not cover the measured images (a stale part) are refused.
  @Test func sumsOfTooFewImagesAreRefused() throws {
    let folder = try TemporaryDirectory()
    defer { folder.cleanup() }
    let run = folder.url
    try FileManager.default.createDirectory(at: ShardParts.folder(in: run), withIntermediateDirectories: true)
    let values = WhiteningTests.vectors(rows: 60, dimension: Self.dimension, seed: 5)
    let plan = try Self.plan(images: 60)
    let marker = try Self.part(values, images: 0..<50, index: 0, plan: plan, run: run)
    #expect {
      try ShardCovariance.fit([marker], plan: plan, run: run, merged: Self.merged(plan, images: 60))
    } throws: { error in
      "\(error)".contains("the covariance sums cover 50 vectors, the measured 60 images give 60")
    }
  }

  /// Image-scope whitening gives each image the same bytes whichever images share its
  /// product (a shard's rows are `convert`'s rows).
  @Test func whitenedRowsDoNotDependOnTheirNeighbours() throws {
    let images = 300
    let values = WhiteningTests.vectors(rows: images, dimension: Self.dimension, seed: 21)
    var sums = WhiteningTests.accumulate(values, dimension: Self.dimension, rows: 0..<images)
    let matrix = try WhiteningMatrix(fitting: &sums, options: WhiteningOptions(method: .pca, scope: .image))
    let whitener = Whitener(
      matrix, width: Self.width, height: Self.height, channels: Self.channels, dtype: .float64, layout: .nhwc)
    let all = values.withUnsafeBufferPointer { whitener.bytes(of: $0) }
    var pieces: [UInt8] = []
    for range in [0..<1, 1..<37, 37..<293, 293..<images] {
      let slice = Array(values[(range.lowerBound * Self.dimension)..<(range.upperBound * Self.dimension)])
      pieces += slice.withUnsafeBufferPointer { whitener.bytes(of: $0) }
    }
    // Compared as one Bool: a failure would otherwise print both 115 KB byte arrays.
    let same = pieces == all
    #expect(same, "image-scope rows differ when whitened in other groups")
  }

  /// A saved matrix's digest (``ShardSavedWhitening``) covers each of its three arrays; a
  /// plan that records one hashes it, and a plan written before the field existed reads back
  /// without one.
  @Test func aSavedMatrixIsRecordedByTheDigestOfEachArray() throws {
    var sums = CovarianceAccumulator(dimension: Self.dimension)
    let values = WhiteningTests.vectors(rows: 60, dimension: Self.dimension, seed: 5)
    values.withUnsafeBufferPointer { sums.add($0) }
    let matrix = try WhiteningMatrix(fitting: &sums, options: WhiteningOptions(method: .zca, scope: .image))
    let saved = ShardSavedWhitening(matrix)
    #expect(saved.record.file == ShardCovariance.whiteningName && saved.record.dimension == Self.dimension)
    var changed = [matrix, matrix, matrix]
    changed[0].matrix = changed[0].matrix * 2
    changed[1].eigenvalues[0] += 1
    changed[2].mean[Self.dimension - 1] = 0.5
    for other in changed { #expect(ShardSavedWhitening.digest(of: other) != saved.digest) }
    var plan = try Self.plan(images: 4)
    plan.savedWhitening = saved
    #expect(plan.computeHash() != plan.hash)
    let decoded = try JSONDecoder().decode(ShardPlan.self, from: ShardPlan.canonicalJSON(try Self.plan(images: 4)))
    #expect(decoded.savedWhitening == nil)
  }
}
