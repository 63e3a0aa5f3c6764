import Foundation
import NDArray

/// How NumPy prints the numbers of an `assert_allclose` failure, so `normtool compare`
/// shows the same text.
///
/// The NumPy equivalents are `str(float(value))` (Python's `repr` of a float, used for
/// the listed mismatches), `numpy.array2string` of a 0-d array (used for the maximum
/// differences: `precision=8`, `floatmode='maxprec'`, so `1.`, `0.11111111`, `9.e+08`) and
/// Python's `f"{percent:.3g}"`.
public enum NumPyScalarText {
  /// A float value as Python's `repr(float(value))` writes it: `2.0`, `2.0999999046325684`
  /// (a `float32` 2.1 widened), `1e-10`, `nan`, `inf`.
  public static func pythonRepr(_ value: Double) -> String { value.description }

  /// `value` as `numpy.array2string(numpy.array(value, dtype))` writes it for the float
  /// dtype `dtype` (`float16`, `float32` or `float64`): the shortest digits that identify
  /// the value in that dtype, at most 8 after the point, a trailing `.` for whole numbers,
  /// scientific notation from 1e8 up and below 1e-4.
  public static func array2string(_ value: Double, dtype: DType) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    let shortest: String
    switch dtype {
    case .float16: shortest = Float16(value).description
    case .float32: shortest = Float(value).description
    default: shortest = value.description
    }
    var (negative, digits, exponent) = decimalDigits(shortest)
    let magnitude = abs(value)
    let sign = negative ? "-" : ""
    if magnitude != 0 && (magnitude >= 1e8 || magnitude < 1e-4) {
      // d.dddd e±XX with at most 8 digits after the point.
      (digits, exponent) = rounded(digits, exponent: exponent, keepingDigits: 9)
      let fraction = String(digits.dropFirst())
      let power = exponent - 1
      let powerText = String(abs(power))
      return sign + String(digits.first ?? "0") + "." + fraction + "e" + (power < 0 ? "-" : "+")
        + String(repeating: "0", count: max(0, 2 - powerText.count)) + powerText
    }
    if magnitude == 0 { return sign + "0." }
    // Positional: digits before the point are `exponent` many; keep 8 after it.
    (digits, exponent) = rounded(digits, exponent: exponent, keepingDigits: exponent + 8)
    if digits.isEmpty { return sign + "0." }
    var integerPart: String, fractionPart: String
    if exponent <= 0 {
      integerPart = "0"
      fractionPart = String(repeating: "0", count: -exponent) + digits
    } else if digits.count <= exponent {
      integerPart = digits + String(repeating: "0", count: exponent - digits.count)
      fractionPart = ""
    } else {
      integerPart = String(digits.prefix(exponent))
      fractionPart = String(digits.dropFirst(exponent))
    }
    while fractionPart.hasSuffix("0") { fractionPart.removeLast() }
    return sign + integerPart + "." + fractionPart
  }

  /// Python's `f"{value:.3g}"` (three significant digits, trailing zeros removed).
  public static func threeSignificant(_ value: Double) -> String { String(format: "%.3g", value) }

  /// Splits Swift's shortest description (`1.25`, `1e-05`, `-2.5e+16`) into the sign, the
  /// significant digits without leading or trailing zeros, and the decimal exponent `e` such
  /// that the value is `0.DIGITS × 10^e`.
  static func decimalDigits(_ text: String) -> (negative: Bool, digits: String, exponent: Int) {
    var body = Substring(text)
    let negative = body.hasPrefix("-")
    if negative { body = body.dropFirst() }
    var power = 0
    if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      power = Int(body[body.index(after: e)...]) ?? 0
      body = body[..<e]
    }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    let integer = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
    var digits = integer + fraction
    var exponent = integer.count + power
    while digits.hasPrefix("0") {
      digits.removeFirst()
      exponent -= 1
    }
    while digits.hasSuffix("0") { digits.removeLast() }
    if digits.isEmpty { exponent = 0 }
    return (negative, digits, exponent)
  }

  /// Rounds `0.DIGITS × 10^exponent` to its first `keepingDigits` digits, half to even on the
  /// decimal digits; the result has no trailing zeros.
  static func rounded(_ digits: String, exponent: Int, keepingDigits keep: Int) -> (String, Int) {
    guard digits.count > keep else { return (digits, exponent) }
    if keep < 0 { return ("", exponent) }
    var kept = Array(digits.prefix(keep)).map { Int($0.asciiValue! - 48) }
    let rest = Array(digits.dropFirst(keep)).map { Int($0.asciiValue! - 48) }
    let tieOrMore = rest[0] > 5 || (rest[0] == 5 && (rest.dropFirst().contains { $0 > 0 } || (kept.last ?? 0) % 2 == 1))
    var newExponent = exponent
    if tieOrMore {
      var i = kept.count - 1
      while i >= 0 {
        kept[i] += 1
        if kept[i] < 10 { break }
        kept[i] = 0
        i -= 1
      }
      if i < 0 {
        kept.insert(1, at: 0)
        newExponent += 1
      }
    }
    var text = kept.map { String($0) }.joined()
    while text.hasSuffix("0") { text.removeLast() }
    return (text, text.isEmpty ? 0 : newExponent)
  }
}
