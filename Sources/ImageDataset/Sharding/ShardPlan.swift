import Foundation
import NPYIO

/// What `normtool shard plan` writes to `RUN/plan.json`: the dataset plan of issue 12
/// (``DatasetPlan``: the images in output order, their labels, the options), the statistics
/// when they are known up front, the shard ranges, and a hash of all of it that every part
/// carries.
///
/// One plan, run as any number of tasks in any order on any engine (Slurm job arrays,
/// Kubernetes Indexed Jobs, Dask), gives the bytes `normtool convert` gives. With splits,
/// shards still cover the entries in plan order and may hold images of several splits:
/// each writes one part per split, and the `stats` pass measures the training split only. The
/// equivalent in Python tools is a shard list (img2dataset, TFDS/Beam); NumPy has none.
public struct ShardPlan: Codable, Sendable, Equatable {
  /// What the statistics that normalize `x` come from.
  public enum Statistics: Codable, Sendable, Equatable {
    /// The whole dataset's: a `stats` pass, `merge`, then a `write` pass.
    case dataset
    /// Known before the first image (`--stats imagenet` or a file), or not applied
    /// (`--normalize none|scale`): one `all` pass. `images` is what they cover.
    case fixed(NormalizationStatistics?, images: Int)
    /// Each run of `size` images in plan order normalized with that run's own statistics
    /// (`--stats image`: 1, `--stats batch:N`: N): one `all` pass; shards start at multiples
    /// of `size`, so no group spans two shards.
    case groups(size: Int)
  }

  /// One shard: entries `start..<end` of the dataset plan.
  public struct Range: Codable, Sendable, Equatable {
    /// The first entry.
    public var start: Int
    /// One past the last entry.
    public var end: Int
    /// The number of images.
    public var count: Int { end - start }
  }

  /// The most shards a plan may have: the npy stack's files are opened together by readers,
  /// and 1024 is the usual limit on open files (`ulimit -n`).
  public static let maximumShards = 1024
  /// `plan.json`'s `format`.
  public static let formatName = "normtool-shard-plan"

  /// Always ``formatName``.
  public var format: String
  /// The layout version of this file.
  public var version: Int
  /// The images, labels and options (`normtool plan`'s plan).
  public var dataset: DatasetPlan
  /// The folder the entries are relative to, absolute: where tasks read them.
  public var folder: String
  /// Where the normalizing statistics come from.
  public var statistics: Statistics
  /// The shards, in scan order; together they cover the entries once.
  public var shards: [Range]
  /// Whether the `stats` pass keeps each shard's resized `uint8` pixels
  /// (`RUN/parts/I.pixels.npy`) for the `write` pass to read instead of decoding again.
  public var keepPixels: Bool
  /// `--stats sample:K`: the entries the `stats` pass measures, sorted (the sample `convert`
  /// draws: ``SampleSelection`` over the training split's entries with splits, else over
  /// all); nil otherwise.
  public var sample: [Int]?
  /// `--whiten` with `--stats FILE`: the file's matrix, which ``write(run:)`` copies to
  /// `RUN/whitening.npz` and every task whitens with; nil otherwise.
  public var savedWhitening: ShardSavedWhitening?
  /// The hash of everything above (``computeHash()``); parts carry it.
  public var hash: String

  /// The conversion options.
  public var options: ConversionOptions { dataset.options }
  /// The images, relative to ``folder``, in output order.
  public var files: [String] { dataset.entries.map(\.path) }
  /// The class names in label order; empty when unlabeled.
  public var classes: [String] { dataset.classes }
  /// What `stats.json` records as the options (`folder` as given).
  public var record: [String: String] { options.record(folder: URL(fileURLWithPath: dataset.root).path) }

  /// Whether the plan runs as `stats`, `merge`, `write` (true) or as one `all` pass.
  public var needsStatisticsPass: Bool { statistics == .dataset }

  /// The splits in the order `normtool convert` runs them: the training split
  /// (``DatasetPlan/trainingSplit``) first, then the others in the plan's order; empty
  /// without splits.
  public var splitsInRunOrder: [String] {
    guard let training = dataset.trainingSplit else { return [] }
    return [training] + dataset.splits.filter { $0 != training }
  }

  /// Whether entry `index` is measured by the `stats` pass: every entry without splits,
  /// the training split's with them (its statistics normalize every split).
  func isMeasured(entry index: Int) -> Bool {
    if let sample {
      // Binary search: the sample is sorted.
      var low = 0, high = sample.count
      while low < high {
        let middle = (low + high) / 2
        if sample[middle] < index { low = middle + 1 } else { high = middle }
      }
      return low < sample.count && sample[low] == index
    }
    guard let training = dataset.trainingSplit else { return true }
    return dataset.entries[index].split == training
  }

  /// The number of images the `stats` pass measures.
  var measuredImages: Int {
    if let sample { return sample.count }
    guard let training = dataset.trainingSplit else { return files.count }
    return dataset.entries(in: training).count
  }

