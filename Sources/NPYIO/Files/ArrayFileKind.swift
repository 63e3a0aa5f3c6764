import Foundation
import _ErrorText
import _FileSystem

/// What an array path names, told by its first bytes: an `.npy` file (`\x93NUMPY`), an
/// `.npz` archive (a zip, `PK`), or a folder. A regular file too short to tell is judged by
/// its name (`.npz`, else `.npy`), so the reader then gives the precise error.
///
/// The NumPy equivalent is the sniffing `np.load` does: `.npz` when the file starts with
/// the zip magic, `.npy` when it starts with the NumPy magic.
public enum ArrayFileKind: Sendable, Equatable {
  /// A `.npy` file: read it with ``NPY``.
  case npy
  /// A zip (`.npz`) archive: read it with ``NPZReader``.
  case npz
  /// A folder (or a link to one).
  case folder

  /// The kind of the file at `url`. A FIFO, device or socket is refused before it is
  /// opened (opening a FIFO would block).
  ///
  /// - Throws: ``ArrayFileError`` naming the path: missing, not examinable or readable,
  ///   or not a regular file.
  public static func of(_ url: URL) throws(ArrayFileError) -> ArrayFileKind {
    let path = url.path
    let kind: FileKind
    do throws(FileError) { kind = try FileKind.of(path) } catch {
      if case .failed(_, _, .noSuchFileOrDirectory) = error { throw .notFound(path: path) }
      throw .unreadable(path: path, reason: error.reason)
    }
    switch kind {
    case .regular: break
    case .directory: return .folder
    default: throw .notARegularFile(path: path, kind: kind.description)
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: NPY.magic.count, alignment: 1)
    defer { buffer.deallocate() }
    let start: [UInt8]
    do throws(FileError) {
      let file = try OpenFile<FileError>.openRegularFile(path)
      start = Array(buffer.prefix(try file.read(into: buffer, fromAbsoluteOffset: 0)))
    } catch {
      throw .unreadable(path: path, reason: error.reason)
    }
    if start.starts(with: NPY.magic) { return .npy }
    if start.starts(with: zipMagic) { return .npz }
    return url.pathExtension.lowercased() == "npz" ? .npz : .npy
  }

  /// The first two bytes of every zip archive (a local file header, or an empty archive's
  /// end record).
  private static let zipMagic: [UInt8] = [0x50, 0x4B]
}

/// Why ``ArrayFileKind/of(_:)`` could not tell what a path is.
public enum ArrayFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Nothing exists at the path (Python's `FileNotFoundError`).
  case notFound(path: String)
  /// The path could not be examined or read; `reason` is the system's text.
  case unreadable(path: String, reason: String)
  /// The path is a folder where an array file was needed.
  case folder(path: String)
  /// The path is a FIFO, device or socket; `kind` says which ("a FIFO (named pipe)").
  case notARegularFile(path: String, kind: String)

  /// A one-line message naming the path and the reason.
  public var description: String {
    let text: String
    switch self {
    case .notFound(let path): text = "\(path): no such file"
    case .unreadable(let path, let reason): text = "\(path): cannot read: \(reason)"
    case .folder(let path): text = "\(path): is a folder; expected an .npy or .npz file"
    case .notARegularFile(let path, let kind):
      text = "\(path): not a regular file (\(kind)); expected an .npy or .npz file"
    }
    return OneLineMessage.escaped(text)
  }
}
