import SystemPackage

/// What kind of file a path names, in the one wording every error message uses
/// ("a folder", "a FIFO (named pipe)", ...). The Python equivalent is `stat.S_IFMT` with
/// `stat.S_ISDIR` and friends.
package enum FileKind: Sendable, Equatable, CustomStringConvertible {
  case regular, directory, fifo, characterDevice, blockDevice, socket, symbolicLink, unknown

  package init(_ type: FileType) {
    switch type {
    case .regular: self = .regular
    case .directory: self = .directory
    case .fifo: self = .fifo
    case .characterSpecial: self = .characterDevice
    case .blockSpecial: self = .blockDevice
    case .socket: self = .socket
    case .symbolicLink: self = .symbolicLink
    default: self = .unknown
    }
  }

  /// The kind of the file at `path` (`stat(2)`, or `lstat(2)` when not following a final
  /// symbolic link). Throws ``FileError/failed(path:operation:errno:)`` with operation "stat".
  package static func of(_ path: String, followingSymbolicLinks: Bool = true) throws(FileError) -> FileKind {
    do throws(Errno) {
      return FileKind(try Stat(FilePath(path), followTargetSymlink: followingSymbolicLinks).type)
    } catch {
      throw .failed(path: path, operation: "stat", errno: error)
    }
  }

  /// The kind in words, with an article: "a folder", "a FIFO (named pipe)".
  package var description: String {
    switch self {
    case .regular: return "a regular file"
    case .directory: return "a folder"
    case .fifo: return "a FIFO (named pipe)"
    case .characterDevice: return "a character device"
    case .blockDevice: return "a block device"
    case .socket: return "a socket"
    case .symbolicLink: return "a symbolic link"
    case .unknown: return "an unknown kind of file"
    }
  }
}