  /// The pass that decodes every image of a shard and so records their facts and hashes for
  /// the summary (``ShardImageFacts``): `all`; with a `stats` pass, `write`, or `stats` when
  /// it keeps the pixels the `write` pass reads.
  public var factsPass: ShardPass { !needsStatisticsPass ? .all : keepPixels ? .stats : .write }

  /// The passes a task runs, in order.
  public var passes: [ShardPass] { needsStatisticsPass ? [.stats, .write] : [.all] }

  /// Splits the entries of `dataset` into shards of `imagesPerShard` (the last one
  /// smaller) or into `shards` shards whose sizes differ by at most one (as
  /// `numpy.array_split`). `keepPixels` applies to two-pass plans only.
  ///
  /// - Throws: ``ConversionError`` for options a sharded run cannot honour, an unreadable
  ///   statistics file, or a shard count out of range.
  public static func make(
    dataset: DatasetPlan, imagesPerShard: Int?, shards: Int?, keepPixels: Bool = false
  ) throws(ConversionError) -> ShardPlan {
    let options = dataset.options
    try options.validate()
    try checkShardable(options)
    let statistics: Statistics
    var savedWhitening: ShardSavedWhitening?
    switch options.statistics {
    case _ where !options.normalization.usesStatistics: statistics = .fixed(nil, images: 0)
    case .imagenet: statistics = .fixed(.imagenet(channels: options.channels, scope: options.scope), images: 0)
    case .image: statistics = .groups(size: 1)
    case .batch(let size): statistics = .groups(size: size)
    case .given(let given): statistics = .fixed(given, images: 0)
    case .file(let path):
      let file = try StatisticsReport.read(from: URL(fileURLWithPath: path))
      try ConversionRun.check(file, path: path, options: options)
      statistics = .fixed(file.statistics, images: file.images)
      if let whitening = options.whitening {
        let matrix = try ConversionRun.whitening(whitening, from: file, path: path)
        // Every image comes out at --size: a matrix for another length is refused now, not
        // at each task's first image.
        if whitening.scope == .image, let size = options.size,
          size.width * size.height * options.channels != matrix.dimension
        {
          throw .statisticsFile(
            path: path,
            reason: ShardWhitening.lengthMismatch(
              matrix.dimension, width: size.width, height: size.height, channels: options.channels))
        }
        savedWhitening = ShardSavedWhitening(matrix)
      }
    default: statistics = .dataset
    }
    if statistics == .dataset, let training = dataset.trainingSplit, dataset.entries(in: training).isEmpty {
      throw .invalidOptions(
        "the training split '\(training)' has no images; its statistics (--stats \(options.statistics)) normalize the other splits"
      )
    }
    var groupSize = 1
    if case .groups(let size) = statistics {
      groupSize = size
      if size > 1 && !dataset.splits.isEmpty {
        // Each split's batches run over its own images, which shards of the plan's order
        // interleave: a batch could span shards.
        throw .invalidOptions(
          "--stats batch:\(size) with splits: a sharded run cannot keep each split's batches within one shard; use --stats image or dataset, or convert on one machine"
        )
      }
    }
    let ranges = try ranges(
      count: dataset.entries.count, imagesPerShard: imagesPerShard, shards: shards, multiple: groupSize)
    var plan = ShardPlan(
      format: formatName, version: 1, dataset: dataset,
      folder: URL(fileURLWithPath: dataset.root).standardizedFileURL.path, statistics: statistics,
      shards: ranges, keepPixels: keepPixels && statistics == .dataset, savedWhitening: savedWhitening, hash: "")
    if case .sample(let k) = options.statistics, statistics == .dataset {
      // convert's sample: drawn from the images its statistics come from, in plan order.
      let population =
        dataset.trainingSplit.map { training in dataset.entries.indices.filter { dataset.entries[$0].split == training }
        }
        ?? Array(dataset.entries.indices)
      plan.sample = SampleSelection.indices(count: population.count, k: k, seed: options.seed).map { population[$0] }
    }
    plan.hash = plan.computeHash()
    return plan
  }

  /// The options a sharded run cannot honour (`--dedupe keep-first` and the combinations of
  /// `--on-error skip` below).
  static func checkShardable(_ options: ConversionOptions) throws(ConversionError) {
    if options.dedupe != .none {
      throw .invalidOptions(
        "--dedupe keep-first: a shard's kept rows would depend on every earlier shard's hashes; convert on one machine, or remove the files finalize's duplicates.csv names and plan again"
      )
    }
    if options.onError == .skip {
      // Without --size convert skips the images not of the first kept image's size, which
      // a shard cannot know; and batches count kept images, which shards cannot align to.
      if options.size == nil {
        throw .invalidOptions(
          "--on-error skip in a sharded run needs --size (convert skips images not of the first image's size, which a shard does not know)"
        )
      }
      if case .batch(let size) = options.statistics, options.normalization.usesStatistics {
        throw .invalidOptions(
          "--on-error skip with --stats batch:\(size): batches of kept images cannot be kept within shards; use --stats image or dataset"
        )
      }
    }
  }

