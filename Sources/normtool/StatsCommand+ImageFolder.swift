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
    guard let scope = StatisticsScope(reducedAxes: reduced) else {
      throw ValidationError(
        "--axes \(axes ?? ""): an image folder is (N, H, W, C) with images of any size; use --axes 0,1,2 (per channel) or no --axes (everything)"
      )
    }
    var options = ConversionOptions()
    try image.apply(to: &options)
    let (measured, images, _) = try DatasetConverter(options: options).statistics(of: url, scope: scope)
    var report = StatisticsReport(measured: measured, scope: scope, channels: options.channels, images: images)
    // BGR statistics say so, and --stats refuses them for RGB images.
    if options.channelOrder != .rgb { report.channelOrder = options.channelOrder }
    if json {
      print(report.jsonLine)
    } else {
      let s = report.statistics
      print(
        "\(input): \(images) images, axes \(reduced), \(report.valuesPerStatistic ?? 0) values per statistic (unit scale, pixel / 255)"
      )
      print("mean \(s.mean)")
      print("std  \(s.std)")
      print("min  \(s.minimum ?? [])")
      print("max  \(s.maximum ?? [])")
    }
  }
}
