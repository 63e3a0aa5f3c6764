/// Text made safe inside HTML and SVG, as Python's `html.escape(text, quote=True)`.
public enum HTMLText {
  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references.
  public static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#x27;"
      default: out.append(character)
      }
    }
    return out
  }
}
