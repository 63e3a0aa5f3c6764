import ArgumentParser
import Foundation
import ImageDataset
import Imaging

/// `normtool report DATASET -o report.html`: one self-contained HTML page about a dataset
/// (docs/design.md §5): summary, statistics, per-channel histograms before and after
/// normalization, and a sample grid. The work is ImageDataset's `DatasetSurvey` and
/// `HTMLReport`.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a one-page HTML report of a dataset: summary, statistics, histograms, sample grid.",
    discussion: """
      The page makes no network request: the histograms are inline SVG and the sample grid \
      (the first images, as preview draws them: inverted with the stored statistics, or \
      stretched with --mode minmax when the dataset stores none) is a PNG data URI.
      """)

  @Argument(help: "A dataset normtool convert wrote: DATASET.npz or a directory.")
  var dataset: String

  @Option(name: .shortAndLong, help: "The HTML file to write.")
  var output: String

  @Option(help: "Images in the sample grid.")
  var samples: Int = 16

  func validate() throws {
    if samples < 1 { throw ValidationError("--samples: expected at least 1, found \(samples)") }
  }

  func run() throws {
    let input = URL(fileURLWithPath: dataset)
    let outputURL = URL(fileURLWithPath: output)
    try FileOutput.check(outputURL, option: "-o", input: input)
    let stored = try StoredDataset.open(input)
    let inverse = try? Inversion(dataset: stored, mode: .invert)
    let shown = try inverse ?? Inversion(dataset: stored, mode: .minmax)
    let survey = try DatasetSurvey(dataset: stored, inversion: inverse)
    let picked = try ContactSheet.indices(.first(samples), in: stored)
    let sheet = try ContactSheet.render(picked, of: stored, inversion: shown, grid: PreviewGrid.fitting(picked.count))
    let png: [UInt8]
    do { png = try PNGEncoder.encode(sheet) } catch { throw CommandFailure("\(output): \(error)") }
    let caption =
      "The first \(picked.count) images, "
      + (inverse != nil
        ? "inverted with the stored statistics (normtool preview --mode invert)."
        : "each stretched over 0-255 (normtool preview --mode minmax): the dataset stores no statistics to invert with.")
    let page = HTMLReport(
      dataset: stored, survey: survey, samplePNG: png, sampleWidth: sheet.shape[1], sampleCaption: caption,
      inverted: inverse?.normalization,
      generator: "normtool \(Normtool.version)")
    try FileOutput.write(Array(page.rendered.utf8), to: outputURL)
  }
}
