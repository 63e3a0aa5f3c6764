import ArrayTools
import Foundation
import ImageDataset
import NPYIO

/// What `normtool compare` prints: numpy's `assert_allclose` message for each member (its
/// lines verbatim, the array dumps replaced by the file, dtype and shape, plus where the
/// maxima are), or one JSON object.
enum ComparisonOutput {
  /// The text report: for each member, a line with its verdict, then numpy's message when
  /// it differs.
  static func text(_ results: [MemberComparison], options: ArrayComparisonOptions, actual: String, desired: String)
    -> String
  {
    var out = ""
    for result in results {
      let label = result.name.isEmpty ? "\(actual) vs \(desired)" : result.name
      switch result {
      case .arrays(let comparison):
        if comparison.isEqual {
          out += "\(label): equal (\(comparison.total) elements, \(tolerance(options)))\n"
        } else {
          out += "\(label): not equal\n" + message(comparison) + "\n"
        }
      case .strings(let comparison):
        out += "\(label): " + stringVerdict(comparison) + "\n"
      case .missing(_, let presentIn, let absentFrom):
        out += "\(label): only in \(presentIn), missing from \(absentFrom)\n"
      }
    }
    if results.count > 1 {
      let differing = results.filter { !$0.isEqual }.count
      out +=
        differing == 0 ? "all \(results.count) members equal\n" : "\(differing) of \(results.count) members differ\n"
    }
    return out
  }

  /// numpy's header: `Not equal to tolerance rtol=1e-07, atol=0` (Python's `:g`).
  static func tolerance(_ options: ArrayComparisonOptions) -> String {
    "rtol=\(String(format: "%g", options.rtol)), atol=\(String(format: "%g", options.atol))"
  }

  /// numpy's `assert_allclose` message for a difference, without the leading blank line;
  /// the array dumps are replaced by ` ACTUAL: path (dtype, shape)`.
  static func message(_ c: ArrayComparison) -> String {
    var lines = ["Not equal to tolerance \(tolerance(c.options))", ""]
    switch c.outcome {
    case .equal: break
    case .shapeMismatch:
      lines.append("(shapes \(NPYHeader.shapeRepr(c.actualShape)), \(NPYHeader.shapeRepr(c.desiredShape)) mismatch)")
    case .dtypeMismatch:
      lines.append("(dtypes \(c.actualDType), \(c.desiredDType) mismatch)")
    case .nanLocationMismatch, .infLocationMismatch, .infValuesMismatch:
      lines.append("\(c.outcome.rawValue):")
      if let index = c.firstLocationMismatch { lines.append("First at index: \(index)") }
    case .valuesDiffer:
      lines.append(
        "Mismatched elements: \(c.mismatched) / \(c.total) (\(NumPyScalarText.threeSignificant(c.percentMismatched))%)")
      if !c.mismatches.isEmpty {
        let heading =
          c.mismatched == 1
          ? "Mismatch at index:"
          : c.mismatched <= c.options.listed
            ? "Mismatch at indices:" : "First \(c.mismatches.count) mismatches are at indices:"
        lines.append(heading)
        for m in c.mismatches { lines.append(" \(m.index): \(m.actual) (ACTUAL), \(m.desired) (DESIRED)") }
      }
      if let maximum = c.maxAbsolute { lines.append("Max absolute difference among violations: \(maximum.text)") }
      if let maximum = c.maxRelative { lines.append("Max relative difference among violations: \(maximum.text)") }
      if let index = c.maxAbsolute?.index { lines.append("Max absolute difference at index: \(index)") }
      if let index = c.maxRelative?.index { lines.append("Max relative difference at index: \(index)") }
    }
    lines.append(" ACTUAL: \(c.actualPath) (\(c.actualDType), shape \(NPYHeader.shapeRepr(c.actualShape)))")
    lines.append(" DESIRED: \(c.desiredPath) (\(c.desiredDType), shape \(NPYHeader.shapeRepr(c.desiredShape)))")
    return lines.joined(separator: "\n")
  }

