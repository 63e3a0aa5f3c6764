import Foundation
import Imaging
import NDArray
import _ErrorText

/// Turns a folder of images into a training-ready dataset: the library behind
/// `normtool convert`.
///
/// The NumPy/Pillow equivalent is the seeds' loop (`Image.open(...).convert('RGB').resize(...)`
/// into one array, `x = a / 255`, `(x - x.mean(axis=(0,1,2))) / x.std(axis=(0,1,2))`,
/// `numpy.savez`), made exact and run in bounded memory:
/// - images are decoded and resized on ``ConversionOptions/jobs`` threads and written in
///   file order, so the output bytes do not depend on the thread count;
/// - statistics are exact integer moments per image, summed (order-free), then rounded once;
/// - with `--stats dataset` the resized `uint8` (or `uint16`) images go to a temporary file in pass 1 and
///   are normalized from it in pass 2, so memory does not grow with the image count;
/// - output is written under temporary names and renamed into place only when complete.
///
/// ```swift
/// var options = ConversionOptions()
/// options.size = ImageSize(width: 64, height: 64)
/// let report = try DatasetConverter(options: options)
///   .convert(folder: URL(fileURLWithPath: "Samples/images"),
///            to: URL(fileURLWithPath: "/tmp/samples.npz"))
/// print(report.shape, report.statistics.mean)
/// ```
public struct DatasetConverter: Sendable {
  /// The options.
  public var options: ConversionOptions
  /// Decodes and resizes one file.
  public var loader: any ImageLoader

  /// A converter; `loader` defaults to ``PillowImageLoader`` with `options`.
  public init(options: ConversionOptions, loader: (any ImageLoader)? = nil) {
    self.options = options
    self.loader = loader ?? PillowImageLoader(options: options)
  }

  /// Scans `folder`, converts every image and writes the dataset to `output`
  /// (`.npy`, `.npz` or a directory; see ``OutputKind``).
  ///
  /// - Parameter progress: called on the calling thread after each image.
  /// Every output (`output`, ``ConversionOptions/saveStatisticsTo``) is checked before any
  /// image is decoded, written under a temporary name, and renamed into place only when all
  /// are complete.
  ///
  /// - Throws: ``ConversionError``; nothing is then left under any output's name (existing
  ///   files there are untouched), nor any temporary file.
  public func convert(
    folder: URL, to output: URL,
    progress: ((ConversionProgress) -> Void)? = nil
  ) throws(ConversionError) -> ConversionReport {
    let started = Date()
    try options.validate()
    try outputCheck(folder: folder, output: output).run()
    let (plan, _) = try DatasetPlanner.plan(PlanRequest(source: .folder(folder)), options: options, sealed: false)
    return try run(plan, to: output, started: started, progress: progress).reports[0]
  }

  /// The checks of every path a conversion writes, made before any decoding.
  func outputCheck(folder: URL, output: URL) -> OutputPathCheck {
    var outputs = [OutputPathCheck.Output(url: output, isDirectory: OutputKind(output) == .directory, option: "-o")]
    if let saveTo = options.saveStatisticsTo {
      outputs.append(OutputPathCheck.Output(url: saveTo, isDirectory: false, option: "--save-stats"))
    }
    if let sidecar = options.whiteningSidecar {
      outputs.append(OutputPathCheck.Output(url: sidecar, isDirectory: false, option: "--save-stats (whitening)"))
    }
    outputs += SideFiles(output: output, exports: !options.exports.isEmpty).checkedOutputs
    var statisticsFile: URL?
    if case .file(let path) = options.statistics { statisticsFile = URL(fileURLWithPath: path) }
    return OutputPathCheck(outputs: outputs, inputFolder: folder, statisticsFile: statisticsFile)
  }

  /// Exact per-channel statistics of every image in `folder` after decoding (and
  /// resizing, when ``ConversionOptions/size`` is set), on the unit scale. Images may differ
  /// in size. The NumPy equivalent is `x.mean(axis=(0,1,2))` etc. over all pixels
  /// (`scope` `.channel`), or `x.mean()` (`.global`).
  ///
  /// - Returns: the statistics and the number of images they cover (skipped ones excluded).
  public func statistics(of folder: URL, scope: StatisticsScope = .channel)
    throws(ConversionError) -> (ChannelStatistics, images: Int, skipped: [SkippedImage])
  {
    try options.validate()
    let scanned: ImageFolder
    do { scanned = try ImageFolder.scan(folder) } catch { throw .scan(error) }
    let (moments, used, skipped) = try measure(scanned, indices: Array(scanned.files.indices))
    if used == 0 { throw .allImagesSkipped(folder: folder.path, skipped: skipped.count) }
    return (ChannelStatistics(moments.scoped(scope)), used, skipped)
  }

