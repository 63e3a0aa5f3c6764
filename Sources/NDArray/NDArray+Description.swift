import ComplexModule
import Foundation

// NumPy-style printing: `description` is `str(a)`, `debugDescription` is `repr(a)`.
// The layout follows NumPy's `array2string` with its default options: line width 75,
// summarisation with `...` above 1000 elements (3 items at each edge), floats in
// positional notation with up to 8 fractional digits (shortest round-trip digits,
// aligned on the decimal point) or in scientific notation when the magnitudes call for it.

extension NDArray: CustomStringConvertible, CustomDebugStringConvertible {
  /// The array as NumPy's `str(a)` prints it, e.g. `[[1 2 3]\n [4 5 6]]`.
  public var description: String {
    _format(separator: " ", prefix: "", suffixLength: 0)
  }

  /// The array as NumPy's `repr(a)` prints it, e.g. `array([1, 2, 3], dtype=uint8)`;
  /// `shape=` is added for summarised and empty arrays, as NumPy 2 does.
  public var debugDescription: String {
    let prefix = "array("
    let body =
      rank == 0
      ? _formatter(for: [self[index: []]]).format(self[index: []])
      : _format(separator: ", ", prefix: prefix, suffixLength: 1)
    var extras: [String] = []
    if (count == 0 && shape != [0]) || count > 1000 {
      let dims = shape.map(String.init).joined(separator: ", ")
      extras.append("shape=(\(dims)\(rank == 1 ? "," : ""))")
    }
    let impliedDType: Set<DType> = [.float64, .int64, .bool, .complex128]
    if !impliedDType.contains(dtype) || count == 0 { extras.append("dtype=\(dtype)") }
    if extras.isEmpty { return prefix + body + ")" }
    let text = prefix + body + ","
    let extraText = extras.joined(separator: ", ") + ")"
    let lastLine =
      text.count - ((text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) + 1 }) ?? 0)
    let spacer = lastLine + extraText.count + 1 > 75 ? "\n" + String(repeating: " ", count: prefix.count) : " "
    return text + spacer + extraText
  }

  /// NumPy's `array2string`.
  func _format(separator: String, prefix: String, suffixLength: Int) -> String {
    let lineWidth = 75 - suffixLength
    let summarize = count > 1000
    let edge = 3
    // The elements that will be shown decide the format.
    let shown = summarize ? _edgeElements(edge: edge) : flatElements
    if rank == 0 { return _formatter(for: shown).format(self[index: []]) }
    if count == 0 { return "[]" }
    let formatter = _formatter(for: shown)
    let nextLinePrefix = " " + String(repeating: " ", count: prefix.count)
    var index: [Int] = []

    func extend(_ s: inout String, _ line: inout String, _ word: String, _ width: Int, _ indent: String) {
      var needsWrap = line.count + word.count > width
      if line.count <= indent.count { needsWrap = false }
      if needsWrap {
        while line.last == " " { line.removeLast() }
        s += line + "\n"
        line = indent
      }
      line += word
    }

    func recurse(_ hangingIndent: String, _ currentWidth: Int) -> String {
      let axis = index.count
      let axesLeft = rank - axis
      if axesLeft == 0 { return formatter.format(self[index: index]) }
      let nextIndent = hangingIndent + " "
      let nextWidth = currentWidth - 1
      let length = shape[axis]
      let showSummary = summarize && 2 * edge < length
      let leading = showSummary ? edge : 0
      let trailing = showSummary ? edge : length
      var s = ""
      if axesLeft == 1 {
        let trimmedSeparator = separator.trimmingCharacters(in: .whitespaces)
        let elementWidth = currentWidth - Swift.max(trimmedSeparator.count, 1)
        var line = hangingIndent
        for i in 0..<leading {
          index.append(i); let word = recurse(nextIndent, nextWidth); index.removeLast()
          extend(&s, &line, word, elementWidth, hangingIndent)
          line += separator
        }
        if showSummary {
          extend(&s, &line, "...", elementWidth, hangingIndent)
          line += separator
        }
        var i = trailing
        while i > 1 {
          index.append(length - i); let word = recurse(nextIndent, nextWidth); index.removeLast()
          extend(&s, &line, word, elementWidth, hangingIndent)
          line += separator
          i -= 1
        }
        index.append(length - 1); let word = recurse(nextIndent, nextWidth); index.removeLast()
        extend(&s, &line, word, elementWidth, hangingIndent)
        s += line
      } else {
        let lineSeparator =
          separator.trimmingCharacters(in: .whitespaces)
          + String(repeating: "\n", count: axesLeft - 1)
        for i in 0..<leading {
          index.append(i); let nested = recurse(nextIndent, nextWidth); index.removeLast()
          s += hangingIndent + nested + lineSeparator
        }
        if showSummary { s += hangingIndent + "..." + lineSeparator }
        var i = trailing
        while i > 1 {
          index.append(length - i); let nested = recurse(nextIndent, nextWidth); index.removeLast()
          s += hangingIndent + nested + lineSeparator
          i -= 1
        }
        index.append(length - 1); let nested = recurse(nextIndent, nextWidth); index.removeLast()
        s += hangingIndent + nested
      }
      return "[" + String(s.dropFirst(hangingIndent.count)) + "]"
    }
    return recurse(nextLinePrefix, lineWidth)
  }

  /// The elements NumPy shows when it summarises: `edge` items at both ends of every axis.
  func _edgeElements(edge: Int) -> [Element] {
    var view = self
    for axis in 0..<rank where shape[axis] > 2 * edge {
      let head = view._sliced(axis: axis, 0, edge),
        tail = view._sliced(axis: axis, view.shape[axis] - edge, view.shape[axis])
      view = NDArray.concatenate([head, tail], axis: axis)
    }
    return view.flatElements
  }

  func _sliced(axis: Int, _ start: Int, _ stop: Int) -> NDArray {
    var indices = [NDIndex](repeating: .all, count: rank)
    indices[axis] = .range(start, stop)
    return self[indices: indices]
  }

  func _formatter(for values: [Element]) -> _ElementFormatter<Element> {
    _ElementFormatter(values, zeroDimensional: rank == 0)
  }
}

