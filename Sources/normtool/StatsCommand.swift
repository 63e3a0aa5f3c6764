import ArgumentParser
import Foundation
import ImageDataset
import NDArray
import NPYIO

/// `normtool stats INPUT [--axes 0,1,2]`: mean, std (ddof 0), min and max of an `.npy` or
/// `.npz` array over a set of axes, in Float64 (docs/design.md §5).
///
/// The NumPy equivalent is `a = np.load(INPUT).astype(np.float64)` then `a.mean(axis)`,
/// `a.std(axis)`, `a.min(axis)`, `a.max(axis)`; the work is NDArray's
/// `AnyNDArray.statistics(axes:)` over a memory-mapped `.npy`. Image folders go to the
/// dataset pipeline (`StatsCommand+ImageFolder.swift`).
struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Statistics of an .npy/.npz array (or an image folder) over a set of axes.",
    discussion: """
      --json prints axes, shape (of the result), count (values per statistic), and mean, std \
      (ddof 0), min, max as lists in C order of the result shape, all Float64. Without --axes \
      the statistics cover the whole array.
      An .npz with several members: --member picks one; without it, member x of a dataset \
      normtool wrote (members x, classes, files, ...). An image folder is measured as convert decodes and resizes it (--size, \
      --resize, --short-side, --filter, --color, --channel-order, --exif-orientation, --depth, \
      --alpha-background), on the unit scale (value / 255, or / 65535 with --depth 16); its --json output \
      adds scope, channels and images, and is accepted by convert --stats.
      """
  )

  @Argument(help: "An .npy or .npz file (or an image folder).")
  var input: String

  @Option(
    parsing: .unconditional, help: "Comma-separated axes to reduce over, e.g. 0,1,2 (negative counts from the end).")
  var axes: String?

  @Option(
    help:
      "The npz member to use (default: the only member, or x in a dataset normtool wrote: members x, classes, files).")
  var member: String?

  @OptionGroup(title: "Image folder options (as convert decodes and resizes)")
  var image: ImageOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let url = URL(fileURLWithPath: input)
    let kind = Result { () throws(ArrayFileError) in try ArrayFileKind.of(url) }
    if case .success(.folder) = kind { return try runOnImageFolder(url) }
    if image.isSet {
      throw ValidationError(
        "--size, --resize, --filter, --color and --exif-orientation apply to an image folder; \(input) is not one")
    }
    let array: AnyNDArray
    switch try kind.get() {
    case .folder:
      return try runOnImageFolder(url)
    case .npy:
      array = try NPY.map(at: url)
    case .npz:
      let npz = try NPZReader(url: url)
      do {
        array = try npz.read(npz.dataMember(named: member).name)
      } catch NPZError.ambiguousMember(let file, let available) {
        throw CommandFailure(
          "\(file) has \(available.count) members (\(available.joined(separator: ", "))); pick one with --member")
      }
    }
    let reduced = try parseAxes(rank: array.shape.count)
    let result: NDArrayStatistics
    do {
      result = try array.statistics(axes: reduced)
    } catch let error as NDArrayError {
      throw CommandFailure("\(input): \(error.description)")
    }
    if json {
      print(StatisticsReport(array: result, axes: reduced).jsonLine)
    } else {
      print(
        "\(input): \(array.dtype) \(NPYHeader.shapeRepr(array.shape)), axes \(reduced), \(result.count) values per statistic"
      )
      print("mean \(result.mean.flatElements)")
      print("std  \(result.std.flatElements)")
      print("min  \(result.min.flatElements)")
      print("max  \(result.max.flatElements)")
    }
  }

  /// The sorted, non-negative axes to reduce (NDArray's ``normalizeAxisTuple(_:rank:)``);
  /// all of them without `--axes`.
  func parseAxes(rank: Int) throws -> [Int] { try Self.parse(axes: axes, rank: rank) }

  /// `--axes` text (`0,1,2`) as sorted, non-negative axes of an array of `rank`; all of them
  /// when nil. Shared by `stats` and `normalize`.
  static func parse(axes: String?, rank: Int) throws -> [Int] {
    guard let axes else { return Array(0..<rank) }
    var parsed: [Int] = []
    for part in axes.split(separator: ",", omittingEmptySubsequences: false) {
      let text = part.trimmingCharacters(in: .whitespaces)
      guard let axis = Int(text) else { throw ValidationError("--axes \(axes): '\(text)' is not an integer") }
      parsed.append(axis)
    }
    do { return try normalizeAxisTuple(parsed, rank: rank) } catch {
      throw ValidationError("--axes \(axes): \(error)")
    }
  }
}
