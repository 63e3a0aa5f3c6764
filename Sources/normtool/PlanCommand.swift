import ArgumentParser
import Foundation
import ImageDataset

/// `normtool plan [FOLDER] [convert options] -o plan.json`: the plan `convert` would run,
/// written for inspection (and for sharded runs), nothing decoded.
struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Write the plan convert would run (entries, labels, splits, options, hash) as JSON.",
    discussion: """
      Takes every convert option; -o names the plan file (JSON). The plan lists each image \
      (path, labels as class indices, split, group) in output order, the class names, the \
      options, and the SHA-256 of all of it ("hash"). Nothing is decoded.
      """)

  @OptionGroup var convert: ConvertCommand

  func run() throws {
    let (plan, warnings) = try convert.makePlan()
    for warning in warnings { FileHandle.standardError.write(Data("normtool plan: warning: \(warning)\n".utf8)) }
    if convert.dryRun {
      print(plan.dryRunText())
      return
    }
    do { try plan.write(to: URL(fileURLWithPath: convert.output)) } catch { throw CommandFailure(error.description) }
    if !convert.quiet {
      print("wrote \(convert.output): \(plan.entries.count) images, \(plan.classes.count) classes, hash \(plan.hash)")
    }
  }
}