  static func stringVerdict(_ c: StringArrayComparison) -> String {
    if c.kindsDiffer { return "not equal (a string array and a numeric array)" }
    if c.actualShape != c.desiredShape {
      return "not equal (shapes \(NPYHeader.shapeRepr(c.actualShape)), \(NPYHeader.shapeRepr(c.desiredShape)) mismatch)"
    }
    if c.mismatched == 0 { return "equal (\(c.total) strings)" }
    return "not equal (\(c.mismatched) / \(c.total) strings differ, the first at flat index \(c.firstMismatch ?? 0))"
  }

  static func outcome(_ c: StringArrayComparison) -> String {
    if c.kindsDiffer { return "kind mismatch" }
    if c.actualShape != c.desiredShape { return ComparisonOutcome.shapeMismatch.rawValue }
    return c.mismatched == 0 ? ComparisonOutcome.equal.rawValue : ComparisonOutcome.valuesDiffer.rawValue
  }

  /// The `--json` object.
  static func json(_ results: [MemberComparison], options: ArrayComparisonOptions, equal: Bool) -> JSONValue {
    .object([
      ("equal", .bool(equal)), ("rtol", .double(options.rtol)), ("atol", .double(options.atol)),
      ("equal_nan", .bool(options.equalNaN)), ("exact", .bool(options.exact)),
      ("members", .array(results.map(member))),
    ])
  }

  static func member(_ result: MemberComparison) -> JSONValue {
    let ints: ([Int]) -> JSONValue = { .array($0.map { JSONValue.int($0) }) }
    let optionalInts: ([Int]?) -> JSONValue = { $0.map(ints) ?? .null }
    switch result {
    case .arrays(let c):
      return .object([
        ("name", .string(c.name)), ("kind", .string("numeric")), ("equal", .bool(c.isEqual)),
        ("outcome", .string(c.outcome.rawValue)), ("actual", .string(c.actualPath)),
        ("desired", .string(c.desiredPath)), ("actual_shape", ints(c.actualShape)),
        ("desired_shape", ints(c.desiredShape)), ("actual_dtype", .string(c.actualDType.rawValue)),
        ("desired_dtype", .string(c.desiredDType.rawValue)), ("mismatched", .int(c.mismatched)),
        ("total", .int(c.total)), ("percent", .double(c.percentMismatched)),
        ("max_abs_diff", c.maxAbsolute.map { .double($0.value) } ?? .null),
        ("max_abs_index", optionalInts(c.maxAbsolute?.index)),
        ("max_rel_diff", c.maxRelative.map { .double($0.value) } ?? .null),
        ("max_rel_index", optionalInts(c.maxRelative?.index)),
        (
          "mismatches",
          .array(
            c.mismatches.map {
              .object([
                ("index", ints($0.index)), ("actual", .double($0.actualValue)), ("desired", .double($0.desiredValue)),
              ])
            })
        ),
        ("first_location_mismatch", optionalInts(c.firstLocationMismatch)),
        ("message", c.isEqual ? .null : .string(message(c))),
      ])
    case .strings(let c):
      return .object([
        ("name", .string(c.name)), ("kind", .string("strings")), ("equal", .bool(c.isEqual)),
        ("outcome", .string(outcome(c))), ("actual", .string(c.actualPath)), ("desired", .string(c.desiredPath)),
        ("actual_shape", ints(c.actualShape)), ("desired_shape", ints(c.desiredShape)),
        ("mismatched", .int(c.mismatched)), ("total", .int(c.total)),
      ])
    case .missing(let name, let presentIn, let absentFrom):
      return .object([
        ("name", .string(name)), ("kind", .string("missing")), ("equal", .bool(false)),
        ("outcome", .string("member missing")), ("present_in", .string(presentIn)),
        ("absent_from", .string(absentFrom)),
      ])
    }
  }
}
