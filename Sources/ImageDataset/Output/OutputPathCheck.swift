import Foundation
import _FileSystem

/// The checks every output path of one run passes before any image is decoded, so a run
/// that cannot write its outputs fails at once and touches nothing.
///
/// Paths are compared after resolving symbolic links: an output is the real path of its
/// folder plus its own name (renaming onto a link replaces the link, not its target), an
/// input is its real path. There is no NumPy equivalent (`np.save` opens and truncates).
struct OutputPathCheck {
  /// One path the run will write.
  struct Output {
    /// The path as given.
    var url: URL
    /// A directory of files (`convert`'s directory output) rather than one file.
    var isDirectory: Bool
    /// How the user named it, for messages: "-o", "--save-stats".
    var option: String
    /// For a directory of split datasets (`--split`): the names it may already hold and
    /// still be replaced; nil for a dataset directory (``DatasetWriter``'s members).
    var splitMembers: Set<String>? = nil
  }

  /// Everything the run writes.
  var outputs: [Output]
  /// The image folder read.
  var inputFolder: URL
  /// The `--stats` file read, if any.
  var statisticsFile: URL?

  /// Checks each output's folder (exists, is a folder, writable), that no file output is an
  /// existing folder, and that no two paths collide: two outputs resolving to the same file,
  /// an output that is an input, a file output inside a directory output, or a directory
  /// output inside (or around) the input folder.
  ///
  /// - Throws: ``ConversionError/output(path:reason:)`` naming the path and the reason.
  func run() throws(ConversionError) {
    var resolved: [String] = []
    for output in outputs {
      resolved.append(try Self.checkWritable(output))
    }
    let folder = Self.realPath(inputFolder.path) ?? inputFolder.standardizedFileURL.path
    let statistics = statisticsFile.map { Self.realPath($0.path) ?? $0.standardizedFileURL.path }
    for (i, output) in outputs.enumerated() {
      let path = resolved[i]
      for j in 0..<i where resolved[j] == path {
        throw .output(
          path: output.url.path,
          reason: "\(output.option) and \(outputs[j].option) name the same file (\(path))")
      }
      for (j, other) in outputs.enumerated()
      where j != i && other.isDirectory
        && Self.isInside(path, resolved[j])
      {
        throw .output(
          path: output.url.path,
          reason: "it is inside the \(other.option) directory \(other.url.path), which the run replaces")
      }
      if path == folder {
        throw .output(path: output.url.path, reason: "it is the input folder \(inputFolder.path)")
      }
      if output.isDirectory && (Self.isInside(path, folder) || Self.isInside(folder, path)) {
        throw .output(
          path: output.url.path,
          reason: Self.isInside(path, folder)
            ? "it is inside the input folder \(inputFolder.path) (it would become a class)"
            : "it holds the input folder \(inputFolder.path)")
      }
      if let statistics, path == statistics {
        throw .output(path: output.url.path, reason: "it is the --stats file this run reads")
      }
    }
    for output in outputs where output.isDirectory {
      try DatasetWriter.checkReplaceable(directory: output.url, members: output.splitMembers)
    }
  }

  /// The resolved path of `output` after checking its folder and any existing entry.
  static func checkWritable(_ output: Output) throws(ConversionError) -> String {
    let url = output.url.standardizedFileURL
    let name = url.lastPathComponent
    let parent = url.deletingLastPathComponent().path
    if name.isEmpty || name == "/" || name == "." || name == ".." {
      throw .output(path: output.url.path, reason: "expected a file or folder name")
    }
    let realParent: String
    do throws(FileError) { realParent = try PlatformFileCalls.realPath(parent) } catch {
      let missing = if case .failed(_, _, .noSuchFileOrDirectory) = error { true } else { false }
      throw .output(path: output.url.path, reason: error.reason + (missing ? " (folder \(parent) does not exist)" : ""))
    }
    do throws(FileError) {
      guard try FileKind.of(realParent) == .directory else {
        throw .failed(path: realParent, operation: "stat", errno: .notDirectory)
      }
      try PlatformFileCalls.checkCanWriteInto(realParent)
    } catch {
      throw .output(path: output.url.path, reason: error.reason)
    }
    let path = realParent == "/" ? "/" + name : realParent + "/" + name
    if (try? FileKind.of(path)) == .directory && !output.isDirectory {
      throw .output(
        path: output.url.path, reason: FileError.failed(path: path, operation: "open", errno: .isDirectory).reason)
    }
    return path
  }

  /// `realpath(3)`; nil when a component is missing or unreadable.
  static func realPath(_ path: String) -> String? {
    try? PlatformFileCalls.realPath(path)
  }

  /// Whether `path` lies strictly inside the folder `folder` (both resolved).
  static func isInside(_ path: String, _ folder: String) -> Bool {
    path.hasPrefix(folder == "/" ? "/" : folder + "/") && path != folder
  }
}
