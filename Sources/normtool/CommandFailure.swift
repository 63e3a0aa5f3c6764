import ArgumentParser
import Foundation
import _ErrorText

/// A failure while running a command (as opposed to bad arguments), made by `normtool`
/// itself; every other error a command throws is reported the same way (``report(_:subcommand:)``).
struct CommandFailure: Error, CustomStringConvertible {
  let description: String
  /// `description` is made one line (control characters in file names escaped).
  init(_ description: String) { self.description = OneLineMessage.escaped(description) }

  /// Ends the process for an error `subcommand`'s `run()` threw. Bad arguments
  /// (ArgumentParser's `ValidationError`, exit status 64), `--help` and `ExitCode`s go to
  /// ArgumentParser as usual; any other failure is one line on stderr,
  /// `normtool SUBCOMMAND: <file>: <reason>`, with exit status 1 (as Python's
  /// `sys.exit(f"{prog}: {error}")`).
  static func report(_ error: any Error, subcommand: String) -> Never {
    if error is ExitCode || error is CleanExit || Normtool.exitCode(for: error) != .failure {
      Normtool.exit(withError: error)
    }
    printError("normtool \(subcommand): \(OneLineMessage.escaped(String(describing: error)))")
    Normtool.exit(withError: ExitCode.failure)
  }
}

/// Writes `message` and a newline to stderr.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
