/// A value of the small Python literal language a `.npy` header is written in.
enum PythonLiteral: Equatable {
  case string(String)
  case integer(Int)
  case boolean(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dict([(key: PythonLiteral, value: PythonLiteral)])

  static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
    switch (lhs, rhs) {
    case (.string(let a), .string(let b)): return a == b
    case (.integer(let a), .integer(let b)): return a == b
    case (.boolean(let a), .boolean(let b)): return a == b
    case (.none, .none): return true
    case (.tuple(let a), .tuple(let b)), (.list(let a), .list(let b)): return a == b
    case (.dict(let a), .dict(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// Python's `repr`, enough for error messages.
  var repr: String {
    switch self {
    case .string(let s): return "'\(s)'"
    case .integer(let i): return String(i)
    case .boolean(let b): return b ? "True" : "False"
    case .none: return "None"
    case .tuple(let items):
      return items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
    case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .dict(let items): return "{" + items.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
    }
  }
}

/// Parses the Python literal subset of a `.npy` header as data: dicts, tuples, lists,
/// strings, integers, `True`, `False`, `None`. Nothing is evaluated.
///
/// The NumPy equivalent is `ast.literal_eval` in `numpy.lib.format._read_array_header`.
/// Nesting is limited so hostile headers cannot exhaust the stack.
struct PythonLiteralParser {
  struct Failure: Error { var reason: String }

  private let bytes: [UInt8]
  private var position = 0
  private static let maxDepth = 32

  init(_ text: String) { bytes = Array(text.utf8) }

  /// Parses one literal that fills the whole text (surrounding whitespace allowed).
  static func parse(_ text: String) throws(Failure) -> PythonLiteral {
    var parser = PythonLiteralParser(text)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.position != parser.bytes.count {
      throw Failure(reason: "unexpected text after the literal at offset \(parser.position)")
    }
    return value
  }

  private mutating func skipWhitespace() {
    while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B].contains(bytes[position]) {
      position += 1
    }
  }

  private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

  private func describePosition() -> String {
    guard let byte = peek() else { return "end of header" }
    return "'\(Character(Unicode.Scalar(byte)))' at offset \(position)"
  }

  private mutating func parseValue(depth: Int) throws(Failure) -> PythonLiteral {
    guard depth < Self.maxDepth else { throw Failure(reason: "literal nested deeper than \(Self.maxDepth) levels") }
    guard let byte = peek() else { throw Failure(reason: "expected a value, found end of header") }
    switch byte {
    case UInt8(ascii: "{"): return try parseDict(depth: depth)
    case UInt8(ascii: "("): return try parseSequence(close: UInt8(ascii: ")"), depth: depth)
    case UInt8(ascii: "["): return try parseSequence(close: UInt8(ascii: "]"), depth: depth)
    case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .integer(try parseInteger())
    default:
      for (word, value) in [("True", PythonLiteral.boolean(true)), ("False", .boolean(false)), ("None", .none)] {
        let utf8 = Array(word.utf8)
        if bytes.count - position >= utf8.count, Array(bytes[position..<position + utf8.count]) == utf8 {
          let after = position + utf8.count
          if after < bytes.count, Self.isIdentifierByte(bytes[after]) { break }
          position = after
          return value
        }
      }
      throw Failure(reason: "expected a value, found \(describePosition())")
    }
  }

  private static func isIdentifierByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
  }

  private mutating func expect(_ byte: UInt8) throws(Failure) {
    guard peek() == byte else {
      throw Failure(reason: "expected '\(Character(Unicode.Scalar(byte)))', found \(describePosition())")
    }
    position += 1
  }

  private mutating func parseDict(depth: Int) throws(Failure) -> PythonLiteral {
    try expect(UInt8(ascii: "{"))
    var items: [(key: PythonLiteral, value: PythonLiteral)] = []
    skipWhitespace()
    while peek() != UInt8(ascii: "}") {
      let key = try parseValue(depth: depth + 1)
      skipWhitespace()
      try expect(UInt8(ascii: ":"))
      skipWhitespace()
      let value = try parseValue(depth: depth + 1)
      items.append((key, value))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        position += 1
        skipWhitespace()
      } else if peek() != UInt8(ascii: "}") {
        throw Failure(reason: "expected ',' or '}', found \(describePosition())")
      }
    }
    position += 1
    return .dict(items)
  }

  private mutating func parseSequence(close: UInt8, depth: Int) throws(Failure) -> PythonLiteral {
    position += 1
    var items: [PythonLiteral] = []
    var sawComma = false
    skipWhitespace()
    while peek() != close {
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        sawComma = true
        position += 1
        skipWhitespace()
      } else if peek() != close {
        throw Failure(reason: "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(describePosition())")
      }
    }
    position += 1
    if close == UInt8(ascii: ")") {
      // `(5)` is the integer 5 in Python, not a tuple.
      if items.count == 1 && !sawComma { return items[0] }
      return .tuple(items)
    }
    return .list(items)
  }

  private mutating func parseInteger() throws(Failure) -> Int {
    var negative = false
    if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") {
      negative = peek() == UInt8(ascii: "-")
      position += 1
    }
    let start = position
    var value = 0
    while let byte = peek(), byte >= 0x30 && byte <= 0x39 {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int(byte - 0x30))
      if o1 || o2 { throw Failure(reason: "integer at offset \(start) does not fit in 64 bits") }
      value = sum
      position += 1
    }
    if position == start { throw Failure(reason: "expected digits, found \(describePosition())") }
    // Python 2 wrote long integers with an L suffix; NumPy still reads them.
    if peek() == UInt8(ascii: "L") { position += 1 }
    if let byte = peek(), Self.isIdentifierByte(byte) || byte == UInt8(ascii: ".") {
      throw Failure(reason: "expected an integer, found \(describePosition())")
    }
    return negative ? -value : value
  }

  private mutating func parseString() throws(Failure) -> String {
    let quote = bytes[position]
    position += 1
    var scalars: [UInt8] = []
    while true {
      guard let byte = peek() else { throw Failure(reason: "unterminated string literal") }
      position += 1
      if byte == quote { break }
      if byte == 0x0A { throw Failure(reason: "newline inside a string literal") }
      if byte == UInt8(ascii: "\\") {
        guard let next = peek() else { throw Failure(reason: "unterminated string literal") }
        position += 1
        switch next {
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): scalars.append(next)
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "t"): scalars.append(0x09)
        default: throw Failure(reason: "unsupported escape '\\\(Character(Unicode.Scalar(next)))' in a string literal")
        }
        continue
      }
      scalars.append(byte)
    }
    return String(decoding: scalars, as: UTF8.self)
  }
}
