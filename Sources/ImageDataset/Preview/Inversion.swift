import NDArray

/// How `preview` turns stored values into 0…255 pixels.
public enum PreviewMode: String, Sendable, CaseIterable {
  /// Undo the normalization with the stored statistics (``Inversion``).
  case invert
  /// Stretch each image from its smallest to its largest value over 0…255.
  case minmax
  /// Each image's zero at 127 and its largest magnitude at 0 or 254.
  case symmetric
}

/// One stored image back to 8-bit pixels, (H, W, C) interleaved.
///
/// `invert` undoes the normalization with the statistics the dataset stores, exactly as the
/// NumPy reference `np.clip(np.rint((x * a + b) * k), 0, 255).astype(np.uint8)` in Float64,
/// where (a, b, k) is (std′, mean, 255) for `standardize` (`x·std′ + mean`, std′ =
/// max(std, 1/√n), the divisor of docs/design.md §6), (1, mean, 255) for
/// `center`, (max − min, min, 255) for `minmax`, (1, 0, 255) for `scale` and (1, 0, 1) for
/// `none`; the statistics are the row of `mean`/`std` that normalized the image (one per
/// dataset, image or batch). The values are bit for bit NumPy's (no fused multiply-add).
/// The normalization is the one `stats.json` records; without it (an `.npz`), uint8 `x` is
/// `none` and float `x` with `mean` and `std` is `standardize`, the default.
/// n, the values each statistic covered, is what `stats.json` records for one set of
/// statistics; for one row per image or batch it is the row's pixels (times the channels for
/// one global entry); an `.npz` with one set records none, and n is then taken as all of
/// `x`'s pixels: the floor matters only for near-constant data (or small images with their
/// own statistics), where std falls below 1/√n.
///
/// `minmax`: `rint((x − x.min()) / (x.max() − x.min()) · 255)` per image (0 when flat);
/// `symmetric`: `rint(127 + x / abs(x).max() · 127)` per image (127 when all zero). NaN
/// becomes 0.
public struct Inversion: Sendable {
  /// The display mode.
  public let mode: PreviewMode
  /// The normalization undone by `invert` (nil for the other modes).
  public let normalization: NormalizationMode?
  private let channels: Int
  /// `a` and `b` per (row, channel), flattened row by row.
  private let scale: [Double], offset: [Double]
  private let unit: Double
  /// Images per row of the statistics (1 per image, the batch size, or all).
  private let imagesPerRow: Int

  /// The inversion of `dataset` in `mode`.
  ///
  /// - Throws: ``DatasetViewError`` in `invert` mode when the dataset stores no statistics
  ///   for a normalization that used them, when the normalization clipped (`positive`), or
  ///   when the statistics do not fit `x`.
  public init(dataset: StoredDataset, mode: PreviewMode) throws(DatasetViewError) {
    self.mode = mode
    channels = dataset.channels
    guard mode == .invert else {
      (normalization, scale, offset, unit, imagesPerRow) = (nil, [], [], 255, 1)
      return
    }
    let path = dataset.url.path
    let hint = "; use --mode minmax or --mode symmetric to view it"
    let recorded = dataset.report?.options["normalize"].flatMap(NormalizationMode.init(rawValue:))
    let normalization: NormalizationMode
    if let recorded {
      normalization = recorded
    } else if dataset.x.dtype == .uint8 {
      normalization = .none
    } else if dataset.mean != nil && dataset.std != nil {
      normalization = .standardize
    } else {
      throw DatasetViewError(
        path: path, reason: "no stored statistics (mean, std) to invert x with" + hint)
    }
    self.normalization = normalization
    let channels = dataset.channels
    switch normalization {
    case .none, .scale:
      scale = Array(repeating: 1, count: channels)
      offset = Array(repeating: 0, count: channels)
      unit = normalization == .none ? 1 : 255
      imagesPerRow = max(dataset.count, 1)
      return
    case .positive:
      throw DatasetViewError(
        path: path, reason: "--normalize positive clipped values to [-1, 1]; they cannot be inverted exactly" + hint)
    case .minmax:
      guard let low = dataset.report?.statistics.minimum, let high = dataset.report?.statistics.maximum,
        dataset.mean?.shape.count ?? 1 == 1
      else {
        throw DatasetViewError(
          path: path, reason: "no stored min and max of the dataset to invert --normalize minmax with" + hint)
      }
      try Self.checkEntries(low.count, channels: channels, path: path)
      scale = (0..<channels).map { c in high[low.count == 1 ? 0 : c] - low[low.count == 1 ? 0 : c] }
      offset = (0..<channels).map { c in low[low.count == 1 ? 0 : c] }
      unit = 255
      imagesPerRow = max(dataset.count, 1)
      return
    case .center, .standardize:
      break
    }
    guard let mean = dataset.mean, let std = dataset.std else {
      throw DatasetViewError(
        path: path, reason: "no stored statistics (mean, std) for --normalize \(normalization.rawValue)" + hint)
    }
    guard mean.shape == std.shape, (1...2).contains(mean.shape.count) else {
      throw DatasetViewError(
        path: path,
        reason: "expected mean and std of one shape (entries) or (rows, entries), found \(mean.shape) and \(std.shape)")
    }
    let entries = mean.shape.last!
    let rows = mean.shape.count == 1 ? 1 : mean.shape[0]
    try Self.checkEntries(entries, channels: channels, path: path)
    imagesPerRow = try Self.imagesPerRow(rows: rows, dataset: dataset)
    let means = mean.flatElements, stds = std.flatElements
    // Values per statistic, for the floor std′ = max(std, 1/√n) that divided (§6): what
    // stats.json records for one set, else the pixels of the row's images (all channels'
    // for one global entry).
    let pixelsPerImage = dataset.height * dataset.width * (entries == 1 ? channels : 1)
    let recordedCount =
      rows == 1 ? dataset.report.map { $0.statistics.count.flatMap { $0.count == entries ? $0 : nil } } : nil
    var scale: [Double] = [], offset: [Double] = []
    for r in 0..<rows {
      let images = min(imagesPerRow, dataset.count - r * imagesPerRow)
      for c in 0..<channels {
        let e = r * entries + (entries == 1 ? 0 : c)
        let count = recordedCount.map { $0?[e % entries] } ?? Double(images * pixelsPerImage)
        let floor = count.map { 1 / $0.squareRoot() } ?? 0
        scale.append(normalization == .center ? 1 : max(stds[e], floor))
        offset.append(means[e])
      }
    }
    (self.scale, self.offset, unit) = (scale, offset, 255)
  }

