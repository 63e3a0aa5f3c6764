import Foundation

/// Why a ``BatchLoader`` cannot serve a dataset; `description` is one line naming the file.
///
/// The PyTorch equivalent is the `ValueError`/`KeyError` a `TensorDataset` or `np.load`
/// raises on a dataset without labels or with mismatched lengths.
public enum BatchLoaderError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The dataset has no member or file with this name (`x` features, `y` labels).
  case missingArray(file: String, name: String)
  /// `x` and `y` do not have the same number of samples (first dimension).
  case lengthMismatch(file: String, samples: Int, labels: Int)
  /// An array holds another element type than the loader was asked for.
  case dtypeMismatch(file: String, name: String, expected: String, found: String)
  /// An array has no first (sample) axis.
  case zeroDimensional(file: String, name: String)
  /// Nothing exists at the path.
  case notFound(file: String)
  /// The path is neither a `.npy` file, a `.npz` archive nor a dataset directory.
  case unsupportedSource(file: String)
  /// The batch size is zero or negative.
  case invalidBatchSize(Int)

  /// A one-line message naming the file and the reason.
  public var description: String {
    switch self {
    case .missingArray(let file, let name):
      return "\(file): no array '\(name)' (expected 'x' features and 'y' labels, as normtool writes)"
    case .lengthMismatch(let file, let samples, let labels):
      return "\(file): x has \(samples) samples but y has \(labels) labels"
    case .dtypeMismatch(let file, let name, let expected, let found):
      return "\(file): '\(name)' is \(found), expected \(expected)"
    case .zeroDimensional(let file, let name):
      return "\(file): '\(name)' is 0-dimensional; batches need a first (sample) axis"
    case .notFound(let file):
      return "\(file): no such file or directory"
    case .unsupportedSource(let file):
      return "\(file): not a .npy file, a .npz archive or a dataset directory holding x.npy and y.npy"
    case .invalidBatchSize(let size):
      return "batch size must be positive, got \(size)"
    }
  }
}
