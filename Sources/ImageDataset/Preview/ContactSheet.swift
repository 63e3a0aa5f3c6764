import NDArray

/// Which images a contact sheet shows.
public enum PreviewSelection: Sendable, Equatable {
  /// The first N images (all when fewer).
  case first(Int)
  /// These indices, in this order; negative ones count from the end, as in NumPy.
  case indices([Int])
  /// The first K images of each class, classes in label order.
  case perClass(Int)
}

/// Columns × rows of a contact sheet (`--grid 8x4`).
public struct PreviewGrid: Sendable, Equatable {
  /// Tiles across.
  public let columns: Int
  /// Tiles down.
  public let rows: Int

  /// A grid of `columns` × `rows`, each at least 1.
  public init(columns: Int, rows: Int) {
    precondition(columns >= 1 && rows >= 1, "a grid of \(columns)x\(rows)")
    self.columns = columns
    self.rows = rows
  }

  /// Parses `CxR` (e.g. `8x4`); nil unless both are whole numbers from 1 to 10,000.
  public init?(argument: String) {
    let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let c = Int(parts[0]), let r = Int(parts[1]), (1...10_000).contains(c),
      (1...10_000).contains(r)
    else { return nil }
    self.init(columns: c, rows: r)
  }

  /// A near-square grid for `count` tiles: ⌈√count⌉ columns.
  public static func fitting(_ count: Int) -> PreviewGrid {
    let columns = max(Int(Double(count).squareRoot().rounded(.up)), 1)
    return PreviewGrid(columns: columns, rows: max((count + columns - 1) / columns, 1))
  }
}

/// A contact sheet: tiles of images on a grid, each with its label underneath.
///
/// Geometry (so a test can find every tile): a ``gap``-pixel border around and between
/// cells; a cell is the image (W × H) over a label strip of ``labelHeight`` pixels (none
/// without labels); tile (column, row) starts at x = gap + column·(W + gap),
/// y = gap + row·(H + labelHeight + gap). The sheet is RGB (gray images are repeated in the
/// three channels) on a dark background, labels in white, centred and cut with `..` to fit.
/// The Pillow equivalent is pasting each tile into `Image.new("RGB", size, (32, 32, 32))`
/// and `ImageDraw.text` under it.
public enum ContactSheet {
  /// Pixels between cells and around the sheet.
  public static let gap = 4
  /// Pixels of the label strip under each tile.
  public static let labelHeight = BitmapFont.glyphHeight + 4
  /// The background colour.
  public static let background: UInt8 = 32
  /// The largest sheet drawn, in pixels (about 150 MB of RGB).
  public static let maximumPixels = 50_000_000

  /// The images `selection` picks from `dataset`, validated (NumPy's `IndexError` wording).
  public static func indices(
    _ selection: PreviewSelection, in dataset: StoredDataset
  ) throws(DatasetViewError) -> [Int] {
    let path = dataset.url.path
    switch selection {
    case .first(let n):
      guard n >= 1 else { throw DatasetViewError(path: path, reason: "expected at least 1 image, found \(n)") }
      return Array(0..<min(n, dataset.count))
    case .indices(let list):
      guard !list.isEmpty else { throw DatasetViewError(path: path, reason: "expected at least one index") }
      return try list.map { (index: Int) throws(DatasetViewError) -> Int in
        guard index >= -dataset.count && index < dataset.count else {
          throw DatasetViewError(
            path: path, reason: "index \(index) is out of bounds for axis 0 with size \(dataset.count)")
        }
        return index < 0 ? index + dataset.count : index
      }
    case .perClass(let k):
      guard k >= 1 else { throw DatasetViewError(path: path, reason: "expected --per-class of at least 1, found \(k)") }
      guard let labels = dataset.labels else {
        throw DatasetViewError(path: path, reason: "no labels (member y): --per-class needs them")
      }
      var picked: [Int64: [Int]] = [:]
      for (i, label) in labels.enumerated() where picked[label, default: []].count < k {
        picked[label, default: []].append(i)
      }
      return picked.keys.sorted().flatMap { picked[$0]! }
    }
  }