  /// The pixels of image `index` of `dataset` (the one this inversion was made for), (H, W, C).
  public func pixels(of index: Int, in dataset: StoredDataset) -> [UInt8] {
    pixels(of: index, values: dataset.values(of: index))
  }

  /// The pixels of image `index` whose stored values (``StoredDataset/values(of:)``) are `values`.
  public func pixels(of index: Int, values: [Double]) -> [UInt8] {
    switch mode {
    case .invert:
      let base = (index / imagesPerRow) * channels
      return values.indices.map { i in
        let c = base + i % channels
        return Self.pixel((values[i] * scale[c] + offset[c]) * unit)
      }
    case .minmax:
      let finite = values.filter(\.isFinite)
      let low = finite.min() ?? 0, high = finite.max() ?? 0
      return values.map { high == low ? 0 : Self.pixel((($0 - low) / (high - low)) * 255) }
    case .symmetric:
      let largest = values.filter(\.isFinite).map(abs).max() ?? 0
      return values.map { largest == 0 ? 127 : Self.pixel(127 + $0 / largest * 127) }
    }
  }

  /// `np.clip(np.rint(value), 0, 255)` as uint8; NaN is 0.
  static func pixel(_ value: Double) -> UInt8 {
    let rounded = value.rounded(.toNearestOrEven)
    return rounded.isNaN ? 0 : UInt8(Swift.min(Swift.max(rounded, 0), 255))
  }

  private static func checkEntries(_ entries: Int, channels: Int, path: String) throws(DatasetViewError) {
    guard entries == 1 || entries == channels else {
      throw DatasetViewError(
        path: path, reason: "statistics with \(entries) entries for images of \(channels) channels")
    }
  }

  /// 1 row for the whole dataset, 1 per image, or one per batch of the size `stats.json`
  /// records (`--stats batch:N`).
  private static func imagesPerRow(rows: Int, dataset: StoredDataset) throws(DatasetViewError) -> Int {
    let count = dataset.count
    if rows == 1 { return max(count, 1) }
    if case .batch(let size)? = dataset.report?.options["stats"].flatMap(StatisticsSource.init(argument:)),
      (count + size - 1) / size == rows
    {
      return size
    }
    if rows == count { return 1 }
    throw DatasetViewError(
      path: dataset.url.path,
      reason:
        "mean has \(rows) rows for \(count) images; which rows apply to which images is recorded only in a directory output's stats.json (--stats batch:N)"
    )
  }
}
