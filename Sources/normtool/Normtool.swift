import ArgumentParser
import NPYIO

/// The `normtool` command line: image folders to training-ready `.npy`/`.npz` datasets.
@main
struct Normtool: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normtool",
    abstract: "Turn image folders into training-ready NumPy datasets.",
    subcommands: [ConvertCommand.self, InspectCommand.self, RecodeCommand.self, StatsCommand.self]
  )

  /// Ctrl-C (and SIGTERM, SIGHUP) removes temporary outputs before exiting; a write past
  /// `ulimit -f` fails with an error instead of killing the process (InterruptCleanup).
  static func main() {
    InterruptCleanup.install()
    main(nil)
  }
}
