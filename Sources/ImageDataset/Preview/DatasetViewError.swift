import _ErrorText

/// Why a stored dataset could not be previewed or reported: the file and the reason, one
/// line (NumPy raises `KeyError`, `ValueError` or `IndexError` for the same situations).
public struct DatasetViewError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The dataset (or member file) the error is about.
  public let path: String
  /// What was expected and what was found.
  public let reason: String

  /// An error naming `path` and `reason`.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// `path: reason` (just `reason` when it already starts with `path`, as the readers'
  /// messages do), with control characters escaped.
  public var description: String { OneLineMessage.escaped(reason.hasPrefix(path) ? reason : "\(path): \(reason)") }
}
