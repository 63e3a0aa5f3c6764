/// How the labels are written as `y` (`--label-mode`), named as Keras's
/// `image_dataset_from_directory(label_mode=...)` names them.
public enum LabelMode: String, Sendable, CaseIterable, Codable {
  /// One int64 class index per image, shape `(N,)` (Keras `"int"`); `-1` for an unlabeled image.
  case int
  /// One-hot float32 rows, shape `(N, classes)` (Keras `"categorical"`).
  case categorical
  /// float32 0/1 for exactly two classes, shape `(N, 1)` as Keras yields it (Keras `"binary"`).
  case binary
  /// float32 rows with a 1 for every label of the image, shape `(N, classes)` (the
  /// multi-hot encoding of Keras's `MultiHotEncoding`; `|`-separated labels in a label file).
  case multiHot = "multi-hot"
}
