import _FileSystem

// The two spellings `NPY+Strings.swift` still uses from before the file layer (issue 10
// item 1). That file is being changed elsewhere at the same time; once both changes are in,
// it should call `NPYFile.openRegularFile` (or `NPY.openAndReadHeader`) and `writeAll`, and
// this file goes.

/// The old name of ``NPYFile``.
typealias FileDescriptor = NPYFile

extension OpenFile where Failure == NPYError {
  /// ``OpenFile/openRegularFile(_:followingSymbolicLinks:)`` under its old name.
  static func openForReading(_ path: String) throws(NPYError) -> NPYFile { try openRegularFile(path) }

  /// ``OpenFile/writeAll(_:)-(UnsafeRawBufferPointer)`` under its old name.
  func write(_ bytes: UnsafeRawBufferPointer) throws(NPYError) { try writeAll(bytes) }
}
