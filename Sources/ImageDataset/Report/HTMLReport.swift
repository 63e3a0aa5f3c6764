import Foundation
import NDArray

/// The one-page report of a stored dataset (`normtool report`): one self-contained HTML file
/// that makes no network request (a Content-Security-Policy forbids any): the summary
/// (images, size, classes with their counts, formats, skipped files, duplicates), the
/// stored statistics beside the measured ones, per-channel histograms before (inverted to
/// 0…255) and after normalization as inline SVG, and a sample grid as a PNG data URI.
///
/// The Python equivalent is a pandas `DataFrame.to_html` summary plus matplotlib figures
/// saved to SVG and an `<img>` with `base64.b64encode(png)`.
public struct HTMLReport: Sendable {
  /// The dataset reported on.
  public let dataset: StoredDataset
  /// Its survey.
  public let survey: DatasetSurvey
  /// The sample grid, PNG bytes.
  public let samplePNG: [UInt8]
  /// The grid's width in pixels; the page shows it twice as wide (pixelated) for small images.
  public let sampleWidth: Int
  /// What the grid shows (e.g. "the first 16 images, inverted with the stored statistics").
  public let sampleCaption: String
  /// The normalization undone for the "before" histograms; nil when it could not be.
  public let inverted: NormalizationMode?
  /// Who wrote the report (e.g. "normtool 0.1.0").
  public let generator: String

  /// A report of `dataset` from its `survey` and `samplePNG`.
  public init(
    dataset: StoredDataset, survey: DatasetSurvey, samplePNG: [UInt8], sampleWidth: Int, sampleCaption: String,
    inverted: NormalizationMode?, generator: String
  ) {
    self.dataset = dataset
    self.survey = survey
    self.samplePNG = samplePNG
    self.sampleWidth = sampleWidth
    self.sampleCaption = sampleCaption
    self.inverted = inverted
    self.generator = generator
  }

  /// Channel names and bar colours: R, G, B, or one gray channel.
  private var channelNames: [(String, String)] {
    dataset.channels == 3 ? [("R", "#c0392b"), ("G", "#27ae60"), ("B", "#2e61b8")] : [("gray", "#555555")]
  }

