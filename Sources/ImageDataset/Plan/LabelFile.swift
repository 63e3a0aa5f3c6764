import Foundation

/// The rows of a label file (`--labels FILE`) or a plain list of files (`--files LIST`),
/// as written: paths and label names not yet resolved (``DatasetPlanner`` does that).
///
/// Formats, told by the extension (`.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`; anything
/// else is CSV, or TSV when the header has a tab and no comma):
/// - CSV or TSV with a header naming the columns: `path` (required), `label`, `split`,
///   and the group column (`--group-column NAME`, else `group`); other columns are ignored.
///   CSV fields may be quoted as RFC 4180 says (`"a, b"`, `""` for a quote), on one line.
/// - JSONL: one object per line, `{"path": ..., "label": "cat" | 3 | ["a", "b"], "split":
///   ..., "group": ...}`.
/// - A plain list: one path per line.
///
/// A `label` holding `a|b` (or a JSON array) gives several labels (multi-hot `y`); an empty
/// label gives none. Blank lines are skipped; a UTF-8 byte-order mark is allowed.
/// The pandas equivalent is `pd.read_csv(FILE)` (`sep="\t"`, `lines=True` for JSONL).
public struct LabelFile: Sendable {
  /// One row as written.
  public struct Row: Sendable, Equatable {
    /// The path as written (relative to the root).
    public var path: String
    /// The label texts (names or integers); empty for an unlabeled row.
    public var labels: [String]
    /// The `split` column's value, if any.
    public var split: String?
    /// The group column's value, if any.
    public var group: String?
    /// The 1-based line, for messages.
    public var line: Int
  }

  /// The file, as given.
  public var path: String
  /// The rows, in file order.
  public var rows: [Row]
  /// Whether the file has a label column (or JSON `label` keys).
  public var hasLabels: Bool
  /// Whether any label was written as several (`a|b`, a JSON array).
  public var hasMultipleLabels: Bool

  /// The file formats.
  public enum Format: Sendable { case csv, tsv, jsonl, list }

  /// Reads a label file (CSV, TSV or JSONL by the rules above).
  ///
  /// - Throws: ``ConversionError/labelFile(path:line:reason:)`` for a file that cannot be
  ///   read, bytes that are not UTF-8, a missing `path` column or group column, a row with the
  ///   wrong number of fields, an unterminated quote, or a JSONL line that is not an object.
  public static func read(_ url: URL, groupColumn: String? = nil) throws(ConversionError) -> LabelFile {
    let lines = try Self.lines(of: url)
    let format = Self.format(of: url, firstLine: lines.first(where: { !$0.text.isEmpty })?.text ?? "")
    switch format {
    case .jsonl: return try jsonl(lines, path: url.path, groupColumn: groupColumn)
    case .list: return list(lines, path: url.path)
    case .csv, .tsv:
      return try table(lines, path: url.path, separator: format == .tsv ? "\t" : ",", groupColumn: groupColumn)
    }
  }

  /// Reads a plain list of files, one path per line (unlabeled).
  public static func readList(_ url: URL) throws(ConversionError) -> LabelFile {
    list(try lines(of: url), path: url.path)
  }

  static func format(of url: URL, firstLine: String) -> Format {
    switch url.pathExtension.lowercased() {
    case "jsonl", "ndjson": return .jsonl
    case "tsv", "tab": return .tsv
    case "csv": return .csv
    default: return firstLine.contains("\t") && !firstLine.contains(",") ? .tsv : .csv
    }
  }

