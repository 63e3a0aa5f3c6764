import Foundation
import NDArray
import NPYIO
import _FileSystem

/// What one side of `normtool compare` names: a `.npy` file (one array), a `.npz` archive
/// or a dataset folder (`normtool convert`'s directory output: one `.npy` file per member).
///
/// The NumPy equivalent is `np.load(path)` for a file and `{f[:-4]: np.load(path/f) for f
/// in os.listdir(path) if f.endswith('.npy')}` for a folder.
public enum ArrayContainer {
  /// A single `.npy` file.
  case npy(URL)
  /// A `.npz` archive.
  case npz(NPZReader)
  /// A folder of `.npy` files; `members` are their names without `.npy`, sorted.
  case folder(URL, members: [String])

  /// Opens `url`, telling its kind from its first bytes (NPYIO's `ArrayFileKind`).
  ///
  /// - Throws: NPYIO's `ArrayFileError`, `NPZError` or `NPYError` naming the path, or
  ///   ``ArrayContainerError/emptyFolder(path:)`` for a folder without `.npy` files.
  public init(_ url: URL) throws {
    switch try ArrayFileKind.of(url) {
    case .npy: self = .npy(url)
    case .npz: self = .npz(try NPZReader(url: url))
    case .folder:
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: url.path)
      } catch {
        throw ArrayContainerError.unreadableFolder(path: url.path)
      }
      let members = names.filter { $0.hasSuffix(".npy") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
      guard !members.isEmpty else { throw ArrayContainerError.emptyFolder(path: url.path) }
      self = .folder(url, members: members)
    }
  }

  /// The path as given.
  public var path: String {
    switch self {
    case .npy(let url), .folder(let url, _): return url.path
    case .npz(let reader): return reader.url.path
    }
  }

  /// The member names; empty for a single `.npy` file.
  public var memberNames: [String] {
    switch self {
    case .npy: return []
    case .npz(let reader): return reader.memberNames
    case .folder(_, let members): return members
    }
  }

  /// The member a command means when it needs one array: `name` when given; otherwise the
  /// only member, or `x` of a dataset (NPYIO's `NPZReader.dataMember(named:)` rule).
  ///
  /// - Throws: `NPZError.memberNotFound` / `.ambiguousMember` naming the members.
  public func dataMember(named name: String?) throws -> String? {
    switch self {
    case .npy: return nil
    case .npz(let reader): return try reader.dataMember(named: name).name
    case .folder(let url, let members):
      if let name {
        let bare = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
        guard members.contains(bare) else {
          throw NPZError.memberNotFound(file: url.path, member: name, available: members)
        }
        return bare
      }
      if members.count == 1 { return members[0] }
      if NPZReader.datasetMemberNames.isSubset(of: members) { return "x" }
      throw NPZError.ambiguousMember(file: url.path, available: members)
    }
  }

  /// One array of the container: `member` (nil for a `.npy` file).
  public func array(_ member: String?) throws -> ContainedArray {
    switch self {
    case .npy(let url):
      return try Self.file(url)
    case .folder(let url, _):
      return try Self.file(url.appendingPathComponent((member ?? "") + ".npy"))
    case .npz(let reader):
      let name = member ?? reader.memberNames.first ?? ""
      let header = try reader.header(of: name)
      let path = reader.url.path + ":" + (try reader.member(named: name).fileName)
      guard let dtype = header.dataType.numericDType else {
        return .strings(path: path, shape: header.shape, read: { try reader.readStrings(name) })
      }
      return .numbers(
        ComparedArray(
          path: path, shape: header.shape, dtype: dtype, fortranOrder: header.fortranOrder,
          open: { try NPYChunkReader(member: name, of: reader) },
          openInCOrder: { InMemoryChunkSource(try reader.read(name)) }))
    }
  }

  private static func file(_ url: URL) throws -> ContainedArray {
    let header = try NPY.readHeader(at: url)
    guard let dtype = header.dataType.numericDType else {
      return .strings(path: url.path, shape: header.shape, read: { try NPY.readStrings(at: url) })
    }
    return .numbers(
      ComparedArray(
        path: url.path, shape: header.shape, dtype: dtype, fortranOrder: header.fortranOrder,
        open: { try NPYChunkReader(npyAt: url) },
        openInCOrder: { InMemoryChunkSource(try NPY.read(at: url)) }))
  }
}

/// One array of an ``ArrayContainer``: numbers, streamed; or strings (`<U`, `|S`), read whole.
public enum ContainedArray {
  /// A numeric array.
  case numbers(ComparedArray)
  /// A string array (`classes`, `files` of a dataset): its path, shape and a reader of its
  /// elements in C order.
  case strings(path: String, shape: [Int], read: () throws -> [String])
}

/// Why a path cannot be compared as a container of arrays.
public enum ArrayContainerError: Error, Equatable, CustomStringConvertible {
  /// A folder without `.npy` files.
  case emptyFolder(path: String)
  /// A folder that cannot be listed.
  case unreadableFolder(path: String)

  /// One line naming the path and the reason.
  public var description: String {
    switch self {
    case .emptyFolder(let path):
      return "\(path): a folder with no .npy files; expected an .npy, an .npz or a dataset folder"
    case .unreadableFolder(let path): return "\(path): cannot list the folder"
    }
  }
}