  /// The whole HTML document.
  public var rendered: String {
    let name = HTMLText.escaped(dataset.url.lastPathComponent)
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
      <title>normtool report: \(name)</title>
      <style>
      body { font-family: sans-serif; margin: 2em; color: #222; max-width: 70em; }
      table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
      th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      .charts svg { margin: 0 1em 1em 0; background: #fafafa; }
      img.grid { image-rendering: pixelated; border: 1px solid #888; }
      </style>
      </head>
      <body>
      <h1>Dataset report: \(name)</h1>
      <p>Written by \(HTMLText.escaped(generator)) from <code>\(HTMLText.escaped(dataset.url.path))</code>.</p>
      \(summarySection)
      \(statisticsSection)
      \(histogramSection)
      <h2>Sample</h2>
      <p>\(HTMLText.escaped(sampleCaption))</p>
      <img class="grid" alt="sample grid" width="\(sampleWidth * (sampleWidth <= 600 ? 2 : 1))" src="data:image/png;base64,\(Data(samplePNG).base64EncodedString())">
      </body>
      </html>

      """
  }

  private var summarySection: String {
    let d = dataset
    var rows: [(String, String)] = [
      ("Format", d.url.pathExtension.lowercased() == "npz" ? "npz archive" : "directory of .npy files"),
      ("Images", "\(d.count)"),
      ("Image size", "\(d.width)x\(d.height) pixels, \(d.channels) channel\(d.channels == 1 ? "" : "s")"),
      ("x", "\(d.x.dtype), shape \(d.x.shape), layout \(d.layout.rawValue)"),
      ("Size on disk", "\(d.bytesOnDisk) bytes"),
      ("Normalization", normalizationText),
      ("Classes", d.classes.isEmpty ? "none recorded" : "\(d.classes.count)"),
      ("Skipped files", "\(d.skipped.count)"),
      ("Duplicate images", "\(survey.duplicates.count) (identical values in x)"),
    ]
    if !survey.formats.isEmpty {
      rows.append(("File formats", survey.formats.map { "\($0.suffix): \($0.count)" }.joined(separator: ", ")))
    }
    var html = "<h2>Summary</h2>\n" + table(header: nil, rows: rows.map { [$0.0, $0.1] }, numeric: [])
    if !survey.imagesPerLabel.isEmpty {
      html += "<h3>Images per class</h3>\n"
      let rows = survey.imagesPerLabel.map { entry -> [String] in
        let name = entry.label >= 0 && entry.label < d.classes.count ? d.classes[Int(entry.label)] : "(unnamed)"
        return [String(entry.label), name, String(entry.count)]
      }
      html += table(header: ["label", "class", "images"], rows: rows, numeric: [0, 2])
    }
    if !d.skipped.isEmpty {
      html += "<h3>Skipped files</h3>\n<ul>\n"
      html += d.skipped.prefix(20).map { "<li><code>\(HTMLText.escaped($0))</code></li>\n" }.joined()
      if d.skipped.count > 20 { html += "<li>and \(d.skipped.count - 20) more</li>\n" }
      html += "</ul>\n"
    }
    if !survey.duplicates.isEmpty {
      html += "<h3>Duplicates</h3>\n<ul>\n"
      html += survey.duplicates.prefix(20).map { "<li>\(describe($0.index)) equals \(describe($0.first))</li>\n" }
        .joined()
      if survey.duplicates.count > 20 { html += "<li>and \(survey.duplicates.count - 20) more</li>\n" }
      html += "</ul>\n"
    }
    return html
  }

  /// "image 3 (cats/a.jpg)".
  private func describe(_ index: Int) -> String {
    let file = dataset.files.flatMap { index < $0.count ? $0[index] : nil }
    return "image \(index)" + (file.map { " (<code>\(HTMLText.escaped($0))</code>)" } ?? "")
  }

  private var normalizationText: String {
    guard let options = dataset.report?.options, let mode = options["normalize"] else {
      return inverted.map { "\($0.rawValue) (assumed: an .npz records no options)" } ?? "unknown"
    }
    let keys = ["scope", "stats", "dtype", "size", "color"].compactMap { key in options[key].map { "--\(key) \($0)" } }
    return (["--normalize \(mode)"] + keys).joined(separator: " ")
  }

  private var statisticsSection: String {
    var html = "<h2>Statistics</h2>\n"
    let names = channelNames.map(\.0)
    let measured = survey.statistics
    if let stored = dataset.report?.statistics {
      let applied = dataset.report?.applied ?? true
      html +=
        "<h3>Stored (stats.json, unit scale: pixel / 255; \(applied ? "these normalized x" : "measured, not applied as one set"))</h3>\n"
      html += table(
        header: ["entry", "mean", "std", "min", "max", "count"], rows: entries(stored, names: names),
        numeric: [1, 2, 3, 4, 5])
    } else if let mean = dataset.mean, let std = dataset.std {
      let rows = mean.shape.count == 2 ? mean.shape[0] : 1
      html += "<h3>Stored (members mean and std, unit scale\(rows > 1 ? "; \(rows) rows, the first shown" : ""))</h3>\n"
      let entries = mean.shape.last ?? 0
      let m = Array(mean.flatElements.prefix(entries)), s = Array(std.flatElements.prefix(entries))
      let list = NormalizationStatistics(mean: m, std: s, minimum: nil, maximum: nil, count: nil)
      html += table(
        header: ["entry", "mean", "std", "min", "max", "count"], rows: self.entries(list, names: names),
        numeric: [1, 2, 3, 4, 5])
    } else {
      html += "<p>No statistics stored (the normalization applied none).</p>\n"
    }
    html += "<h3>Measured over x as stored (\(measured.count) values per channel)</h3>\n"
    let rows = (0..<dataset.channels).map { c in
      [names[c]] + [measured.mean, measured.std, measured.min, measured.max].map { number($0.flatElements[c]) }
    }
    html += table(header: ["channel", "mean", "std", "min", "max"], rows: rows, numeric: [1, 2, 3, 4])
    return html
  }

  private func entries(_ s: NormalizationStatistics, names: [String]) -> [[String]] {
    (0..<s.entries).map { e in
      [
        s.entries == 1 && names.count > 1 ? "all" : names[min(e, names.count - 1)], number(s.mean[e]), number(s.std[e]),
        s.minimum.map { number($0[e]) } ?? "", s.maximum.map { number($0[e]) } ?? "",
        s.count.map { String(format: "%.0f", $0[e]) } ?? "",
      ]
    }
  }

  private var histogramSection: String {
    var html = "<h2>Histograms per channel</h2>\n"
    if let before = survey.before {
      html += "<h3>Before normalization (pixels, inverted to 0-255)</h3>\n<div class=\"charts\">\n"
      for (c, counts) in before.enumerated() {
        html +=
          HistogramSVG(
            counts: counts, range: 0...256, title: "\(channelNames[c].0) before", xLabel: "pixel value",
            color: channelNames[c].1
          ).rendered + "\n"
      }
      html += "</div>\n"
    } else {
      html += "<p>Before normalization: not shown, the dataset stores no statistics to invert x with.</p>\n"
    }
    html += "<h3>After normalization (x as stored)</h3>\n<div class=\"charts\">\n"
    let low = survey.statistics.min.flatElements, high = survey.statistics.max.flatElements
    for (c, counts) in survey.after.enumerated() {
      let range = low[c].isFinite && high[c].isFinite ? low[c]...high[c] : 0...1
      html +=
        HistogramSVG(
          counts: counts, range: range, title: "\(channelNames[c].0) after", xLabel: "value in x",
          color: channelNames[c].1
        ).rendered + "\n"
    }
    return html + "</div>\n"
  }

  private func number(_ value: Double) -> String { String(format: "%.6g", value) }

  /// A table; `numeric` columns are right-aligned. Cells are escaped.
  private func table(header: [String]?, rows: [[String]], numeric: Set<Int>) -> String {
    var html = "<table>\n"
    if let header { html += "<tr>" + header.map { "<th>\(HTMLText.escaped($0))</th>" }.joined() + "</tr>\n" }
    for row in rows {
      html +=
        "<tr>"
        + row.enumerated().map { i, cell in
          (header == nil && i == 0 ? "<th>" : numeric.contains(i) ? "<td class=\"n\">" : "<td>")
            + HTMLText.escaped(cell)
            + (header == nil && i == 0 ? "</th>" : "</td>")
        }.joined() + "</tr>\n"
    }
    return html + "</table>\n"
  }
}
