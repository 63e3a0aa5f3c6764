/// One image of a ``DatasetPlan``: the file, its labels, its split and its group.
///
/// The pandas equivalent is one row of a `path,label,split,group` table.
public struct PlanEntry: Sendable, Hashable, Codable {
  /// The path relative to ``DatasetPlan/root``, with `/` separators (the `files` member).
  public var path: String
  /// Indices into ``DatasetPlan/classes``: one for a single-label image, any number for a
  /// multi-label one, none for an unlabeled image.
  public var labels: [Int]
  /// The split it is written to (`"train"`, `"val"`, …); nil when the plan has no splits.
  public var split: String?
  /// The group it belongs to (`--group-column`); a group never straddles two splits.
  public var group: String?

  /// An entry.
  public init(path: String, labels: [Int], split: String? = nil, group: String? = nil) {
    self.path = path
    self.labels = labels
    self.split = split
    self.group = group
  }
}