  /// The file's lines (without `\n` or `\r\n`), numbered from 1, checked to be UTF-8.
  static func lines(of url: URL) throws(ConversionError) -> [(number: Int, text: String)] {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw .labelFile(path: url.path, line: 0, reason: "cannot read: \(FileSystemReason.text(of: error))")
    }
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    var lines: [(Int, String)] = []
    for (index, slice) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      var line = Array(slice)
      if line.last == 0x0D { line.removeLast() }
      guard let text = String(validating: line, as: UTF8.self) else {
        throw .labelFile(
          path: url.path, line: index + 1, reason: "bytes that are not UTF-8 text; save the file as UTF-8")
      }
      if text.contains("\0") {
        throw .labelFile(path: url.path, line: index + 1, reason: "a NUL byte; expected text")
      }
      lines.append((index + 1, text))
    }
    if lines.last?.1.isEmpty == true { lines.removeLast() }
    return lines
  }

  static func list(_ lines: [(number: Int, text: String)], path: String) -> LabelFile {
    let rows = lines.filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }.map {
      Row(path: $0.text, labels: [], split: nil, group: nil, line: $0.number)
    }
    return LabelFile(path: path, rows: rows, hasLabels: false, hasMultipleLabels: false)
  }

  static func splitLabels(_ text: String) -> [String] {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty { return [] }
    return trimmed.split(separator: "|", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
  }

  static func table(
    _ lines: [(number: Int, text: String)], path: String, separator: Character, groupColumn: String?
  ) throws(ConversionError) -> LabelFile {
    let content = lines.filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
    guard let header = content.first else {
      throw .labelFile(path: path, line: 0, reason: "empty; expected a header line such as path,label")
    }
    let names = try fields(of: header.text, separator: separator, path: path, line: header.number).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    func column(_ name: String) -> Int? { names.firstIndex { $0.lowercased() == name.lowercased() } }
    guard let pathColumn = column("path") else {
      throw .labelFile(
        path: path, line: header.number,
        reason: "expected a header with a 'path' column, found \(names.map { "'\($0)'" }.joined(separator: ", "))")
    }
    let labelColumn = column("label"), splitColumn = column("split")
    let groupIndex: Int?
    if let groupColumn {
      guard let index = column(groupColumn) else {
        throw .labelFile(path: path, line: header.number, reason: "no column '\(groupColumn)' (--group-column)")
      }
      groupIndex = index
    } else {
      groupIndex = column("group")
    }
    var rows: [Row] = []
    var multiple = false
    for line in content.dropFirst() {
      let values = try fields(of: line.text, separator: separator, path: path, line: line.number)
      guard values.count == names.count else {
        throw .labelFile(
          path: path, line: line.number, reason: "expected \(names.count) fields like the header, found \(values.count)"
        )
      }
      let labels = labelColumn.map { splitLabels(values[$0]) } ?? []
      if labels.count > 1 { multiple = true }
      func optional(_ index: Int?) -> String? {
        guard let index else { return nil }
        let value = values[index].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
      }
      rows.append(
        Row(
          path: values[pathColumn], labels: labels, split: optional(splitColumn), group: optional(groupIndex),
          line: line.number))
    }
    return LabelFile(path: path, rows: rows, hasLabels: labelColumn != nil, hasMultipleLabels: multiple)
  }

  /// The fields of one CSV/TSV line: RFC 4180 quoting (a field starting with `"` runs to the
  /// next lone `"`; `""` is a quote), which must close on the same line.
  static func fields(of line: String, separator: Character, path: String, line number: Int) throws(ConversionError)
    -> [String]
  {
    var fields: [String] = []
    var current = ""
    var index = line.startIndex
    var quoted = false, wasQuoted = false
    while index < line.endIndex {
      let character = line[index]
      if quoted {
        if character == "\"" {
          let next = line.index(after: index)
          if next < line.endIndex && line[next] == "\"" {
            current.append("\"")
            index = next
          } else {
            quoted = false
            if next < line.endIndex && line[next] != separator {
              throw .labelFile(
                path: path, line: number, reason: "a closing quote followed by '\(line[next])'; expected '\(separator)'"
              )
            }
          }
        } else {
          current.append(character)
        }
      } else if character == separator {
        fields.append(current)
        current = ""
        wasQuoted = false
      } else if character == "\"" && current.isEmpty && !wasQuoted {
        quoted = true
        wasQuoted = true
      } else {
        current.append(character)
      }
      index = line.index(after: index)
    }
    if quoted {
      throw .labelFile(path: path, line: number, reason: "a quoted field that does not end on this line")
    }
    fields.append(current)
    return fields
  }

  static func jsonl(_ lines: [(number: Int, text: String)], path: String, groupColumn: String?) throws(ConversionError)
    -> LabelFile
  {
    var rows: [Row] = []
    var hasLabels = false, multiple = false
    let groupKey = groupColumn ?? "group"
    for line in lines where !line.text.trimmingCharacters(in: .whitespaces).isEmpty {
      let object: [String: JSONField]
      do { object = try JSONDecoder().decode([String: JSONField].self, from: Data(line.text.utf8)) } catch {
        throw .labelFile(path: path, line: line.number, reason: "expected a JSON object of names, integers and lists")
      }
      guard case .text(let file)? = object["path"] else {
        throw .labelFile(path: path, line: line.number, reason: "expected a \"path\" string")
      }
      var labels: [String] = []
      switch object["label"] {
      case nil, .null?: break
      case .text(let text)?: labels = splitLabels(text); hasLabels = true
      case .list(let items)?: labels = items; hasLabels = true; multiple = true
      case .other?:
        throw .labelFile(
          path: path, line: line.number, reason: "expected \"label\" to be a name, an integer or a list of them")
      }
      if labels.count > 1 { multiple = true }
      func text(_ key: String) throws(ConversionError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .text(let value)?: return value.isEmpty ? nil : value
        default:
          throw .labelFile(path: path, line: line.number, reason: "expected \"\(key)\" to be a name or an integer")
        }
      }
      if groupColumn != nil && object[groupKey] == nil {
        throw .labelFile(path: path, line: line.number, reason: "no \"\(groupKey)\" key (--group-column)")
      }
      rows.append(
        Row(path: file, labels: labels, split: try text("split"), group: try text(groupKey), line: line.number))
    }
    if rows.isEmpty { throw .labelFile(path: path, line: 0, reason: "empty; expected one JSON object per line") }
    return LabelFile(path: path, rows: rows, hasLabels: hasLabels, hasMultipleLabels: multiple)
  }

  /// One value of a JSONL object: a name or integer (as text), a list of them, null, or
  /// anything else.
  enum JSONField: Decodable {
    case text(String)
    case list([String])
    case null
    case other

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() { self = .null; return }
      if let value = try? container.decode(String.self) { self = .text(value); return }
      if (try? container.decode(Bool.self)) != nil { self = .other; return }
      if let value = try? container.decode(Int.self) { self = .text(String(value)); return }
      if let items = try? container.decode([JSONField].self) {
        var names: [String] = []
        for item in items {
          guard case .text(let name) = item else { self = .other; return }
          names.append(name)
        }
        self = .list(names)
        return
      }
      self = .other
    }
  }
}
