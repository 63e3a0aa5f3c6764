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
      OUT ending in .npz: members x, y, classes, files, skipped, mean, std. OUT ending in \
      .npy: x alone. Anything else: a directory of .npy files plus stats.json. Statistics \
      are on the unit scale (pixel / 255, or / 65535 with --depth 16); std' = max(std, 1/sqrt(n)). mean and std are the \
      statistics applied: --normalize none and scale apply none, and leave them out. Every \
      output path is checked before any image is decoded, and all outputs (-o, --save-stats) \
      are renamed into place together only when complete.
      """)

  @Argument(help: "Folder of images: one subfolder per class, or images directly (unlabeled).")
  var folder: String

  @Option(name: .shortAndLong, help: "Output: OUT.npz, OUT.npy or a directory OUT.")
  var output: String

  @OptionGroup var image: ImageOptions

  @Option(help: "How pixel values are transformed (docs/design.md §6).")
  var normalize: NormalizationMode = .standardize

  @Option(help: "Statistics per channel or one over all channels.")
  var scope: StatisticsScope = .channel

  @Option(
    help: ArgumentHelp(
      "dataset | image | batch:N | sample:K | imagenet | FILE",
      discussion:
        "FILE: statistics saved by --save-stats (any name), written by 'normtool stats FOLDER --json', or a hand-written {\"mean\": [...], \"std\": [...]} (docs/stats-schema.json). Its training classes label the images. A file named like a keyword is ./dataset."
    ))
  var stats: String = "dataset"

  @Option(help: "Write the statistics, the class names in label order and the options to this JSON file.")
  var saveStats: String?

  @Option(
    help:
      "Class names in label order, comma-separated (Keras class_names): a,b,c. Class folders not listed are an error.")
  var classes: String?

  @Option(
    help: "Element type of x (default: uint8 with --normalize none, uint16 with it and --depth 16, else float32).")
  var dtype: OutputDTypeArgument?

  @Option(help: "Axis order of x: nhwc (TensorFlow) or nchw (PyTorch).")
  var layout: OutputLayout = .nhwc

  @Flag(help: "Deflate the .npz members (numpy.savez_compressed).")
  var compress = false

  @Option(help: "Decoding threads (default: all cores). The output is identical for every value.")
  var jobs: Int?

  @Option(help: "What to do with an unreadable image.")
  var onError: ErrorPolicy = .fail

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  @Option(help: "Seed for --stats sample:K.")
  var seed: UInt64 = 0

  func makeOptions() throws -> ConversionOptions {
    var options = ConversionOptions()
    try image.apply(to: &options)
    options.normalization = normalize
    options.scope = scope
    guard let source = StatisticsSource(argument: stats) else {
      throw ValidationError(
        "--stats: expected dataset, image, batch:N, sample:K, imagenet or a statistics file, found '\(stats)'")
    }
    if case .file(let path) = source, !FileManager.default.fileExists(atPath: path) {
      throw ValidationError(
        "--stats: expected dataset, image, batch:N, sample:K, imagenet or an existing statistics file, found '\(stats)' (no such file)"
      )
    }
    options.statistics = source
    options.saveStatisticsTo = saveStats.map { URL(fileURLWithPath: $0) }
    options.dtype = dtype?.dtype
    options.layout = layout
    options.compress = compress
    if let jobs { options.jobs = jobs }
    options.onError = onError
    options.seed = seed
    options.classes = classes.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
    do { try options.validate() } catch { throw ValidationError(error.description) }
    return options
  }

  func validate() throws { _ = try makeOptions() }

  func run() throws {
    let options = try makeOptions()
    let outputURL = URL(fileURLWithPath: output)
    if options.compress && OutputKind(outputURL) != .npz {
      throw ValidationError("--compress applies to .npz output only (found '\(output)')")
    }
    let bar = (!quiet && isatty(2) != 0) ? ProgressBar() : nil
    let report: ConversionReport
    do {
      report = try DatasetConverter(options: options)
        .convert(
          folder: URL(fileURLWithPath: folder), to: outputURL,
          progress: bar.map { bar in { bar.update($0) } })
    } catch {
      bar?.clear()
      throw CommandFailure(error.description)
    }
    bar?.clear()
    if !quiet { print(ConvertCommand.summary(report)) }
  }

  static func summary(_ report: ConversionReport) -> String {
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
    if report.statisticsApplied {
      lines.append(
        "statistics (\(report.statisticsSource), unit scale): mean \(listText(s.mean))  std \(listText(s.std))"
          + (s.minimum.map { "  min \(listText($0))" } ?? "") + (s.maximum.map { "  max \(listText($0))" } ?? ""))
    } else {
      lines.append("statistics: \(report.statisticsSource)")
    }
    for skipped in report.skipped { lines.append("skipped \(skipped.file): \(skipped.reason)") }
    return lines.joined(separator: "\n")
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
