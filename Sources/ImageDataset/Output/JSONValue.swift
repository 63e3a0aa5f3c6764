/// A JSON value printed on one line with keys in the order given (docs/design.md §5 lists
/// the keys of `normtool stats --json` and `inspect --json` in order), NaN and infinities as
/// Python's `json.dumps` writes them (`NaN`, `Infinity`), which `json.loads` reads back.
///
/// The Python equivalent is `json.dumps(value)` of a dict (insertion-ordered).
package indirect enum JSONValue {
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  /// `null` (Python's `None`).
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// The value as JSON text on one line.
  package var rendered: String {
    switch self {
    case .string(let s): return JSONValue.quote(s)
    case .int(let i): return String(i)
    case .double(let d):
      // Python's json reads NaN and Infinity; repr-style shortest round-trip digits.
      if d.isNaN { return "NaN" }
      if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
      return "\(d)"
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array(let items): return "[" + items.map(\.rendered).joined(separator: ", ") + "]"
    case .object(let fields):
      return "{" + fields.map { JSONValue.quote($0.0) + ": " + $0.1.rendered }.joined(separator: ", ") + "}"
    }
  }

  /// `s` as a JSON string literal.
  package static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
