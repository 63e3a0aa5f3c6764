import Foundation
import _FileSystem

/// One image found by ``ImageFolder/scan(_:)``: where it is and which class it belongs to.
public struct ImageFile: Sendable, Hashable {
  /// The path relative to the scanned folder, with `/` separators (the `files` member
  /// of the output).
  public var relativePath: String
  /// The index into ``ImageFolder/classes``, or nil when the folder is unlabeled.
  public var label: Int?
}

/// A folder of images laid out like a classification dataset.
///
/// The torchvision equivalent is `torchvision.datasets.ImageFolder`; the Keras one is
/// `image_dataset_from_directory`. The rules (docs/design.md §5):
/// - every non-hidden subfolder of the root is a class; classes are sorted by name
///   (Unicode code points, as Python's `sorted`) and a class's label is its index;
/// - files are found recursively inside each class folder and sorted by relative path;
/// - torchvision's image extensions (`.jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp`) plus
///   `.gif` and `.pbm`, in any letter case, are images; hidden files and folders
///   (names starting with `.`) and other extensions are skipped and counted;
/// - a root with no subfolders gives unlabeled images (its own files);
/// - symbolic links are followed, but a folder already visited is not entered again, so
///   link loops cannot hang the scan.
public struct ImageFolder: Sendable {
  /// The folder that was scanned.
  public var root: URL
  /// The class names, sorted; empty when the folder is unlabeled.
  public var classes: [String]
  /// The images, in output order (class by class, then by relative path).
  public var files: [ImageFile]
  /// Files and folders that were passed over: hidden names, other extensions, files at the
  /// top level of a labeled folder, and links to folders already visited.
  public var ignored: [String]

  /// Whether the images carry labels (the root had class subfolders).
  public var isLabeled: Bool { !classes.isEmpty }

  /// The file extensions taken as images, lower case: torchvision's `IMG_EXTENSIONS` plus
  /// `gif` (Keras reads it) and `pbm` (the third Netpbm kind). The decoder still identifies
  /// each file from its bytes.
  public static let imageExtensions: Set<String> = [
    "jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp", "gif", "pbm",
  ]

  /// Scans `root` by the rules above.
  ///
  /// - Throws: ``ScanError`` when `root` is missing, is not a folder or cannot be read,
  ///   or when it holds no images at all.
  public static func scan(_ root: URL) throws(ScanError) -> ImageFolder {
    var walker = Walker(rootPath: root.standardizedFileURL.path)
    guard let rootInfo = walker.status(of: walker.rootPath) else {
      throw .notFound(path: root.path)
    }
    guard rootInfo.kind == .directory else { throw .notADirectory(path: root.path) }
    walker.visited.insert(rootInfo.identity)

    let entries = try walker.list("")
    var classNames: [String] = []
    var topLevelFiles: [String] = []
    for name in entries {
      if name.hasPrefix(".") { walker.ignored.append(name); continue }
      guard let info = walker.status(of: walker.absolute(name)) else {
        walker.ignored.append(name); continue
      }
      if info.kind == .directory { classNames.append(name) } else { topLevelFiles.append(name) }
    }
    classNames.sort(by: codePointOrder)

    var files: [ImageFile] = []
    if classNames.isEmpty {
      for name in topLevelFiles.sorted(by: codePointOrder) {
        if isImageName(name) {
          files.append(ImageFile(relativePath: name, label: nil))
        } else {
          walker.ignored.append(name)
        }
      }
    } else {
      walker.ignored.append(contentsOf: topLevelFiles)
      for (label, className) in classNames.enumerated() {
        var found: [String] = []
        try walker.collect(className, into: &found)
        found.sort(by: codePointOrder)
        files.append(contentsOf: found.map { ImageFile(relativePath: $0, label: label) })
      }
    }
    if files.isEmpty {
      throw .noImages(path: root.path, ignored: walker.ignored.count)
    }
    return ImageFolder(
      root: root, classes: classNames, files: files,
      ignored: walker.ignored)
  }

  /// The absolute URL of `file` (a file: telling Foundation so spares it a `stat` per call).
  public func url(of file: ImageFile) -> URL {
    root.appendingPathComponent(file.relativePath, isDirectory: false)
  }

  static func isImageName(_ name: String) -> Bool {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
    return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
  }
}

/// Python's string order: lexicographic by Unicode scalar value, which for UTF-8 is the
/// order of the bytes (UTF-8 was designed so), compared a byte at a time without decoding.
func codePointOrder(_ a: String, _ b: String) -> Bool {
  a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// The recursive part of the scan: lists folders, follows links, remembers visited folders.
private struct Walker {
  let rootPath: String
  var visited: Set<FileStatus.Identity> = []
  var ignored: [String] = []

  init(rootPath: String) { self.rootPath = rootPath }

  func absolute(_ relative: String) -> String {
    relative.isEmpty ? rootPath : rootPath + "/" + relative
  }

  /// `stat` (following links); nil when the entry cannot be examined (a dangling link).
  func status(of path: String) -> FileStatus? {
    try? FileStatus.of(path)
  }

  /// The names in a folder, by `readdir`: a name that is not valid UTF-8 (Linux allows any
  /// bytes) cannot be kept in the `files` strings, and FileManager dropped such files
  /// silently, so it is an error naming the bytes.
  func list(_ relative: String) throws(ScanError) -> [String] {
    try listEntries(relative).map(\.name)
  }

  /// ``list(_:)`` with whether `readdir` already says the entry is a regular file (not a
  /// link, folder or unknown kind), which then needs no `stat`: one system call fewer per
  /// image in a folder of thousands.
  func listEntries(_ relative: String) throws(ScanError) -> [(name: String, isRegularFile: Bool)] {
    let path = absolute(relative)
    guard let folder = opendir(path) else {
      throw .unreadable(path: path, reason: FileError.text(errno: errno))
    }
    defer { closedir(folder) }
    var names: [(name: String, isRegularFile: Bool)] = []
    while let entry = readdir(folder) {
      let bytes = withUnsafeBytes(of: &entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      guard let name = String(validating: bytes, as: UTF8.self) else {
        let shown = bytes.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }
          .joined()
        throw .unreadable(path: path, reason: "the file name '\(shown)' is not valid UTF-8; rename it")
      }
      if name != "." && name != ".." { names.append((name, entry.pointee.d_type == UInt8(DT_REG))) }
    }
    return names
  }

  mutating func collect(_ relative: String, into found: inout [String]) throws(ScanError) {
    guard let info = status(of: absolute(relative)), info.kind == .directory else { return }
    guard visited.insert(info.identity).inserted else {
      ignored.append(relative)  // a link back to a folder already scanned
      return
    }
    for (name, isRegularFile) in try listEntries(relative) {
      let path = relative + "/" + name
      if name.hasPrefix(".") { ignored.append(path); continue }
      if isRegularFile {
        if ImageFolder.isImageName(name) { found.append(path) } else { ignored.append(path) }
        continue
      }
      guard let entry = status(of: absolute(path)) else { ignored.append(path); continue }
      if entry.kind == .directory {
        try collect(path, into: &found)
      } else if ImageFolder.isImageName(name) {
        found.append(path)
      } else {
        ignored.append(path)
      }
    }
  }
}