  /// The shard ranges over `count` images. With `multiple` above 1 (`--stats batch:N`),
  /// every shard but the last holds a multiple of it: `imagesPerShard` is rounded up to
  /// one, and `shards` splits the groups of `multiple` images as evenly as it can.
  static func ranges(
    count: Int, imagesPerShard: Int?, shards: Int?, multiple: Int = 1
  ) throws(ConversionError) -> [Range] {
    let groups = (count + multiple - 1) / multiple
    let k: Int
    switch (imagesPerShard, shards) {
    case (let wanted?, nil):
      guard wanted >= 1 else { throw .invalidOptions("--images-per-shard must be at least 1 (found \(wanted))") }
      let size = (wanted + multiple - 1) / multiple * multiple
      k = (count + size - 1) / size
      if k > maximumShards {
        throw .invalidOptions(
          "--images-per-shard \(wanted) makes \(k) shards of \(count) images; at most \(maximumShards) (use at least \((count + maximumShards - 1) / maximumShards))"
        )
      }
      return (0..<k).map { Range(start: $0 * size, end: Swift.min(count, ($0 + 1) * size)) }
    case (nil, let wanted?):
      guard (1...maximumShards).contains(wanted) else {
        throw .invalidOptions("--shards must be between 1 and \(maximumShards) (found \(wanted))")
      }
      guard wanted <= groups else {
        throw .invalidOptions(
          multiple == 1
            ? "--shards \(wanted): the folder has \(count) images; at most one shard per image"
            : "--shards \(wanted): the folder has \(count) images, \(groups) batches of \(multiple); at most one shard per batch"
        )
      }
      k = wanted
    default:
      throw .invalidOptions("give one of --images-per-shard S and --shards K")
    }
    let base = groups / k, extra = groups % k
    var ranges: [Range] = []
    var start = 0
    for i in 0..<k {
      let end = Swift.min(count, start + (base + (i < extra ? 1 : 0)) * multiple)
      ranges.append(Range(start: start, end: end))
      start = end
    }
    return ranges
  }

  /// The SHA-256 of the plan's canonical JSON (sorted keys, ``hash`` empty), in hex.
  public func computeHash() -> String {
    var unhashed = self
    unhashed.hash = ""
    return SHA256.hexDigest(Self.canonicalJSON(unhashed))
  }

  /// Sorted keys, no spaces: the same bytes for the same value.
  static func canonicalJSON<Value: Encodable>(_ value: Value) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)) ?? Data()
  }

  /// `RUN/plan.json` of `run`.
  public static func url(in run: URL) -> URL { run.appendingPathComponent("plan.json") }

  /// Reads and checks `RUN/plan.json`.
  ///
  /// - Throws: ``ConversionError`` naming the file: missing, not a plan, or edited (its hash
  ///   no longer matches).
  public static func read(run: URL) throws(ConversionError) -> ShardPlan {
    let url = url(in: run)
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw .statisticsFile(
        path: url.path, reason: "no plan (\(FileSystemReason.text(of: error))); run 'normtool shard plan' first")
    }
    let plan = try ShardParts.decode(
      ShardPlan.self, from: data, at: url, expected: "a plan written by 'normtool shard plan'")
    guard plan.format == formatName, plan.version == 1 else {
      throw .statisticsFile(path: url.path, reason: "expected format \(formatName) version 1")
    }
    guard plan.hash == plan.computeHash() else {
      throw .statisticsFile(path: url.path, reason: "the plan was edited: its hash does not match its content")
    }
    return plan
  }

  /// Pretty JSON with sorted keys and a final newline.
  func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = (try? encoder.encode(self)) ?? Data()
    data.append(0x0A)
    return data
  }

  /// Creates `run` (and `run/parts`) and writes `plan.json` there, atomically. An existing
  /// plan is replaced only when it is the same plan (same hash): a run folder holds one plan.
  /// With ``savedWhitening``, the stats file's matrix is copied to `RUN/whitening.npz` first.
  public func write(run: URL) throws(ConversionError) {
    if let existing = try? ShardPlan.read(run: run), existing.hash != hash {
      throw .output(
        path: run.path,
        reason:
          "it holds another plan (\(existing.hash.prefix(12))); use a new run folder, or remove this one to start over")
    }
    do {
      try FileManager.default.createDirectory(at: ShardParts.folder(in: run), withIntermediateDirectories: true)
    } catch {
      throw .output(path: run.path, reason: FileSystemReason.text(of: error))
    }
    if let savedWhitening, let whitening = options.whitening, case .file(let path) = options.statistics {
      try savedWhitening.copy(statsFile: path, options: whitening, into: run)
    }
    try ShardParts.writeAtomically(encoded(), to: ShardPlan.url(in: run))
  }
}
