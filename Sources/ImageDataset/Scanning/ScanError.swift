import _ErrorText

/// Why a folder could not be scanned.
public enum ScanError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The folder does not exist.
  case notFound(path: String)
  /// The path exists but is a file.
  case notADirectory(path: String)
  /// Listing a folder failed.
  case unreadable(path: String, reason: String)
  /// No `.jpg`, `.jpeg` or `.png` file was found.
  case noImages(path: String, ignored: Int)
  /// Class folders that a fixed class order (`--classes`, a stats file) does not list.
  case unknownClasses(path: String, names: [String], source: String)

  /// A one-line message naming the path and the reason (line breaks and other control
  /// characters in paths and reasons escaped, as Python's `repr` writes them).
  public var description: String { OneLineMessage.escaped(rawDescription) }

  private var rawDescription: String {
    switch self {
    case .notFound(let path): return "\(path): no such folder"
    case .notADirectory(let path): return "\(path): expected a folder of images, found a file"
    case .unreadable(let path, let reason): return "\(path): cannot list folder: \(reason)"
    case .noImages(let path, let ignored):
      return "\(path): expected .jpg, .jpeg or .png images, found none (\(ignored) other entries ignored)"
    case .unknownClasses(let path, let names, let source):
      let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
      return source == "--classes"
        ? "\(path): class folder\(names.count == 1 ? "" : "s") \(quoted) not listed in --classes"
        : "\(path): class folder\(names.count == 1 ? "" : "s") \(quoted) unknown to the training classes in \(source)"
    }
  }
}
