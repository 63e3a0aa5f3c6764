import ArgumentParser
import Foundation
import ImageDataset

extension StatsCommand {
  /// `normtool stats FOLDER`: exact statistics of every image in an image folder, decoded and
  /// resized as `convert` would with the same image options (by default RGB at its own
  /// size), on the unit scale (pixel / 255) like `convert` and `stats.json`.
  ///
  /// The images are seen as one (N, H, W, C) array: `--axes 0,1,2` gives one statistic per
  /// channel, no `--axes` (or `0,1,2,3`) one over everything. The NumPy equivalent is
  /// `x = pixels / 255.0; x.mean(axis=(0,1,2))` etc., with images of any size.
  func runOnImageFolder(_ url: URL) throws {
    let reduced = try parseAxes(rank: 4)
    let scope: StatisticsScope
    switch reduced {
    case [0, 1, 2]: scope = .channel
    case [0, 1, 2, 3]: scope = .global
    default:
      throw ValidationError("--axes \(axes ?? ""): an image folder is (N, H, W, C) with images of any size; use --axes 0,1,2 (per channel) or no --axes (everything)")
    }
    let channelStatistics: ChannelStatistics
    let images: Int
    var options = ConversionOptions()
    try image.apply(to: &options)
    do {
      (channelStatistics, images, _) = try DatasetConverter(options: options).statistics(of: url, scope: scope)
    } catch {
      throw CommandFailure("normtool stats: \(error.description)")
    }
    let s = NormalizationStatistics(channelStatistics)
    let count = Int(channelStatistics.count.first ?? 0)
    if json {
      let list: ([Double]) -> JSONValue = { .array($0.map { JSONValue.double($0) }) }
      print(JSONValue.object([
        ("axes", .array(reduced.map { .int($0) })),
        ("shape", .array(scope == .channel ? [.int(s.entries)] : [])),
        ("scope", .string(scope.rawValue)),
        ("channels", .int(options.channels)),
        ("count", .int(count)),
        ("mean", list(s.mean)), ("std", list(s.std)),
        ("min", list(s.minimum ?? [])), ("max", list(s.maximum ?? [])),
        ("images", .int(images)),
      ]).rendered)
    } else {
      print("\(input): \(images) images, axes \(reduced), \(count) values per statistic (unit scale, pixel / 255)")
      print("mean \(s.mean)")
      print("std  \(s.std)")
      print("min  \(s.minimum ?? [])")
      print("max  \(s.maximum ?? [])")
    }
  }
}
