import Foundation
import NDArray

/// A file left out by `--on-error skip`, and why.
public struct SkippedImage: Sendable, Equatable {
  /// The path relative to the input folder.
  public var file: String
  /// The one-line reason.
  public var reason: String
}

/// How far a conversion has got, for a progress bar.
public struct ConversionProgress: Sendable {
  /// `"sampling"` (the images of `--stats sample:K`), `"reading"` (decoding and resizing)
  /// or `"writing"` (the second pass of dataset statistics).
  public var phase: String
  /// Images finished in this phase.
  public var done: Int
  /// Images in this phase.
  public var total: Int
}

/// What a conversion did: the summary `normtool convert` prints.
public struct ConversionReport: Sendable {
  /// Where the dataset was written.
  public var output: URL
  /// Images written.
  public var images: Int
  /// Class names, in label order (empty when unlabeled).
  public var classes: [String]
  /// Files left out by `--on-error skip`.
  public var skipped: [SkippedImage]
  /// Entries the folder scan passed over (hidden, other extensions).
  public var ignored: Int
  /// The shape of `x`.
  public var shape: [Int]
  /// The element type of `x`.
  public var dtype: DType
  /// The size of the output in bytes (all files, for a directory).
  public var outputBytes: Int
  /// Wall time of the whole conversion.
  public var seconds: Double
  /// The statistics applied; when each image or batch had its own, or when the
  /// normalization applies none (``statisticsApplied`` false), the dataset-wide ones measured.
  /// The same as ``statisticsReport``'s.
  public var statistics: NormalizationStatistics { statisticsReport.statistics }
  /// Whether the normalization used statistics at all (false for `none` and `scale`: then
  /// the output has no `mean`/`std` members and the summary says "not applied").
  public var statisticsApplied: Bool
  /// What ``statistics`` are: "dataset", "sample:K", "imagenet", a path…
  public var statisticsSource: String
  /// The report written with the output (`stats.json`, `--save-stats`).
  public var statisticsReport: StatisticsReport
  /// Per class, sizes, formats, duplicates…: what is printed and stored beside the output.
  public var summary: DatasetSummary
  /// The `--export` files written (empty without `--export`).
  public var exportFiles: [URL]
}
