import Foundation
import NDArray
import _FileSystem

/// `--split-like keras`: the files Keras's
/// `image_dataset_from_directory(dir, validation_split=F, subset=..., seed=S)` picks for
/// `"training"` and `"validation"` (keras 3, `keras/src/utils/dataset_utils.py`):
/// 1. classes: the non-hidden subfolders of `dir`, sorted (or `class_names` in the order
///    given, which must all be subfolders; other subfolders are then left out);
/// 2. per class, `os.walk` (links to folders not followed): folders sorted by path, in each
///    the file names sorted, kept when `name.lower()` ends with `.bmp .gif .jpeg .jpg .png`
///    (hidden files included, as Keras includes them);
/// 3. the concatenated list shuffled by `np.random.RandomState(S).shuffle`;
/// 4. `n_val = int(F * n)`: validation is the last `n_val` files, training the rest.
///
/// The plan keeps its entries in Keras's unshuffled order (step 2), each marked `train` or
/// `val`; Keras's own order within a subset is shuffled again every epoch.
enum KerasSplit {
  /// Keras's `ALLOWLIST_FORMATS`.
  static let formats = [".bmp", ".gif", ".jpeg", ".jpg", ".png"]

  /// Keras's file list of `folder` (steps 1–2), labeled, and what was left out.
  static func files(in folder: URL, classes given: [String]?) throws(ConversionError) -> (
    classes: [String], entries: [PlanEntry], ignored: [String]
  ) {
    let root = folder.path
    guard (try? FileKind.of(root, followingSymbolicLinks: true)) == .directory else {
      throw .scan(.notFound(path: root))
    }
    let names = try listing(root)
    let subfolders = names.filter {
      !$0.hasPrefix(".") && (try? FileKind.of(root + "/" + $0, followingSymbolicLinks: true)) == .directory
    }.sorted(by: codePointOrder)
    var classes = subfolders
    if let given {
      let missing = given.filter { !subfolders.contains($0) }
      if !missing.isEmpty {
        throw .invalidOptions(
          "--classes: \(missing.map { "'\($0)'" }.joined(separator: ", ")) \(missing.count == 1 ? "is not a subfolder" : "are not subfolders") of \(root) (Keras's class_names must name subfolders)"
        )
      }
      classes = given
    }
    if classes.isEmpty {
      throw .invalidOptions("--split-like keras: \(root) has no class subfolders")
    }
    var entries: [PlanEntry] = []
    var ignored: [String] = []
    for (label, name) in classes.enumerated() {
      var folders: [(relative: String, files: [String])] = []
      try walk(root: root, relative: name, into: &folders)
      // Python: sorted(walk, key=root); the roots share the class folder's prefix.
      folders.sort { codePointOrder($0.relative, $1.relative) }
      for folder in folders {
        for file in folder.files.sorted(by: codePointOrder) {
          let path = folder.relative + "/" + file
          if formats.contains(where: { file.lowercased().hasSuffix($0) }) {
            entries.append(PlanEntry(path: path, labels: [label]))
          } else {
            ignored.append(path)
          }
        }
      }
    }
    if entries.isEmpty {
      throw .scan(.noImages(path: root, ignored: ignored.count))
    }
    return (classes, entries, ignored)
  }

  /// `os.walk(top, followlinks=False)`: every folder under `relative` with its non-folder
  /// entries; a link to a folder counts as a folder and is not entered.
  static func walk(root: String, relative: String, into folders: inout [(relative: String, files: [String])])
    throws(ConversionError)
  {
    var files: [String] = []
    var subfolders: [String] = []
    for name in try listing(root + "/" + relative) {
      let path = root + "/" + relative + "/" + name
      if (try? FileKind.of(path, followingSymbolicLinks: true)) == .directory {
        if (try? FileKind.of(path, followingSymbolicLinks: false)) == .directory { subfolders.append(name) }
      } else {
        files.append(name)
      }
    }
    folders.append((relative, files))
    for name in subfolders { try walk(root: root, relative: relative + "/" + name, into: &folders) }
  }

  static func listing(_ path: String) throws(ConversionError) -> [String] {
    do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch {
      throw .scan(.unreadable(path: path, reason: FileSystemReason.text(of: error)))
    }
  }

  /// Steps 3–4: marks each entry `train` or `val`.
  ///
  /// - Throws: when `int(F * n)` is 0 (Keras would then give every file to validation and
  ///   none to training, through `samples[:-0]`).
  static func assign(_ entries: inout [PlanEntry], validationSplit: Double, seed: UInt64, source: String)
    throws(ConversionError)
  {
    let count = entries.count
    let validation = Int(validationSplit * Double(count))
    if validation == 0 {
      throw .invalidOptions(
        "--validation-split \(validationSplit) of \(count) images is 0 images (int(F * n)); Keras would then train on none. Use a larger fraction"
      )
    }
    var order = Array(0..<count)
    var random = NumPyRandomState(seed: UInt32(seed))
    random.shuffle(&order)
    for (position, index) in order.enumerated() {
      entries[index].split = position >= count - validation ? "val" : "train"
    }
  }
}