  /// The grid for `indices` when none is given: one row per class for `perClass`, else
  /// near-square.
  public static func defaultGrid(
    for indices: [Int], selection: PreviewSelection, in dataset: StoredDataset
  ) -> PreviewGrid {
    if case .perClass(let k) = selection, let labels = dataset.labels {
      let classes = Set(indices.map { labels[$0] }).count
      return PreviewGrid(columns: min(k, max(indices.count, 1)), rows: max(classes, 1))
    }
    return PreviewGrid.fitting(indices.count)
  }

  /// Draws `indices` of `dataset` through `inversion` on `grid`, left to right then top to
  /// bottom; an (H, W, 3) array. With `perClass` each class starts a new row.
  ///
  /// - Throws: ``DatasetViewError`` when the grid holds fewer tiles than the images, or the
  ///   sheet would exceed ``maximumPixels``.
  public static func render(
    _ indices: [Int], of dataset: StoredDataset, inversion: Inversion, grid: PreviewGrid,
    labels: Bool = true, rowsByClass: Bool = false
  ) throws(DatasetViewError) -> NDArray<UInt8> {
    let placed = placement(indices, dataset: dataset, columns: grid.columns, rowsByClass: rowsByClass)
    let path = dataset.url.path
    let cellHeight = dataset.height + (labels ? labelHeight : 0)
    let neededRows = (placed.map(\.cell).max() ?? 0) / grid.columns + 1
    guard neededRows <= grid.rows else {
      throw DatasetViewError(
        path: path,
        reason:
          "--grid \(grid.columns)x\(grid.rows) holds \(grid.columns * grid.rows) tiles; \(indices.count) images need \(neededRows) rows"
      )
    }
    let (w1, o1) = (dataset.width + gap).multipliedReportingOverflow(by: grid.columns)
    let (h1, o2) = (cellHeight + gap).multipliedReportingOverflow(by: grid.rows)
    let (area, o3) = (w1 + gap).multipliedReportingOverflow(by: h1 + gap)
    guard !o1, !o2, !o3, area <= maximumPixels else {
      throw DatasetViewError(
        path: path, reason: "the sheet would exceed \(maximumPixels) pixels; choose fewer images or a smaller grid")
    }
    let width = w1 + gap, height = h1 + gap
    var sheet = [UInt8](repeating: background, count: width * height * 3)
    let channels = dataset.channels
    for (index, cell) in placed {
      let left = gap + (cell % grid.columns) * (dataset.width + gap)
      let top = gap + (cell / grid.columns) * (cellHeight + gap)
      let tile = inversion.pixels(of: index, in: dataset)
      for y in 0..<dataset.height {
        for x in 0..<dataset.width {
          let source = (y * dataset.width + x) * channels
          let target = ((top + y) * width + left + x) * 3
          for c in 0..<3 { sheet[target + c] = tile[source + (channels == 1 ? 0 : c)] }
        }
      }
      if labels {
        let text = BitmapFont.fitting(dataset.label(of: index), width: dataset.width + gap - 2)
        BitmapFont.draw(
          text, into: &sheet, width: width, height: height, channels: 3,
          x: left + (dataset.width - BitmapFont.width(of: text)) / 2, y: top + dataset.height + 2,
          ink: [255, 255, 255])
      }
    }
    return NDArray(sheet, shape: [height, width, 3])
  }

  /// Each image with its cell number (row-major); with `rowsByClass`, a new class starts a
  /// new row.
  static func placement(
    _ indices: [Int], dataset: StoredDataset, columns: Int, rowsByClass: Bool
  ) -> [(index: Int, cell: Int)] {
    var cells: [(index: Int, cell: Int)] = []
    var cell = 0
    var previous: Int64?
    for index in indices {
      if rowsByClass, let labels = dataset.labels {
        if let previous, previous != labels[index], cell % columns != 0 { cell += columns - cell % columns }
        previous = labels[index]
      }
      cells.append((index, cell))
      cell += 1
    }
    return cells
  }

  /// Image `index` of `dataset` alone through `inversion`: (H, W, C), C as stored (1 or 3).
  public static func single(_ index: Int, of dataset: StoredDataset, inversion: Inversion) -> NDArray<UInt8> {
    NDArray(inversion.pixels(of: index, in: dataset), shape: [dataset.height, dataset.width, dataset.channels])
  }
}
