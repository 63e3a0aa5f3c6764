import Foundation
import Imaging
import NDArray
import Testing

@testable import ImageDataset

/// The one statistics report: the file `--save-stats` writes, and the line `stats --json`
/// prints for folders and arrays, read back by `--stats FILE`.
@Suite struct StatisticsReportTests {
  func measured() -> ChannelStatistics {
    let pixels = SyntheticLoader.pixels(width: 5, height: 3, seed: 11)
    return ChannelStatistics(pixels.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: 3) })
  }

  func readBack(_ text: String) throws -> StatisticsReport {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    return try StatisticsReport.read(from: try dir.file("report.json", text))
  }

  @Test func theFileRoundTripsThroughRead() throws {
    let statistics = NormalizationStatistics(measured())
    let report = StatisticsReport(
      statistics: statistics, scope: .channel, channels: 3, images: 1,
      applied: false, classes: ["cat", "dog"], options: ["normalize": "scale"])
    let text = String(decoding: try report.encoded(), as: UTF8.self)
    #expect(text.hasSuffix("}\n") && !text.contains("axes") && !text.contains("shape"))
    #expect(try readBack(text) == report)
  }

  @Test func theFolderLineIsAcceptedAsAStatsFile() throws {
    let stats = measured()
    let report = StatisticsReport(measured: stats, scope: .channel, channels: 3, images: 1)
    let line = report.jsonLine
    #expect(
      line.hasPrefix(#"{"axes": [0, 1, 2], "shape": [3], "scope": "channel", "channels": 3, "count": 15, "mean": ["#))
    #expect(line.hasSuffix(#", "images": 1}"#) && !line.contains("\n"))
    let read = try readBack(line)
    #expect(read.statistics == report.statistics && read.images == 1 && read.scope == .channel)
    #expect(read.statistics.count == [15, 15, 15] && read.statistics.std == stats.standardDeviation)
  }

  @Test func anArrayLineKeepsNonFiniteValuesAndTheCount() throws {
    let array = AnyNDArray(NDArray<Double>([1, .infinity, 3, 5, .nan, 7], shape: [2, 3]))
    let report = StatisticsReport(array: try array.statistics(axes: [0]), axes: [0])
    #expect(
      report.jsonLine
        == #"{"axes": [0], "shape": [3], "count": 2, "mean": [3.0, NaN, 5.0], "std": [2.0, NaN, 2.0], "min": [1.0, NaN, 3.0], "max": [5.0, NaN, 7.0]}"#
    )
  }

  @Test func folderAxesNameTheScope() {
    #expect(StatisticsScope(reducedAxes: [0, 1, 2]) == .channel)
    #expect(StatisticsScope(reducedAxes: [0, 1, 2, 3]) == .global)
    #expect(StatisticsScope(reducedAxes: [1, 2]) == nil && StatisticsScope(reducedAxes: []) == nil)
    let report = StatisticsReport(
      measured: measured().merged(with: measured()), scope: .channel, channels: 3, images: 2)
    #expect(report.axes == [0, 1, 2] && report.shape == [3] && report.valuesPerStatistic == 30)
  }

  @Test func mergedStatisticsUseTheOneMomentsMerge() {
    let a = measured()
    let b = ChannelStatistics(
      count: [2, 0, 1], mean: [0.5, 0, 0.25], m2: [0.5, 0, 0], minimum: [0, 1, 0.25],
      maximum: [1, 0, 0.25])
    let merged = a.merged(with: b)
    for c in 0..<3 {
      var moments = Moments(count: a.count[c], mean: a.mean[c], m2: a.m2[c])
      moments.merge(Moments(count: b.count[c], mean: b.mean[c], m2: b.m2[c]))
      #expect(merged.count[c] == moments.count && merged.mean[c] == moments.mean && merged.m2[c] == moments.m2)
    }
    // A channel with no values in `b` keeps `a`'s extremes.
    #expect(merged.minimum[1] == a.minimum[1] && merged.maximum[1] == a.maximum[1])
    #expect(merged.minimum[0] == 0 && merged.maximum[0] == 1)
  }
}

/// `--dtype`: NDArray's `DType`, limited to the output choices.
@Suite struct OutputDTypeTests {
  @Test func onlyTheOutputChoicesAreAccepted() {
    var options = ConversionOptions()
    options.normalization = .scale
    for dtype in DType.allCases {
      options.dtype = dtype
      let accepted = (try? options.validate()) != nil
      #expect(accepted == [.float16, .float32, .float64].contains(dtype), "\(dtype)")
    }
    options.dtype = nil
    #expect(options.resolvedDType == .float32)
    options.normalization = .none
    #expect(options.resolvedDType == .uint8)
  }
}

/// Failed images are reported by their relative name and the decoder's reason, without the
/// decoder's path, whatever characters the path holds.
@Suite struct LoadFailureReasonTests {
  @Test func aPathWithALineBreakIsNotRepeatedInTheReason() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let file = try dir.file("odd\nfolder/bad.png", "not an image")
    let result = LoadResult.load(
      file, name: "odd\nfolder/bad.png", loader: PillowImageLoader(options: ConversionOptions()),
      channels: 3, depth: .eight, channelOrder: .rgb, computeMoments: false, describe: false)
    guard case .failed(let reason) = result else {
      Issue.record("expected a failure")
      return
    }
    #expect(reason.hasPrefix("not a JPEG or PNG image, nor BMP, PNM, GIF, WebP or TIFF"), "\(reason)")
    #expect(!reason.contains("folder") && !reason.contains("\n"))
  }
}
