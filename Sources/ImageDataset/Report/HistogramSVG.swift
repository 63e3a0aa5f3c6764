import Foundation

/// A histogram as an inline SVG bar chart with labelled axes: the title above, counts on
/// the y axis (0 and the largest bin), values on the x axis (the range's ends and middle).
///
/// The matplotlib equivalent is `plt.bar(edges[:-1], counts, width=np.diff(edges))` with
/// `xlabel`/`ylabel`, saved as SVG.
public struct HistogramSVG: Sendable {
  /// Counts per bin.
  public var counts: [Int64]
  /// The values the first bin starts at and the last bin ends at.
  public var range: ClosedRange<Double>
  /// The heading over the chart.
  public var title: String
  /// The x axis' label.
  public var xLabel: String
  /// The bars' colour (CSS).
  public var color: String

  /// A chart of `counts` over `range`.
  public init(counts: [Int64], range: ClosedRange<Double>, title: String, xLabel: String, color: String) {
    self.counts = counts
    self.range = range
    self.title = title
    self.xLabel = xLabel
    self.color = color
  }

  static let width = 300.0, height = 190.0
  static let left = 56.0, right = 12.0, top = 24.0, bottom = 44.0

  /// The `<svg>` element.
  public var rendered: String {
    let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
    let largest = max(counts.max() ?? 0, 1)
    let barWidth = plotWidth / Double(max(counts.count, 1))
    let base = Self.top + plotHeight
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
      viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" aria-label="\(HTMLText.escaped(title))">
      <text x="\(f(Self.width / 2))" y="15" text-anchor="middle" font-size="12" font-weight="bold">\(HTMLText.escaped(title))</text>

      """
    for (i, count) in counts.enumerated() where count > 0 {
      let h = Double(count) / Double(largest) * plotHeight
      svg +=
        "<rect x=\"\(f(Self.left + Double(i) * barWidth))\" y=\"\(f(base - h))\" width=\"\(f(barWidth))\" height=\"\(f(h))\" fill=\"\(color)\"/>\n"
    }
    svg += """
      <line x1="\(f(Self.left))" y1="\(f(base))" x2="\(f(Self.left + plotWidth))" y2="\(f(base))" stroke="#000"/>
      <line x1="\(f(Self.left))" y1="\(f(Self.top))" x2="\(f(Self.left))" y2="\(f(base))" stroke="#000"/>

      """
    for (fraction, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
      let value = range.lowerBound + (range.upperBound - range.lowerBound) * fraction
      svg +=
        "<text x=\"\(f(Self.left + plotWidth * fraction))\" y=\"\(f(base + 14))\" text-anchor=\"\(anchor)\" font-size=\"10\">\(Self.label(value))</text>\n"
    }
    svg += """
      <text x="\(f(Self.left - 4))" y="\(f(Self.top + 4))" text-anchor="end" font-size="10">\(largest)</text>
      <text x="\(f(Self.left - 4))" y="\(f(base))" text-anchor="end" font-size="10">0</text>
      <text x="\(f(Self.left + plotWidth / 2))" y="\(f(Self.height - 8))" text-anchor="middle" font-size="11">\(HTMLText.escaped(xLabel))</text>
      <text transform="translate(14 \(f(Self.top + plotHeight / 2))) rotate(-90)" text-anchor="middle" font-size="11">count</text>
      </svg>
      """
    return svg
  }

  /// A coordinate with two decimals.
  private func f(_ value: Double) -> String { String(format: "%.2f", value) }

  /// A tick value: whole numbers as such, others with 4 significant digits.
  static func label(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(format: "%.4g", value)
  }
}
