import Foundation
import NDArray
import NPYIO

/// The `y` member in the encoding of a ``LabelMode``, as Keras's
/// `image_dataset_from_directory(label_mode=...)` yields it.
enum LabelArray {
  /// int64 class indices, shape `(N,)`; -1 for an unlabeled image.
  case int64([Int64])
  /// float32 rows, shape `(N, columns)`: one-hot, multi-hot, or Keras's binary `(N, 1)`.
  case float32([Float], columns: Int)

  /// `labels[i]` (class indices of image `i`) encoded for `mode` over `classes` classes.
  /// The plan has checked that single-label modes get one label per labeled image.
  init(_ labels: [[Int]], classes: Int, mode: LabelMode) {
    switch mode {
    case .int:
      self = .int64(labels.map { $0.first.map(Int64.init) ?? -1 })
    case .binary:
      self = .float32(labels.map { Float($0.first ?? 0) }, columns: 1)
    case .categorical, .multiHot:
      var values = [Float](repeating: 0, count: labels.count * classes)
      for (row, indices) in labels.enumerated() {
        for index in indices { values[row * classes + index] = 1 }
      }
      self = .float32(values, columns: classes)
    }
  }

  /// Writes `y` as member `name` of `archive` (`np.savez`), through the typed writer (its
  /// size estimate picks the deflate mode, so the bytes match those before label modes).
  func write(name: String, into archive: NPZWriter) throws {
    switch self {
    case .int64(let values): try archive.write(name: name, array: NDArray(values))
    case .float32(let values, let columns): try archive.write(name: name, array: float32Array(values, columns))
    }
  }

  /// Writes `y` as an `.npy` file (`np.save`).
  func write(to url: URL) throws {
    switch self {
    case .int64(let values): try NPY.write(NDArray(values), to: url)
    case .float32(let values, let columns): try NPY.write(float32Array(values, columns), to: url)
    }
  }

  private func float32Array(_ values: [Float], _ columns: Int) -> NDArray<Float> {
    NDArray(values, shape: [values.count / max(columns, 1), columns])
  }
}
