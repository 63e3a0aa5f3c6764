import Foundation
import _FileSystem

/// The reason of a failed file operation as one short phrase (the system's text, such as
/// "No such file or directory"), never Foundation's `Error Domain=… UserInfo={…}` dump.
///
/// Python's `OSError` carries the same text.
enum FileSystemReason {
  /// The text of an `errno` value.
  static func text(errno code: Int32) -> String { FileError.text(errno: code) }

  /// The POSIX reason inside a Foundation error (its own code or its underlying error's),
  /// the description of any other error.
  static func text(of error: any Error) -> String {
    if let posix = error as? POSIXError { return text(errno: posix.code.rawValue) }
    if let cocoa = error as? CocoaError {
      if let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError,
        underlying.domain == NSPOSIXErrorDomain
      {
        return text(errno: Int32(underlying.code))
      }
      switch cocoa.code {
      case .fileNoSuchFile, .fileReadNoSuchFile: return text(errno: ENOENT)
      case .fileWriteNoPermission, .fileReadNoPermission: return text(errno: EACCES)
      case .fileWriteOutOfSpace: return text(errno: ENOSPC)
      case .fileWriteFileExists: return text(errno: EEXIST)
      default: return cocoa.localizedDescription
      }
    }
    if type(of: error as Any) is NSError.Type {
      let nsError = error as NSError
      if nsError.domain == NSPOSIXErrorDomain { return text(errno: Int32(nsError.code)) }
      return nsError.localizedDescription
    }
    return "\(error)"
  }
}