/// Formats elements of one array the way NumPy's `FloatingFormat`/`IntegerFormat`/
/// `BoolFormat` do: one common width so columns line up.
struct _ElementFormatter<Element: NDArrayElement> {
  let format: (Element) -> String

  init(_ values: [Element], zeroDimensional: Bool = false) {
    switch Element.dtype {
    case .bool:
      // NumPy pads "True" to the width of "False", except in 0-d arrays.
      let trueText = zeroDimensional ? "True" : " True"
      format = { ($0 as! Bool) ? trueText : "False" }
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
      let texts = values.map { Self.integerText($0) }
      let width = texts.map(\.count).max() ?? 0
      format = { element in
        let t = Self.integerText(element)
        return String(repeating: " ", count: Swift.max(0, width - t.count)) + t
      }
    case .float16, .float32, .float64:
      let real = _FloatFormatter(values.map { Self.realValue($0) }, type: Element.dtype)
      format = { real.format(Self.realValue($0)) }
    case .complex64, .complex128:
      let parts = values.map { Self.complexParts($0) }
      let partType: DType = Element.dtype == .complex64 ? .float32 : .float64
      let re = _FloatFormatter(parts.map(\.0), type: partType)
      let im = _FloatFormatter(parts.map(\.1), type: partType, signed: true)
      format = { element in
        let (a, b) = Self.complexParts(element)
        let imaginary = im.format(b)
        return re.format(a) + imaginary.trimmingCharacters(in: .whitespaces) + "j"
          + String(repeating: " ", count: imaginary.count - imaginary.trimmingCharacters(in: .whitespaces).count)
      }
    }
  }

