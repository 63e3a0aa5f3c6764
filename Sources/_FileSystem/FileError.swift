import SystemPackage

/// A failed file operation, naming the path: the file layer's one error, which each module
/// turns into its own error type through ``FileErrorConvertible``.
/// The Python equivalent is `OSError` with its `filename` and `strerror`.
package enum FileError: Error, Sendable, Equatable {
  /// A system call failed: `operation` is the verb in messages ("open", "read", "rename").
  case failed(path: String, operation: String, errno: Errno)
  /// The path names a folder, FIFO, device or socket where a regular file was needed.
  case notARegularFile(path: String, kind: FileKind)

  /// The path the operation was given (or the name it reports for a temporary file).
  package var path: String {
    switch self {
    case .failed(let path, _, _), .notARegularFile(let path, _): return path
    }
  }

  /// Why, in words: the system's text ("No such file or directory") or
  /// "not a regular file (a folder)".
  package var reason: String {
    switch self {
    case .failed(_, _, let errno): return errno.description
    case .notARegularFile(_, let kind): return "not a regular file (\(kind))"
    }
  }
}

/// An error type that a ``FileError`` converts into, so that ``OpenFile`` throws each
/// module's own errors (`NPYError` in NPYIO) and call sites need no mapping.
package protocol FileErrorConvertible: Error {
  init(_ error: FileError)
}

extension FileError: FileErrorConvertible {
  package init(_ error: FileError) { self = error }
}
