import ArgumentParser
import Foundation
import ImageDataset
import NDArray
import NPYIO

/// `normtool normalize IN OUT`: standardize (center, minmax, ...) an array NumPy wrote, of
/// any rank, with statistics over any axes, in bounded memory (docs/design.md §5, §6).
///
/// The NumPy equivalent is `a = np.load(IN).astype(np.float64)`,
/// `m = a.mean(axis=axes, keepdims=True)`, `s = np.maximum(a.std(axis=axes, keepdims=True), 1/np.sqrt(n))`,
/// `np.save(OUT, ((a - m) / s).astype(np.float32))`; the work is ImageDataset's `ArrayNormalizer`.
struct NormalizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normalize",
    abstract: "Normalize an .npy/.npz array of any rank over chosen axes (e.g. a 3-D volume).",
    discussion: """
      --axes are the axes the statistics reduce, as numpy's mean(axis=...): without --axes one \
      mean and std cover the whole array; for a (50, 50, 50) volume, --axes 1,2 standardizes each \
      slice along axis 0 on its own. Modes (docs/design.md §6, values as stored, not divided by \
      255): standardize (x - mean) / std', center x - mean, positive \
      (clip((x - mean) / std', -1, 1) + 1) / 2, minmax (x - min) / (max - min) (0 where max = min), \
      with std' = max(std, 1/sqrt(n)) and n the values per statistic. Statistics are float64: \
      the array's own (default), or --stats FILE (written by --save-stats, or normtool stats \
      ARRAY --json), one entry per position of the axes kept. OUT is .npy, or .npz (the member \
      keeps the input member's name; arr_0 for an .npy input); float32 unless --dtype. The input \
      is read twice, memory-mapped or streamed, so arrays larger than memory work. NaN or \
      infinite input values are refused. OUT and --save-stats appear complete or not at all.
      """
  )

  @Argument(help: "The .npy or .npz array to normalize.")
  var input: String

  @Argument(help: "The .npy or .npz file to write.")
  var output: String

  @Option(
    parsing: .unconditional, help: "Comma-separated axes the statistics reduce, e.g. 1,2 (default: all axes).")
  var axes: String?

  @Option(help: "The formula (standardize, center, positive, minmax).")
  var normalize: NormalizationMode = .standardize

  @Option(help: "A statistics file to apply (default: the array's own statistics).")
  var stats: String?

  @Option(help: "Write the statistics applied to this JSON file.")
  var saveStats: String?

  @Option(help: "Output dtype: float32, float16 or float64.")
  var dtype: DType = .float32

  @Option(help: "The npz member to normalize (default: the only member, or x of a dataset).")
  var member: String?

  @Flag(help: "Print the statistics report as one JSON line.")
  var json = false

  /// The options before `--axes` (which needs the array's rank) is applied.
  var options: ArrayNormalizationOptions {
    ArrayNormalizationOptions(
      mode: normalize, statisticsFile: stats.map { URL(fileURLWithPath: $0) },
      saveStatisticsTo: saveStats.map { URL(fileURLWithPath: $0) }, dtype: dtype, member: member)
  }

  /// A mode or dtype that does not apply to arrays is a usage error (exit status 64).
  func validate() throws {
    do { try options.validate() } catch { throw ValidationError(error.description) }
  }

  func run() throws {
    let inURL = URL(fileURLWithPath: input)
    var options = self.options
    if axes != nil {
      let rank = try Self.rank(of: inURL, member: member)
      options.reducedAxes = try StatsCommand.parse(axes: axes, rank: rank)
    }
    let report = try ArrayNormalizer.normalize(inURL, to: URL(fileURLWithPath: output), options: options)
    if json {
      print(report.jsonLine)
    } else {
      let count = report.statistics.entries
      print(
        "\(output): \(normalize.rawValue) over axes \(report.axes ?? []), \(count) statistic\(count == 1 ? "" : "s") of \(report.valuesPerStatistic ?? 0) values, \(dtype)"
      )
    }
  }

  /// The rank of the array `--axes` refers to, from its header.
  static func rank(of url: URL, member: String?) throws -> Int {
    switch try ArrayFileKind.of(url) {
    case .folder: throw ArrayFileError.folder(path: url.path)
    case .npy: return try NPY.readHeader(at: url).shape.count
    case .npz:
      let archive = try NPZReader(url: url)
      return try archive.header(of: archive.dataMember(named: member).name).shape.count
    }
  }
}