  /// Decodes the images at `indices` and sums their moments.
  func measure(
    _ folder: ImageFolder, indices: [Int], phase: String = "reading",
    progress: ((ConversionProgress) -> Void)? = nil
  ) throws(ConversionError) -> (PixelMoments, Int, [SkippedImage]) {
    var moments = PixelMoments(channels: options.channels, maximumValue: options.depth.maximumValue)
    var used = 0
    var skipped: [SkippedImage] = []
    let loader = self.loader, channels = options.channels, channelOrder = options.channelOrder
    let depth = options.depth
    do {
      try orderedParallelMap(
        count: indices.count, jobs: options.jobs, window: 4 * options.jobs,
        resizeWindow: { [jobs = options.jobs] first in ConversionRun.window(itemBytes: first.byteCount, jobs: jobs) },
        produce: { k -> LoadResult in
          let file = folder.files[indices[k]]
          return LoadResult.load(
            folder.url(of: file), name: file.relativePath, loader: loader,
            channels: channels, depth: depth, channelOrder: channelOrder, computeMoments: true, describe: false)
        },
        consume: { k, result in
          switch result {
          case .failed(let reason):
            if options.onError == .fail {
              throw ConversionError.unreadableImage(file: folder.files[indices[k]].relativePath, reason: reason)
            }
            skipped.append(SkippedImage(file: folder.files[indices[k]].relativePath, reason: reason))
          case .loaded(let image):
            moments.merge(image.moments!)
            used += 1
          }
          progress?(ConversionProgress(phase: phase, done: k + 1, total: indices.count))
        })
    } catch let error as ConversionError { throw error } catch {
      throw .output(path: folder.root.path, reason: FileSystemReason.text(of: error))
    }
    return (moments, used, skipped)
  }
}

/// One decoded image on its way through the pipeline.
struct LoadedImage: @unchecked Sendable {
  var pixels: LoadedPixels
  var moments: PixelMoments?
  /// The normalized bytes when the worker could normalize already.
  var normalized: [UInt8]?
  /// The statistics it was normalized with, for `--stats image`.
  var statistics: NormalizationStatistics?
  /// What the decoder found (for the summary), when the loader knows.
  var info: ImageInfo?
  /// The SHA-256 of the file's bytes and of the pixels with their shape (duplicates).
  var fileHash: SHA256Digest?
  var pixelHash: SHA256Digest?
  var width: Int { pixels.shape[1] }
  var height: Int { pixels.shape[0] }
}

enum LoadResult: @unchecked Sendable {
  case loaded(LoadedImage)
  case failed(String)

  /// The bytes the result holds (pixels and normalized output), for the pipeline's window.
  var byteCount: Int {
    guard case .loaded(let image) = self else { return 0 }
    let samples = image.pixels.shape.reduce(1, *)
    let pixelBytes: Int
    switch image.pixels {
    case .eight: pixelBytes = samples
    case .sixteen: pixelBytes = 2 * samples
    }
    return pixelBytes + (image.normalized?.count ?? 0)
  }

  /// Loads and checks one file at `depth`, channels in `channelOrder`; never throws
  /// (failures become `.failed` with a reason). Nothing is defaulted: every caller (the
  /// converter, statistics, shards) passes the run's options. `describe` also gathers the
  /// file's facts and the hashes of its bytes and pixels (summary, duplicates).
  static func load(
    _ url: URL, name: String, loader: any ImageLoader, channels: Int, depth: SampleDepth,
    channelOrder: ChannelOrder, computeMoments: Bool, describe: Bool
  ) -> LoadResult {
    /// The loaded pixels in `channelOrder` (`x[..., ::-1]` for BGR, at either depth).
    func arranged<Sample: ImageSample>(_ load: () throws -> NDArray<Sample>) rethrows -> NDArray<Sample> {
      var pixels = try load()
      if channelOrder != .rgb, pixels.rank == 3, pixels.shape[2] == channels {
        pixels.withUnsafeMutableBufferPointer { channelOrder.arrange($0, channels: channels) }
      }
      return pixels
    }
    let pixels: LoadedPixels
    var info: ImageInfo?
    var fileHash: SHA256Digest?
    do {
      switch (depth, describe) {
      case (.eight, false): pixels = .eight(try arranged { try loader.load(url) })
      case (.sixteen, false): pixels = .sixteen(try arranged { try loader.loadSixteenBit(url) })
      case (.eight, true):
        let described = try loader.loadDescribed(url)
        (info, fileHash) = (described.info, described.fileHash)
        pixels = .eight(arranged { described.pixels })
      case (.sixteen, true):
        let described = try loader.loadSixteenBitDescribed(url)
        (info, fileHash) = (described.info, described.fileHash)
        pixels = .sixteen(arranged { described.pixels })
      }
    } catch {
      // The file is named by the caller; an ImageError says the reason without it.
      return .failed((error as? ImageError)?.reason ?? OneLineMessage.escaped("\(error)"))
    }
    let shape = pixels.shape
    guard shape.count == 3, shape[2] == channels, shape.reduce(1, *) > 0 else {
      return .failed("expected decoded pixels of shape (H, W, \(channels)), found \(shape)")
    }
    let moments = computeMoments ? pixels.moments(channels: channels) : nil
    var image = LoadedImage(pixels: pixels, moments: moments)
    if describe {
      image.info = info
      image.fileHash = fileHash
      image.pixelHash = pixels.withUnsafeRawBytes { DuplicateFinder.pixelHash($0, shape: shape) }
    }
    return .loaded(image)
  }
}