  static func integerText(_ value: Element) -> String {
    switch value._castValue {
    case .signed(let v): return String(v)
    case .unsigned(let v): return String(v)
    default: return "\(value)"
    }
  }

  /// The value with the type's own precision, carried as (value, shortest digits text).
  static func realValue(_ value: Element) -> _RealText {
    switch value {
    case let v as Float16: return _RealText(Double(v), "\(v)")
    case let v as Float: return _RealText(Double(v), "\(v)")
    case let v as Double: return _RealText(v, "\(v)")
    default: return _RealText(0, "0.0")
    }
  }

  static func complexParts(_ value: Element) -> (_RealText, _RealText) {
    switch value {
    case let c as Complex<Float>:
      return (_RealText(Double(c.real), "\(c.real)"), _RealText(Double(c.imaginary), "\(c.imaginary)"))
    case let c as Complex<Double>: return (_RealText(c.real, "\(c.real)"), _RealText(c.imaginary, "\(c.imaginary)"))
    default: return (_RealText(0, "0.0"), _RealText(0, "0.0"))
    }
  }
}

/// A real value and Swift's shortest round-trip text for it in its own type.
struct _RealText {
  let value: Double
  let shortest: String
  init(_ value: Double, _ shortest: String) {
    self.value = value
    self.shortest = shortest
  }

  /// The shortest round-trip decimal digits and the decimal exponent: value = 0.d1d2… × 10^exponent.
  var digits: (negative: Bool, digits: [UInt8], exponent: Int) {
    var text = Substring(shortest)
    var negative = false
    if text.first == "-" { negative = true; text = text.dropFirst() }
    var exponentPart = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponentPart = Int(text[text.index(after: e)...]) ?? 0
      text = text[..<e]
    }
    let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
    let integer = pieces[0], fraction = pieces.count > 1 ? pieces[1] : ""
    var all = Array((integer + fraction).utf8).map { $0 - 48 }
    var exponent = integer.count + exponentPart
    while let first = all.first, first == 0 { all.removeFirst(); exponent -= 1 }
    while let last = all.last, last == 0 { all.removeLast() }
    if all.isEmpty { exponent = 1 }
    return (negative, all, exponent)
  }
}

/// NumPy's `FloatingFormat` with default options (precision 8, `maxprec`, no suppression).
struct _FloatFormatter {
  var scientific = false
  var precision = 8
  var padLeft = 0
  var padRight = 0
  var exponentSize = 2
  var signed: Bool

  init(_ values: [_RealText], type: DType, signed: Bool = false) {
    self.signed = signed
    let finite = values.filter { $0.value.isFinite }
    let nonzero = finite.map { Swift.abs($0.value) }.filter { $0 != 0 }
    if let maxValue = nonzero.max(), let minValue = nonzero.min() {
      if maxValue >= 1e8 || minValue < 0.0001 || maxValue / minValue > 1000 { scientific = true }
    }
    if finite.isEmpty {
      padLeft = 0; padRight = 0
    } else if scientific {
      let parts = finite.map { Self.scientificParts($0, precision: 8) }
      precision = parts.map { $0.fraction.count }.max() ?? 0
      exponentSize = Swift.max(2, parts.map { $0.exponentDigits }.max() ?? 2)
      padLeft = parts.map { $0.integer.count }.max() ?? 0
      padRight = exponentSize + 2 + precision
    } else {
      let parts = finite.map { Self.positionalParts($0, precision: 8) }
      padLeft = parts.map { $0.integer.count }.max() ?? 0
      padRight = parts.map { $0.fraction.count }.max() ?? 0
    }
    if signed && !finite.contains(where: { $0.value.sign == .minus }) { padLeft += 1 }
    if finite.count != values.count {
      let negativeInfinity = values.contains { $0.value.isInfinite && $0.value < 0 } || signed
      padLeft = Swift.max(padLeft, 3 - (padRight + 1), 3 + (negativeInfinity ? 1 : 0) - (padRight + 1))
    }
  }

