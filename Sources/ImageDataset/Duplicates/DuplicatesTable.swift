import Foundation

/// `duplicates.csv`: one row per duplicate, in file order, with the header `file,
/// duplicate_of,kind,split,duplicate_of_split,dropped`; only the header when there are none.
///
/// The Python equivalent is `csv.writer(f).writerows(...)` (RFC 4180 quoting, `\r\n` rows).
enum DuplicatesTable {
  /// The CSV bytes.
  static func encoded(_ duplicates: [Duplicate]) -> Data {
    var rows = [["file", "duplicate_of", "kind", "split", "duplicate_of_split", "dropped"]]
    for d in duplicates {
      rows.append([d.file, d.original, d.kind.rawValue, d.split ?? "", d.originalSplit ?? "", d.dropped ? "1" : "0"])
    }
    return Data(rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined().utf8)
  }

  /// A field, quoted when it holds a comma, a quote or a line break (Python's QUOTE_MINIMAL).
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
