import ArgumentParser
import ImageDataset

/// `normtool presets`: every `--preset`, with its numbers and where they come from
/// (ImageDataset's ``ModelPreset`` table).
struct PresetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "presets",
    abstract: "List the model presets of 'convert --preset' with their numbers and sources.",
    discussion: """
      Each preset fixes size, resize mode, filter, channel order, value scale, normalization, \
      mean, std (per channel, in the channel order, on the value scale) and layout. Options \
      given to convert explicitly override them.
      """)

  func run() {
    print(PresetsCommand.listing())
  }

  static func listing() -> String {
    func numbers(_ values: [Double]) -> String {
      "[" + values.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" }.joined(separator: ", ") + "]"
    }
    var lines: [String] = []
    for preset in ModelPreset.all {
      let names = ([preset.name] + preset.aliases).joined(separator: ", ")
      let family = preset.family.map { " (\($0))" } ?? ""
      let resize =
        preset.resizeMode == .shortSideCrop
        ? "short side \(preset.shortSide ?? preset.size), centre crop \(preset.size)x\(preset.size)"
        : "\(preset.resizeMode.rawValue) to \(preset.size)x\(preset.size)"
      let divide = preset.normalization == .center ? "" : "  std \(numbers(preset.std))"
      lines.append("\(names)\(family)")
      lines.append(
        "  \(resize), \(preset.filter.rawValue); \(preset.channelOrder.rawValue.uppercased()), scale \(preset.valueScale.rawValue), \(preset.normalization.rawValue): mean \(numbers(preset.mean))\(divide); \(preset.layout.rawValue)"
      )
      lines.append("  source: \(preset.source)")
    }
    return lines.joined(separator: "\n")
  }
}
