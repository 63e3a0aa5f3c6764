import SystemPackage

/// What `stat(2)` says about a path that the file layer's callers need: its kind and its
/// identity (device and inode), which tells whether two paths name the same file.
/// The Python equivalent is `os.stat` with `st_mode`, `st_dev` and `st_ino`.
package struct FileStatus: Sendable, Equatable {
  /// The device and inode of a file: equal for two names of one file.
  package struct Identity: Sendable, Hashable {
    package var device: UInt64
    package var inode: UInt64
  }

  /// What kind of file it is.
  package var kind: FileKind
  /// Which file it is.
  package var identity: Identity

  /// The status of `path` (`stat(2)`, or `lstat(2)` when not following a final symbolic
  /// link). Throws ``FileError/failed(path:operation:errno:)`` with operation "stat".
  package static func of(_ path: String, followingSymbolicLinks: Bool = true) throws(FileError) -> FileStatus {
    let info: Stat
    do throws(Errno) { info = try Stat(FilePath(path), followTargetSymlink: followingSymbolicLinks) } catch {
      throw .failed(path: path, operation: "stat", errno: error)
    }
    return FileStatus(
      kind: FileKind(info.type),
      identity: Identity(device: UInt64(info.deviceID.rawValue), inode: UInt64(info.inode.rawValue)))
  }
}
