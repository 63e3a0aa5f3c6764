import ArgumentParser
import Foundation
import ImageDataset

/// `normtool shard plan|run|merge|finalize|status`: one conversion split into shards that
/// Slurm job arrays, Kubernetes Indexed Jobs or Dask run as independent tasks
/// (docs/scale-out.md). The work is in ImageDataset's `Sharding`.
struct ShardCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shard",
    abstract: "Run one conversion as shards on Slurm, Kubernetes, Dask or a shell loop.",
    discussion: """
      plan scans once and writes RUN/plan.json; run does one shard (--index, or \
      SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, NORMTOOL_SHARD_INDEX); merge sums the \
      shards' exact moments into RUN/stats.json (with --whiten also their exact covariance \
      sums, into RUN/covariance.npz, and fits the matrix once, RUN/whitening.npz); finalize \
      writes the dataset directory; \
      status names the shards to resubmit. With --stats dataset and a normalization that \
      uses it: plan, run --pass stats (array), merge, run --pass write (array), finalize. \
      Otherwise: plan, run --pass all (array), finalize. See docs/scale-out.md.
      """,
    subcommands: [
      ShardPlanCommand.self, ShardRunCommand.self, ShardMergeCommand.self, ShardFinalizeCommand.self,
      ShardStatusCommand.self,
    ])
}

/// Makes `pass` an argument value.
extension ShardPass: ExpressibleByArgument {}

/// `normtool shard plan FOLDER RUN [convert options] (--images-per-shard S | --shards K)`.
struct ShardPlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Scan FOLDER once and write RUN/plan.json: images, options, shard ranges, hash.",
    discussion: """
      Any 'normtool convert' option may follow (--size, --normalize, --stats dataset | \
      image | batch:N | sample:K | imagenet | FILE, --classes, --dtype, --layout, ...), after FOLDER \
      and RUN. With --stats batch:N, shard boundaries fall on multiples of N. Not \
      available here: -o (finalize names OUT), --save-stats (OUT/stats.json), --compress, \
      --dedupe keep-first, --whiten with --stats FILE; --on-error skip needs --size. At \
      most 1024 shards.
      """)

  @Argument(help: "Folder of images, as for 'normtool convert'.")
  var folder: String

  @Argument(help: ArgumentHelp("Run folder: plan.json, the parts and markers go there.", valueName: "run"))
  var runFolder: String

  @Option(help: "Images per shard (the last shard may be smaller).")
  var imagesPerShard: Int?

  @Option(help: "Number of shards (sizes differ by at most one, as numpy.array_split).")
  var shards: Int?

  @Flag(
    help:
      "Two-pass plans: the stats pass keeps each shard's resized pixels, uint8 or uint16 with --depth 16 (RUN/parts/I.pixels.npy) and the write pass reads them instead of decoding again."
  )
  var keepPixels = false

  @Argument(parsing: .allUnrecognized, help: "Options of 'normtool convert'.")
  var convertOptions: [String] = []

  func run() throws {
    if let refused = convertOptions.first(where: {
      ["-o", "--output", "--save-stats", "--compress", "--format", "--dry-run"].contains($0)
    }) {
      throw ValidationError(
        "\(refused): not a 'shard plan' option ('normtool shard finalize RUN OUT' writes the dataset)")
    }
    let convert: ConvertCommand
    do { convert = try ConvertCommand.parse([folder, "-o", "unused.npz"] + convertOptions) } catch {
      throw ValidationError(ConvertCommand.message(for: error))
    }
    let (dataset, warnings) = try convert.makePlan()
    for warning in warnings { printError("normtool shard plan: warning: \(warning)") }
    let plan = try ShardPlan.make(
      dataset: dataset, imagesPerShard: imagesPerShard, shards: shards, keepPixels: keepPixels)
    try plan.write(run: URL(fileURLWithPath: runFolder))
    let passes =
      plan.needsStatisticsPass ? "run --pass stats, merge, run --pass write, finalize" : "run --pass all, finalize"
    print(
      "wrote \(ShardPlan.url(in: URL(fileURLWithPath: runFolder)).path): \(plan.files.count) images in \(plan.shards.count) shards (--array=0-\(plan.shards.count - 1)); plan \(plan.hash.prefix(12)); next: \(passes)"
    )
  }
}

