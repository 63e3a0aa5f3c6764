import Foundation
import _FileSystem

/// Turns the rows of a ``LabelFile`` into plan entries: each path checked (relative, inside
/// the root, an existing file, listed once) and each label resolved to a class index.
///
/// Class order: `--classes` (or a stats file's classes) when given: a label naming a class
/// is that class, an integer `i` is `classes[i]`, anything else is an error. Otherwise,
/// when every label is a non-negative integer, label `i` is class `i` and the classes are
/// `"0"` … `"max"`; else the distinct names sorted by code point (Python's `sorted`).
/// The pandas equivalent is `pd.Categorical(df.label, categories=classes).codes`.
enum LabelResolver {
  struct Resolved {
    var classes: [String]
    var entries: [PlanEntry]
  }

  static func resolve(_ file: LabelFile, root: URL, classOrder: ClassOrder?, labelMode: LabelMode?)
    throws(ConversionError) -> Resolved
  {
    func failure(_ row: LabelFile.Row, _ reason: String) -> ConversionError {
      .labelFile(path: file.path, line: row.line, reason: reason)
    }
    // Paths.
    var firstLine: [String: Int] = [:]
    var paths: [String] = []
    let rootPath = root.path
    for row in file.rows {
      let path: String
      switch normalize(row.path) {
      case .success(let normalized): path = normalized
      case .failure(let reason): throw failure(row, reason.replacingOccurrences(of: "ROOT", with: rootPath))
      }
      if let line = firstLine[path] { throw failure(row, "duplicate path '\(path)' (first on line \(line))") }
      firstLine[path] = row.line
      let kind = try? FileKind.of(rootPath + "/" + path, followingSymbolicLinks: true)
      if kind == nil { throw failure(row, "'\(path)' does not exist under \(rootPath)") }
      if kind != .regular {
        throw failure(row, "'\(path)' under \(rootPath) is \(kind!.description), not an image file")
      }
      if let split = row.split, !SplitRule.isSplitName(split) {
        throw failure(row, "split '\(split)': expected letters, digits, '_' or '-'")
      }
      paths.append(path)
    }
    // Labels.
    let names = file.rows.flatMap(\.labels)
    if let empty = file.rows.first(where: { $0.labels.contains("") }) {
      throw failure(empty, "an empty label name")
    }
    let classes: [String]
    var index: [String: Int] = [:]
    if let classOrder {
      classes = classOrder.names
      for (i, name) in classes.enumerated() where index[name] == nil { index[name] = i }
      for row in file.rows {
        for label in row.labels where index[label] == nil {
          if let number = integer(label), number < classes.count { index[label] = number; continue }
          throw failure(row, "unknown label '\(label)' (not in \(classOrder.source))")
        }
      }
    } else if !names.isEmpty && names.allSatisfy({ integer($0) != nil }) {
      let largest = names.compactMap(integer).max()!
      if largest >= 1 << 20 {
        let row = file.rows.first { $0.labels.contains { integer($0) == largest } }!
        throw failure(row, "label \(largest) is too large for a class index (integer labels are indices)")
      }
      classes = (0...largest).map(String.init)
      for name in Set(names) { index[name] = integer(name)! }
    } else {
      classes = Set(names).sorted(by: codePointOrder)
      for (i, name) in classes.enumerated() { index[name] = i }
    }
    var entries: [PlanEntry] = []
    let single = labelMode.map { $0 != .multiHot } ?? !file.hasMultipleLabels
    for (row, path) in zip(file.rows, paths) {
      if file.hasLabels && single && row.labels.count != 1 {
        throw failure(
          row,
          row.labels.isEmpty
            ? "no label"
            : "\(row.labels.count) labels '\(row.labels.joined(separator: "|"))'; expected one (use --label-mode multi-hot)"
        )
      }
      var labels: [Int] = []
      for label in row.labels.map({ index[$0]! }) where !labels.contains(label) { labels.append(label) }
      entries.append(PlanEntry(path: path, labels: labels, split: row.split, group: row.group))
    }
    return Resolved(classes: classes, entries: entries)
  }

  /// A non-negative decimal integer without sign or leading zeros ("0", "17").
  static func integer(_ text: String) -> Int? {
    guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text == "0" || !text.hasPrefix("0"),
      text.count <= 18
    else { return nil }
    return Int(text)
  }

  /// The path with `.` and empty components removed and `..` applied, or the reason it is
  /// refused: empty, absolute, or escaping the root (`ROOT` stands for the root's path).
  static func normalize(_ raw: String) -> Result<String, PathRefusal> {
    if raw.trimmingCharacters(in: .whitespaces).isEmpty { return .failure(PathRefusal("an empty path")) }
    if raw.hasPrefix("/") { return .failure(PathRefusal("'\(raw)' is absolute; expected a path relative to ROOT")) }
    var components: [Substring] = []
    for component in raw.split(separator: "/", omittingEmptySubsequences: true) {
      if component == "." { continue }
      if component == ".." {
        if components.isEmpty { return .failure(PathRefusal("'\(raw)' escapes the root ROOT")) }
        components.removeLast()
        continue
      }
      components.append(component)
    }
    if components.isEmpty { return .failure(PathRefusal("'\(raw)' names the root ROOT itself, not a file")) }
    return .success(components.joined(separator: "/"))
  }

  /// Why a path was refused.
  struct PathRefusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    func replacingOccurrences(of target: String, with value: String) -> String {
      reason.replacingOccurrences(of: target, with: value)
    }
  }
}
