import ArgumentParser

/// The `normtool` command line: image folders to training-ready `.npy`/`.npz` datasets.
@main
struct Normtool: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normtool",
    abstract: "Turn image folders into training-ready NumPy datasets.",
    subcommands: [ConvertCommand.self, InspectCommand.self, RecodeCommand.self, StatsCommand.self]
  )
}