/// `normtool shard run RUN [--index I] [--pass stats|write|all]`.
struct ShardRunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Do one shard's pass; a shard already done is left as it is.",
    discussion: """
      The part is written under a temporary name and its marker RUN/parts/I.PASS.json last, \
      so a killed task leaves neither. Default --pass: all for a one-pass plan; stats, or \
      write once 'shard merge' has run.
      """)

  @Argument(help: ArgumentHelp("Run folder made by 'normtool shard plan'.", valueName: "run"))
  var runFolder: String

  @Option(help: "Shard index (default: $SLURM_ARRAY_TASK_ID, $JOB_COMPLETION_INDEX or $NORMTOOL_SHARD_INDEX).")
  var index: Int?

  @Option(name: .customLong("pass"), help: "stats, write or all.")
  var shardPass: ShardPass?

  @Option(help: "Decoding threads (default: all cores). The output is identical for every value.")
  var jobs: Int?

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  func run() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (found \(jobs))") }
    let index = try ShardIndex.resolve(explicit: index, environment: ProcessInfo.processInfo.environment)
    let task = try ShardTask(run: URL(fileURLWithPath: runFolder), jobs: jobs)
    let pass = shardPass ?? task.defaultPass()
    switch try task.execute(index: index, pass: pass) {
    case .done(let marker):
      if !quiet {
        print(
          String(
            format: "shard %d %@: %d images in %.2f s, peak RSS %.1f MB", index, pass.rawValue, marker.images,
            marker.seconds, Double(marker.peakRSSBytes) / 1e6))
      }
    case .alreadyDone:
      if !quiet { print("shard \(index) \(pass.rawValue): already done") }
    }
  }
}

/// `normtool shard merge RUN`.
struct ShardMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Sum the shards' exact moments into RUN/stats.json (for --pass write).",
    discussion: """
      With --whiten: also adds the shards' exact covariance sums in shard order \
      (RUN/covariance.npz: count, sums, upper-triangular products, int64) and fits the \
      whitening matrix once (RUN/whitening.npz), which the write pass applies.
      """)

  @Argument(help: ArgumentHelp("Run folder.", valueName: "run"))
  var runFolder: String

  func run() throws {
    let run = URL(fileURLWithPath: runFolder)
    let merged = try ShardMerge.merge(run: run)
    var line = "wrote \(ShardMerge.url(in: run).path): \(merged.images) images"
    if let whitening = merged.whitening {
      line +=
        "; --whiten \(whitening.method.rawValue) --whiten-scope \(whitening.scope.rawValue): \(whitening.dimension)x\(whitening.dimension) covariance of \(whitening.vectors) vectors, matrix in \(run.appendingPathComponent(ShardCovariance.whiteningName).path)"
    }
    print(line)
  }
}

/// `normtool shard finalize RUN OUT [--single]`.
struct ShardFinalizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "finalize",
    abstract: "Write the dataset directory OUT from the parts, after checking every one.",
    discussion: """
      OUT/x/0.npy ... plus OUT/x/info (a Dask npy stack; parts are hard-linked, not \
      copied, on one file system), or with --single one OUT/x.npy; beside them y.npy, \
      files.npy, classes.npy, mean.npy, std.npy (with --whiten: whitening.npy, \
      whitening_eigenvalues.npy, whitening_mean.npy), stats.json, summary.json, \
      duplicates.csv, the --export files and manifest.json. A plan with splits writes that per split, \
      OUT/NAME/, with OUT/splits.csv, OUT/stats.json (with --whiten, OUT/stats.whitening.npz), \
      the summary and exports, as 'normtool convert --split ... --format dir' does.
      """)

  @Argument(help: ArgumentHelp("Run folder.", valueName: "run"))
  var runFolder: String

  @Argument(help: "Dataset directory to write.")
  var output: String

  @Flag(help: "Write one x.npy, byte-identical to 'normtool convert' (copies every row).")
  var single = false

  func run() throws {
    let report = try ShardFinalize.finalize(
      run: URL(fileURLWithPath: runFolder), output: URL(fileURLWithPath: output), single: single)
    if !report.skipped.isEmpty {
      let count = report.skipped.count
      print(
        "skipped \(count) unreadable image\(count == 1 ? "" : "s") (--on-error skip), first \(report.skipped[0].file): listed in skipped.npy and summary.json"
      )
    }
    let layout = single ? "x.npy" : "x/ (\(report.stackFiles) files, \(report.linked) linked)"
    if !report.splits.isEmpty {
      let splits = report.splits.map { "\($0.name)/ (\($0.images))" }.joined(separator: ", ")
      print("wrote \(report.output.path): \(splits), splits.csv, stats.json; \(layout) \(report.dtype.rawValue)")
      return
    }
    print(
      "wrote \(report.output.path): \(layout) \(report.dtype.rawValue) \(ConvertCommand.shapeText(report.shape))")
  }
}

/// `normtool shard status RUN [--array]`.
struct ShardStatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Print done, failed and missing shards, and the --array= list to resubmit.")

  @Argument(help: ArgumentHelp("Run folder.", valueName: "run"))
  var runFolder: String

  @Flag(help: "Print only the indices to resubmit, as a Slurm --array list (empty when none).")
  var array = false

  @Option(
    name: .customLong("pass"),
    help: "With --array: the shards of this pass not done (default: the next pass to submit).")
  var shardPass: ShardPass?

  func run() throws {
    let status = try ShardStatus.of(run: URL(fileURLWithPath: runFolder))
    if array {
      let state = shardPass.map { pass in status.passes.first { $0.pass == pass } } ?? status.nextToSubmit
      if let shardPass, state == nil {
        throw ConversionError.invalidOptions(
          "--pass \(shardPass.rawValue): this plan's passes are \(status.plan.passes.map(\.rawValue))")
      }
      print(ShardStatus.arrayList(state?.notDone ?? []))
    } else {
      print(status.text)
    }
  }
}
