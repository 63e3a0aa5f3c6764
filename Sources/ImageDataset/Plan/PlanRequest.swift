import Foundation

/// What a plan is built from: the source of the images and the options beyond
/// ``ConversionOptions`` (`--labels`, `--files`, `--root`, `--label-mode`, `--split`, …).
public struct PlanRequest: Sendable {
  /// Where the images and their labels come from.
  public enum Source: Sendable, Equatable {
    /// A folder of class subfolders (or of images, unlabeled).
    case folder(URL)
    /// A CSV, TSV or JSONL label file (``LabelFile``).
    case labels(URL)
    /// A plain list of files, one per line (unlabeled).
    case files(URL)
  }

  /// The source.
  public var source: Source
  /// The folder the paths of a label file or list are relative to; nil: the file's folder.
  public var root: URL?
  /// How `y` is written; nil: int64, or multi-hot for multi-label files.
  public var labelMode: LabelMode?
  /// `--split`: the splits and their fractions; nil without.
  public var split: [SplitRule.Part]?
  /// Split each class on its own (`--no-stratify` clears it).
  public var stratify = true
  /// The label-file column of groups that must not straddle splits (`--group-column`).
  public var groupColumn: String?
  /// `--split-like keras --validation-split F`.
  public var kerasValidationSplit: Double?

  /// A request for `source` with the defaults.
  public init(source: Source) { self.source = source }
}
