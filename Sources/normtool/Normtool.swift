import ArgumentParser
import NPYIO

/// The `normtool` command line: image folders to training-ready `.npy`/`.npz` datasets.
@main
struct Normtool: ParsableCommand {
  /// The version `normtool --version` prints; the one place it is written.
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "normtool",
    abstract: "Turn image folders into training-ready NumPy datasets.",
    version: version,
    subcommands: [ConvertCommand.self, InspectCommand.self, RecodeCommand.self, StatsCommand.self]
  )

  /// Ctrl-C (and SIGTERM, SIGHUP) removes temporary outputs before exiting; a write past
  /// `ulimit -f` fails with an error instead of killing the process (InterruptCleanup).
  /// A mistyped subcommand is named, with the nearest one suggested, before parsing.
  static func main() {
    UnknownSubcommand.exitIfUnknown(Array(CommandLine.arguments.dropFirst()),
                                    subcommands: configuration.subcommands.map { $0._commandName })
    InterruptCleanup.install()
    main(nil)
  }
}
