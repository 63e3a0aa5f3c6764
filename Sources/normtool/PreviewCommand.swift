import ArgumentParser
import Foundation
import ImageDataset
import Imaging
import NDArray

extension PreviewMode: ExpressibleByArgument, ChoiceArgument {}

/// `normtool preview DATASET -o grid.png`: a contact sheet of a dataset's images, inverted
/// to viewable pixels, or one image with `--index I` (docs/design.md §5). The work is
/// ImageDataset's `StoredDataset`, `Inversion` and `ContactSheet`, and Imaging's `PNGEncoder`.
struct PreviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preview",
    abstract: "Write a dataset's images (normalized x) as a viewable PNG: a labelled grid, or one image.",
    discussion: """
      --mode invert undoes the normalization with the stored statistics: x*std' + mean \
      (std' = max(std, 1/sqrt(n)), the divisor convert used), times 255, rounded half to \
      even, clipped to 0..255 (NumPy: np.clip(np.rint((x*std' + mean)*255), 0, \
      255).astype(np.uint8)), bit for bit; the normalization is the one stats.json records \
      (an .npz records none: float x with mean and std is taken as standardize, uint8 x as \
      none). --mode minmax stretches each image over 0..255 and --mode symmetric puts each \
      image's zero at 127: both need no statistics. Tiles are labelled with the class name \
      (or label) under them.
      """)

  @Argument(help: "A dataset normtool convert wrote: DATASET.npz or a directory.")
  var dataset: String

  @Option(name: .shortAndLong, help: "The PNG to write.")
  var output: String

  @Option(help: "How stored values become pixels.")
  var mode: PreviewMode = .invert

  @Option(help: "Show the first N images (default 16, or as many as --grid holds).")
  var count: Int?

  @Option(parsing: .unconditional, help: "Show these images, comma-separated (negative counts from the end).")
  var indices: String?

  @Option(help: "Show the first K images of each class, one row per class.")
  var perClass: Int?

  @Option(help: "Columns x rows of the grid, e.g. 8x4 (default: near-square).")
  var grid: String?

  @Option(
    parsing: .unconditional,
    help: "Write image I alone, at its size and channels, without a label (negative counts from the end).")
  var index: Int?

  @Flag(help: "Draw no labels under the tiles.")
  var noLabels = false

  func validate() throws {
    let selections = [count != nil, indices != nil, perClass != nil].filter { $0 }.count
    if selections > 1 { throw ValidationError("give one of --count, --indices and --per-class") }
    if index != nil && (selections > 0 || grid != nil || noLabels) {
      throw ValidationError(
        "--index writes one image; it takes none of --count, --indices, --per-class, --grid, --no-labels")
    }
    if let grid, PreviewGrid(argument: grid) == nil {
      throw ValidationError("--grid: expected COLUMNSxROWS such as 8x4 (each 1 to 10000), found '\(grid)'")
    }
  }

  func run() throws {
    let input = URL(fileURLWithPath: dataset)
    let outputURL = URL(fileURLWithPath: output)
    try FileOutput.check(outputURL, option: "-o", input: input)
    let stored = try StoredDataset.open(input)
    let inversion = try Inversion(dataset: stored, mode: mode)
    let pixels: NDArray<UInt8>
    if let index {
      let picked = try ContactSheet.indices(.indices([index]), in: stored)[0]
      pixels = ContactSheet.single(picked, of: stored, inversion: inversion)
    } else {
      let chosenGrid = grid.flatMap(PreviewGrid.init(argument:))
      let selection = try self.selection(grid: chosenGrid)
      let picked = try ContactSheet.indices(selection, in: stored)
      let layout = chosenGrid ?? ContactSheet.defaultGrid(for: picked, selection: selection, in: stored)
      var isPerClass = false
      if case .perClass = selection { isPerClass = true }
      pixels = try ContactSheet.render(
        picked, of: stored, inversion: inversion, grid: layout, labels: !noLabels, rowsByClass: isPerClass)
    }
    let png: [UInt8]
    do { png = try PNGEncoder.encode(pixels) } catch { throw CommandFailure("\(output): \(error)") }
    try FileOutput.write(png, to: outputURL)
  }

  /// The images asked for: --indices, --per-class, --count, else as many as --grid holds, else 16.
  func selection(grid: PreviewGrid?) throws -> PreviewSelection {
    if let indices {
      var list: [Int] = []
      for part in indices.split(separator: ",", omittingEmptySubsequences: false) {
        let text = part.trimmingCharacters(in: .whitespaces)
        guard let value = Int(text) else { throw ValidationError("--indices \(indices): '\(text)' is not an integer") }
        list.append(value)
      }
      return .indices(list)
    }
    if let perClass { return .perClass(perClass) }
    return .first(count ?? grid.map { $0.columns * $0.rows } ?? 16)
  }
}
