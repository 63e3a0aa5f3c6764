import ArgumentParser
import NDArray
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
    subcommands: [
      ConvertCommand.self, PlanCommand.self, ShardCommand.self, PresetsCommand.self, StatsCommand.self,
      InspectCommand.self, RecodeCommand.self, CompareCommand.self, NormalizeCommand.self, PreviewCommand.self,
      ReportCommand.self,
    ]
  )

  /// Ctrl-C (and SIGTERM, SIGHUP) removes temporary outputs before exiting; a write past
  /// `ulimit -f` fails with an error instead of killing the process (InterruptCleanup).
  /// A mistyped subcommand is named, with the nearest one suggested, before parsing. A
  /// failure while running is one line, `normtool SUBCOMMAND: ...` (``CommandFailure``).
  /// Freed buffers stay for the next image (``MallocTuning``); OpenBLAS's idle threads stop
  /// spinning until a command multiplies matrices (`Linalg.parkBLASThreads()`).
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    UnknownSubcommand.exitIfUnknown(arguments, subcommands: configuration.subcommands.map { $0._commandName })
    InterruptCleanup.install()
    MallocTuning.apply()
    Linalg.parkBLASThreads()
    var command: any ParsableCommand
    do { command = try parseAsRoot(arguments) } catch { exit(withError: error) }
    do {
      try command.run()
    } catch {
      // Nested commands are named by their path: "normtool shard run: ...".
      let name = type(of: command)._commandName
      let nested = arguments.first == ShardCommand._commandName && name != ShardCommand._commandName
      CommandFailure.report(error, subcommand: nested ? "\(ShardCommand._commandName) \(name)" : name)
    }
  }
}
