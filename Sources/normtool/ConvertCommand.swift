import ArgumentParser
import Dispatch
import Foundation
import ImageDataset
import Imaging

/// `normtool convert FOLDER -o OUT`: an image folder to a training-ready dataset (docs/design.md §5).
struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert an image folder (one subfolder per class) to a NumPy dataset.",
    discussion: """
      OUT ending in .npz: members x, y, classes, files, skipped, dropped, mean, std. OUT ending in \
      .npy: x alone. Anything else: a directory of .npy files plus stats.json. Statistics \
      are on the unit scale (pixel / 255, or / 65535 with --depth 16; stats.json writes them \
      on 0-255 with --scale 255); std' = max(std, 1/sqrt(n)). --preset NAME prepares pixels \
      as a pretrained model expects ('normtool presets'). mean and std are the \
      statistics applied: --normalize none and scale apply none, and leave them out; --whiten \
      writes whitening, whitening_eigenvalues and whitening_mean instead. Every \
      output path is checked before any image is decoded, and all outputs (-o, --save-stats) \
      are renamed into place together only when complete. Every run also writes a summary \
      (per class, source sizes, formats, EXIF rotation, 16-bit samples, transparency, \
      duplicates, skipped and ignored files) and the list of exact duplicates: OUT/summary.json \
      and OUT/duplicates.csv for a directory, else OUT.summary.json and OUT.duplicates.csv \
      beside OUT. With --split they are written once in OUT/ for all splits (with the counts \
      per split), as are the --export files, from the training split's statistics (with \
      --whiten, the training split's matrix whitens every split and OUT/stats.json names it \
      in OUT/stats.whitening.npz); \
      duplicates are found across splits, and --dedupe keep-first keeps the copy in the \
      training split, then in --split order.
      """)

  @Argument(
    help: "Folder of images: one subfolder per class, or images directly (unlabeled). Not with --labels or --files.")
  var folder: String?

  @Option(name: .shortAndLong, help: "Output: OUT.npz, OUT.npy or a directory OUT.")
  var output: String

  @Option(
    help: ArgumentHelp(
      "A pretrained model's input convention ('normtool presets' lists them with their numbers).",
      discussion:
        "Sets size, resize, filter, channel order, scale, normalization, mean, std and layout; any of those options given explicitly overrides the preset (the summary says which)."
    ))
  var preset: String?

  @OptionGroup var image: ImageOptions

  @Option(help: "How pixel values are transformed, docs/design.md §6 (default: standardize).")
  var normalize: NormalizationMode?

  @Option(help: "The values the normalization sees: unit (pixel / 255) or 255 (the pixel) (default: unit).")
  var scale: ValueScale?

  @Option(help: "Mean per channel on the --scale chosen, comma-separated: m1,m2,m3 (instead of --stats).")
  var mean: String?

  @Option(
    help: "Std per channel on the --scale chosen, comma-separated: s1,s2,s3 (default with --mean: 1 on that scale).")
  var std: String?

  @Option(help: "Statistics per channel or one over all channels (default: channel).")
  var scope: StatisticsScope?

  @Option(
    help: ArgumentHelp(
      "dataset | image | batch:N | sample:K | imagenet | FILE",
      discussion:
        "FILE: statistics saved by --save-stats (any name), written by 'normtool stats FOLDER --json', or a hand-written {\"mean\": [...], \"std\": [...]} (docs/stats-schema.json). Its training classes label the images. A file named like a keyword is ./dataset."
    ))
  var stats: String?

  @Option(help: "Write the statistics, the class names in label order and the options to this JSON file.")
  var saveStats: String?

  @Option(
    help:
      "Class names in label order, comma-separated (Keras class_names): a,b,c. Class folders not listed are an error.")
  var classes: String?

  @Option(
    help: "Element type of x (default: uint8 with --normalize none, uint16 with it and --depth 16, else float32).")
  var dtype: OutputDTypeArgument?

  @Option(help: "Axis order of x: nhwc (TensorFlow) or nchw (PyTorch) (default: nhwc).")
  var layout: OutputLayout?

  @Flag(help: "Deflate the .npz members (numpy.savez_compressed).")
  var compress = false

  @Option(help: "Decoding threads (default: all cores). The output is identical for every value.")
  var jobs: Int?

  @Option(help: "What to do with an unreadable image.")
  var onError: ErrorPolicy = .fail

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  @Option(help: "Seed for --stats sample:K and for --split / --split-like keras.")
  var seed: UInt64 = 0

  // Issue 12 (plan, label files, splits): one block, kept together for merges.
  @OptionGroup(title: "Labels and splits") var dataset: DatasetOptions

  @Flag(help: "Print what would be converted (images per class and split, formats, sizes) without decoding.")
  var dryRun = false

  @OptionGroup(title: "Whitening") var whitening: WhiteningArguments

  @Option(
    help: ArgumentHelp(
      "Exact duplicates (same file bytes, or same decoded and resized pixels): none keeps them, keep-first drops the later ones.",
      discussion: "Either way the summary counts them and duplicates.csv beside the output lists them."))
  var dedupe: DedupePolicy = .none

  @Option(
    help: ArgumentHelp(
      "Write the applied statistics for other frameworks: hf,torchvision,keras,timm.",
      discussion:
        "Into OUT/ for a directory output, else into OUT.export/: preprocessor_config.json (ViTImageProcessor), torchvision_normalize.py, keras_normalization.json, timm_pretrained_cfg.json. Refused with --stats image|batch:N, --resize pad, --normalize other than standardize|center|scale (and crop or gray where the target cannot express them)."
    ))
  var export: String?

  func makeOptions() throws -> ConversionOptions {
    var options = ConversionOptions()
    if let name = preset {
      guard let preset = ModelPreset.named(name) else {
        throw ValidationError(
          "--preset: expected one of \(ModelPreset.allNames.joined(separator: ", ")), found '\(name)' ('normtool presets' lists them)"
        )
      }
      preset.apply(to: &options)
    } else if let file = statisticsFile() {
      options.adoptTreatment(of: file)
    }
    var given = try image.apply(to: &options)
    if let normalize { options.normalization = normalize; given.append("--normalize") }
    if let scale { options.valueScale = scale; given.append("--scale") }
    if let scope { options.scope = scope; given.append("--scope") }
    if let stats {
      guard let source = StatisticsSource(argument: stats) else {
        throw ValidationError(
          "--stats: expected dataset, image, batch:N, sample:K, imagenet or a statistics file, found '\(stats)'")
      }
      if case .file(let path) = source, !FileManager.default.fileExists(atPath: path) {
        throw ValidationError(
          "--stats: expected dataset, image, batch:N, sample:K, imagenet or an existing statistics file, found '\(stats)' (no such file)"
        )
      }
      if mean != nil || std != nil { throw ValidationError("--stats and --mean/--std both give statistics; give one") }
      options.statistics = source
      given.append("--stats")
    }
    if mean != nil || std != nil {
      options.statistics = .given(try givenStatistics(options))
      given += [mean != nil ? "--mean" : nil, std != nil ? "--std" : nil].compactMap { $0 }
    }
    options.saveStatisticsTo = saveStats.map { URL(fileURLWithPath: $0) }
    options.dtype = dtype?.dtype
    if let layout { options.layout = layout; given.append("--layout") }
    options.compress = compress
    if let jobs { options.jobs = jobs }
    options.onError = onError
    options.seed = seed
    options.dedupe = dedupe
    if let export {
      do { options.exports = try ExportTarget.parseList(export) } catch { throw ValidationError(error.description) }
    }
    options.classes = classes.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
    if options.preset != nil {
      let fixed: Set<String> = [
        "--size", "--resize", "--short-side", "--filter", "--color", "--channel-order", "--normalize", "--scale",
        "--scope", "--stats", "--mean", "--std", "--layout",
      ]
      // A preset taken over from a --stats file is not overridden by that --stats.
      options.presetOverrides = given.filter { fixed.contains($0) && (preset != nil || $0 != "--stats") }
    }
    try whitening.apply(to: &options)
    do { try options.validate() } catch { throw ValidationError(error.description) }
    return options
  }

  /// The `--stats FILE` report, when it is one that reads; a run with `--stats FILE` of a
  /// preset run gets that run's treatment (``ConversionOptions/adoptTreatment(of:)``).
  /// A file that does not read is reported by the conversion itself.
  func statisticsFile() -> StatisticsReport? {
    guard let stats, case .file(let path)? = StatisticsSource(argument: stats) else { return nil }
    return try? StatisticsReport.read(from: URL(fileURLWithPath: path))
  }

  /// `--mean`/`--std` as statistics on the unit scale; `--std` defaults to 1 on the scale
  /// chosen (no division), `--mean` to 0.
  func givenStatistics(_ options: ConversionOptions) throws -> NormalizationStatistics {
    func numbers(_ text: String?, option: String) throws -> [Double]? {
      guard let text else { return nil }
      let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
        throw ValidationError(
          "\(option): expected numbers separated by commas, such as 0.485,0.456,0.406, found '\(text)'")
      }
      return parts.map { $0! / options.valueScale.divisor }
    }
    let mean = try numbers(mean, option: "--mean")
    let std = try numbers(std, option: "--std")
    let entries = mean?.count ?? std?.count ?? 1
    return NormalizationStatistics(
      mean: mean ?? Array(repeating: 0, count: entries),
      std: std ?? Array(repeating: 1 / options.valueScale.divisor, count: entries),
      minimum: nil, maximum: nil, count: nil)
  }

  func validate() throws {
    _ = try makeOptions()
    _ = try dataset.request(folder: folder)
  }

  /// The plan of this command line (and warnings such as an empty split): the folder or
  /// label file read, labels resolved, splits drawn; nothing decoded. `sealed`: with its
  /// hash, for a plan that is written to a file.
  func makePlan(sealed: Bool = true) throws -> (plan: DatasetPlan, warnings: [String]) {
    let options = try makeOptions()
    do {
      return try DatasetPlanner.plan(try dataset.request(folder: folder), options: options, sealed: sealed)
    } catch let error
      as ConversionError
    {
      throw CommandFailure(error.description)
    }
  }

  func run() throws {
    let options = try makeOptions()
    let outputURL = URL(fileURLWithPath: output)
    let (plan, warnings) = try makePlan(sealed: false)
    if plan.splits.isEmpty && dataset.format != .npz {
      throw ValidationError("--format applies to runs with splits; without them the -o extension decides")
    }
    if !plan.splits.isEmpty && OutputKind(outputURL) != .directory {
      throw ValidationError(
        "with splits, -o names a folder for NAME.\(dataset.format.rawValue) per split (found '\(output)')")
    }
    if options.compress && (plan.splits.isEmpty ? OutputKind(outputURL) : dataset.format.kind) != .npz {
      throw ValidationError("--compress applies to .npz output only (found '\(output)')")
    }
    for warning in warnings { FileHandle.standardError.write(Data("normtool convert: warning: \(warning)\n".utf8)) }
    if dryRun {
      print(plan.dryRunText())
      return
    }
    let bar = (!quiet && isatty(2) != 0) ? ProgressBar() : nil
    let result: PlanRunReport
    do {
      result = try DatasetConverter(options: options)
        .run(plan, to: outputURL, format: dataset.format.kind, progress: bar.map { bar in { bar.update($0) } })
    } catch {
      bar?.clear()
      throw CommandFailure(error.description)
    }
    bar?.clear()
    if quiet { return }
    if plan.splits.isEmpty {
      print(ConvertCommand.summary(result.reports[0]))
      return
    }
    for (split, report) in zip(result.splits, result.reports) {
      print("\(split!):")
      print(ConvertCommand.summary(report, sideFiles: false))
    }
    print(
      "wrote \(result.output.path)/splits.csv, stats.json (statistics of '\(plan.trainingSplit!)'), summary.json and duplicates.csv"
    )
    print("all splits:")
    print(ConvertCommand.sideFileLines(result.summary, exportFiles: result.exportFiles).joined(separator: "\n"))
  }

  /// What `convert` prints about one dataset written; `sideFiles`: with its summary and
  /// exports (false for one split of a run, whose summary covers all splits).
  static func summary(_ report: ConversionReport, sideFiles: Bool = true) -> String {
    let rate = report.seconds > 0 ? Double(report.images) / report.seconds : 0
    var lines: [String] = []
    lines.append(
      "wrote \(report.output.path): x \(report.dtype.rawValue) \(shapeText(report.shape)), \(byteText(report.outputBytes))"
    )
    lines.append(
      "images: \(report.images)  classes: \(report.classes.count)  skipped: \(report.skipped.count)  ignored: \(report.ignored)"
    )
    lines.append(String(format: "time: %.2f s  (%.1f images/s)", report.seconds, rate))
    let s = report.statistics
    let file = report.statisticsReport
    if let preset = file.preset {
      let overrides = file.options["preset_overrides"].map { "; overridden: \($0)" } ?? ""
      lines.append(
        "preset \(preset): \(file.options["size"] ?? "") \(file.options["resize"] ?? "")\(file.options["short_side"].map { " \($0)" } ?? "") \(file.options["filter"] ?? ""), \((file.channelOrder ?? .rgb).rawValue.uppercased()), --scale \((file.valueScale ?? .unit).rawValue), \(file.options["normalize"] ?? ""), \(file.options["layout"] ?? "")\(overrides)"
      )
    }
    if report.statisticsApplied {
      let scale = file.valueScale ?? .unit
      let onScale: ([Double]) -> String = { listText($0.map { $0 * scale.divisor }) }
      lines.append(
        "statistics (\(report.statisticsSource), \(scale == .unit ? "unit scale" : "0-255 scale")): mean \(onScale(s.mean))  std \(onScale(s.std))"
          + (s.minimum.map { "  min \(onScale($0))" } ?? "") + (s.maximum.map { "  max \(onScale($0))" } ?? ""))
    } else {
      lines.append("statistics: \(report.statisticsSource)")
    }
    for skipped in report.skipped { lines.append("skipped \(skipped.file): \(skipped.reason)") }
    if sideFiles { lines += sideFileLines(report.summary, exportFiles: report.exportFiles) }
    return lines.joined(separator: "\n")
  }

  /// The summary's lines and the export files written.
  static func sideFileLines(_ summary: DatasetSummary, exportFiles: [URL]) -> [String] {
    summary.lines + exportFiles.map { "exported \($0.path)" }
  }

  static func shapeText(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
  }

  static func listText(_ values: [Double]) -> String {
    "[" + values.map { String(format: "%.6f", $0) }.joined(separator: ", ") + "]"
  }

  static func byteText(_ bytes: Int) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = Double(bytes), unit = 0
    while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }
}

/// A one-line progress bar on stderr, redrawn at most every 1/10 s.
final class ProgressBar {
  private var lastDraw = Date.distantPast
  private var drawn = false

  func update(_ progress: ConversionProgress) {
    let now = Date()
    if progress.done < progress.total && now.timeIntervalSince(lastDraw) < 0.1 { return }
    lastDraw = now
    let width = 30
    let filled = progress.total == 0 ? width : width * progress.done / progress.total
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    FileHandle.standardError.write(Data("\r\(progress.phase) [\(bar)] \(progress.done)/\(progress.total)".utf8))
    drawn = true
  }

  func clear() {
    if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    drawn = false
  }
}
