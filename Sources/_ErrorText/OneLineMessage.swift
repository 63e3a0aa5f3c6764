// _ErrorText: the one-line rule for error messages, shared by NPYIO, Imaging, ImageDataset
// and normtool. This module provides no stable Swift API.

/// Error messages are one line, whatever the file contains or is called: header text,
/// member names and file names can hold line breaks and terminal escapes.
///
/// Used by every error type of the package and by `normtool`'s own messages. There is no NumPy
/// equivalent; the escapes are those of Python's `repr`.
public enum OneLineMessage {
  /// `text` with control characters, line and paragraph separators written as Python's
  /// `repr` writes them (`\n`, `\r`, `\t`, `\x1b`, `\u2028`); everything else unchanged.
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar) else { out.append(scalar); continue }
      let code: String
      switch scalar {
      case "\n": code = "\\n"
      case "\r": code = "\\r"
      case "\t": code = "\\t"
      default:
        let hex = String(scalar.value, radix: 16)
        code =
          scalar.value < 0x100
          ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
          : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
      out.append(contentsOf: code.unicodeScalars)
    }
    return String(out)
  }

  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
      || scalar.value == 0x85
  }
}
