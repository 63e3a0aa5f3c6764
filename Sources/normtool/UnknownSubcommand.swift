import Foundation

/// The check `Normtool.main` makes before parsing: a first argument that is neither an
/// option nor a subcommand is a mistyped subcommand (swift-argument-parser would instead
/// complain about the first option it cannot place, such as `Unknown option '-o'`).
///
/// Git's "did you mean" is the model; the distance is Levenshtein's.
enum UnknownSubcommand {
  /// The message for `arguments` (without the program name), or nil when the first one is
  /// an option, a known subcommand or `help`.
  static func message(for arguments: [String], subcommands: [String]) -> String? {
    guard let first = arguments.first, !first.hasPrefix("-"),
      !subcommands.contains(first), first != "help"
    else { return nil }
    let ranked = subcommands.map { ($0, distance(first.lowercased(), $0)) }.min { $0.1 < $1.1 }
    if let (best, cost) = ranked, cost <= max(2, best.count / 3) {
      return "normtool: unknown subcommand '\(first)'; did you mean '\(best)'?"
    }
    return "normtool: unknown subcommand '\(first)'; expected one of \(subcommands.joined(separator: ", "))"
  }

  /// The fewest single-character insertions, deletions and substitutions from `a` to `b`.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }

  /// Prints the message to stderr and exits with status 64 (EX_USAGE) when there is one.
  static func exitIfUnknown(_ arguments: [String], subcommands: [String]) {
    guard let message = message(for: arguments, subcommands: subcommands) else { return }
    printError(message)
    exit(64)
  }
}