  /// Integer and fraction digits in positional notation, at most `precision` fractional
  /// digits (rounded from the exact value), trailing zeros trimmed.
  static func positionalParts(_ x: _RealText, precision: Int) -> (integer: String, fraction: String) {
    let (negative, digits, exponent) = x.digits
    let fractionDigits = Swift.max(0, digits.count - exponent)
    var text: String
    if fractionDigits > precision {
      text = String(format: "%.\(precision)f", x.value)
      if text.hasPrefix("-") { text.removeFirst() }
      while text.hasSuffix("0") { text.removeLast() }
    } else {
      var integer = ""
      var fraction = ""
      if exponent <= 0 {
        integer = "0"
        fraction = String(repeating: "0", count: -exponent) + digits.map(String.init).joined()
      } else {
        for i in 0..<exponent { integer += i < digits.count ? String(digits[i]) : "0" }
        if digits.count > exponent { fraction = digits[exponent...].map(String.init).joined() }
      }
      text = integer + "." + fraction
    }
    let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
    return ((negative ? "-" : "") + pieces[0], pieces.count > 1 ? String(pieces[1]) : "")
  }

  /// Mantissa integer digit, fraction digits and exponent in scientific notation.
  static func scientificParts(_ x: _RealText, precision: Int)
    -> (integer: String, fraction: String, exponent: Int, exponentDigits: Int)
  {
    var (negative, digits, exponent) = x.digits
    if digits.isEmpty { digits = [0]; exponent = 1 }
    if digits.count - 1 > precision {
      let text = String(format: "%.\(precision)e", x.value)
      let mantissa = text.split(separator: "e")[0]
      let e = Int(text.split(separator: "e")[1]) ?? 0
      var pieces = mantissa.split(separator: ".").map(String.init)
      if pieces[0].hasPrefix("-") { pieces[0].removeFirst() }
      var fraction = pieces.count > 1 ? pieces[1] : ""
      while fraction.hasSuffix("0") { fraction.removeLast() }
      return ((negative ? "-" : "") + pieces[0], fraction, e, String(Swift.abs(e)).count)
    }
    let e = exponent - 1
    let fraction = digits.dropFirst().map(String.init).joined()
    return ((negative ? "-" : "") + String(digits[0]), fraction, e, String(Swift.abs(e)).count)
  }

  func format(_ x: _RealText) -> String {
    if !x.value.isFinite {
      let text = x.value.isNaN ? (signed ? "+nan" : "nan") : (x.value < 0 ? "-inf" : (signed ? "+inf" : "inf"))
      return String(repeating: " ", count: Swift.max(0, padLeft + padRight + 1 - text.count)) + text
    }
    var integer: String, fraction: String, suffix = ""
    if scientific {
      var parts = Self.scientificParts(x, precision: precision)
      if parts.fraction.count < precision {
        // Like Dragon4's `min_digits`: further digits of the exact value, rounded.
        let text = String(format: "%.\(precision)e", x.value)
        let pieces = text.split(separator: "e")
        let mantissa = pieces[0].split(separator: ".")
        parts.integer = String(mantissa[0])
        parts.fraction = mantissa.count > 1 ? String(mantissa[1]) : ""
        parts.exponent = Int(pieces[1]) ?? 0
      }
      integer = parts.integer
      fraction = parts.fraction
      let e = String(Swift.abs(parts.exponent))
      suffix =
        "e" + (parts.exponent < 0 ? "-" : "+") + String(repeating: "0", count: Swift.max(0, exponentSize - e.count)) + e
    } else {
      let parts = Self.positionalParts(x, precision: precision)
      integer = parts.integer
      fraction = parts.fraction
    }
    if signed && !integer.hasPrefix("-") { integer = "+" + integer }
    let left = String(repeating: " ", count: Swift.max(0, padLeft - integer.count)) + integer
    var right = "." + fraction + suffix
    if !scientific { right += String(repeating: " ", count: Swift.max(0, padRight - fraction.count)) }
    return left + right
  }
}
