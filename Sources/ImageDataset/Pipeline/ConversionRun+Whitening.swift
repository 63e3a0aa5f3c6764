import Foundation
import NDArray

/// `--whiten` in the pipeline (docs/design.md §6): pass 1 adds every image to exact
/// covariance sums (``CovarianceAccumulator``) beside the pixel cache, the matrix is fitted
/// once, and pass 2 whitens the cached pixels; with a stats file the saved matrix whitens
/// the images as they are decoded.
extension ConversionRun {
  /// Images per BLAS product when whitening whole images (one `dgemm` of 256×D by D×D).
  static let whitenedImagesPerProduct = Whitener.imagesPerProduct

  /// The saved whitening of a stats file, which must match `--whiten` and `--whiten-scope`.
  static func whitening(
    _ options: WhiteningOptions, from file: StatisticsReport, path: String
  ) throws(ConversionError) -> WhiteningMatrix {
    guard let record = file.whitening else {
      throw .statisticsFile(
        path: path,
        reason:
          "--whiten \(options.method.rawValue): the file has no whitening; save it from the training set with --whiten \(options.method.rawValue) --whiten-scope \(options.scope.rawValue) --save-stats"
      )
    }
    if record.method != options.method || record.scope != options.scope {
      throw .statisticsFile(
        path: path,
        reason:
          "its whitening is --whiten \(record.method.rawValue) --whiten-scope \(record.scope.rawValue), not --whiten \(options.method.rawValue) --whiten-scope \(options.scope.rawValue)"
      )
    }
    return try WhiteningMatrix.read(record: record, statsFile: URL(fileURLWithPath: path))
  }

  /// At the first image: refuses image-scope whitening above D = 4096, checks a saved
  /// matrix against the image size, starts the covariance sums, and returns the row shape.
  mutating func startWhitening(width: Int, height: Int) throws(ConversionError) -> [Int] {
    let whiten = options.whitening!
    let channels = options.channels
    if let refusal = whiten.scope.refusal(width: width, height: height, channels: channels) {
      throw .invalidOptions(refusal)
    }
    let dimension = whiten.scope.dimension(width: width, height: height, channels: channels)
    if let whitening, whitening.dimension != dimension {
      let reason =
        "its whitening is for vectors of \(whitening.dimension) values; \(width)x\(height)x\(channels) images give \(dimension) (convert with the training --size)"
      if case .file(let path) = options.statistics { throw .statisticsFile(path: path, reason: reason) }
      // A split whitened with the training split's matrix (--whiten with --split).
      throw .invalidOptions(
        "split '\(split ?? "")': the training split's whitening is for vectors of \(whitening.dimension) values; its \(width)x\(height)x\(channels) images give \(dimension) (give --size)"
      )
    }
    if whitening == nil { covarianceSums = ImageCovarianceSums(scope: whiten.scope, dimension: dimension) }
    return Whitener.rowShape(
      method: whiten.method, scope: whiten.scope, width: width, height: height, channels: channels,
      layout: options.layout)
  }

  /// A stats file's matrix: images gather into one product, then are written.
  mutating func queueWhitened(_ pixels: NDArray<UInt8>) throws(ConversionError) {
    pixels.withUnsafeBufferPointer { pendingPixels.append(contentsOf: $0) }
    let imageValues = pixels.count
    let perProduct = whitening!.scope == .image ? Self.whitenedImagesPerProduct : 1
    if pendingPixels.count >= perProduct * imageValues { try flushWhitened() }
  }

  mutating func flushWhitened() throws(ConversionError) {
    guard !pendingPixels.isEmpty, let size = imageSize else { return }
    let whitener = Whitener(
      whitening!, width: size.width, height: size.height, channels: options.channels, dtype: dtype,
      layout: options.layout)
    let bytes = pendingPixels.withUnsafeBufferPointer { whitener.bytes(of: $0) }
    try writer.append(bytes, rows: pendingPixels.count / (size.width * size.height * options.channels))
    pendingPixels.removeAll(keepingCapacity: true)
  }

  /// Pass 2 with `--whiten`: fit the matrix to the exact sums, then whiten the cached
  /// pixels (an image per task for channel scope; 256 images per `dgemm` for image scope,
  /// BLAS using the cores).
  mutating func whitenedSecondPass() throws(ConversionError) {
    var sums = covarianceSums!.finished()
    covarianceSums = nil  // `sums` alone holds the D² integers, which the fit frees
    let fitted = try WhiteningMatrix(fitting: &sums, options: options.whitening!)
    whitening = fitted
    let size = imageSize!
    let whitener = Whitener(
      fitted, width: size.width, height: size.height, channels: options.channels, dtype: dtype,
      layout: options.layout)
    let cache = self.cache!
    try cache.flush()
    let total = cache.imageCount
    let perTask = fitted.scope == .image ? Self.whitenedImagesPerProduct : 1
    let tasks = (total + perTask - 1) / perTask
    let writer = self.writer
    let progress = self.progress
    do {
      try orderedParallelMap(
        count: tasks, jobs: fitted.scope == .image ? 1 : options.jobs, window: 4 * options.jobs,
        produce: { t -> (bytes: [UInt8], rows: Int) in
          let range = (t * perTask)..<Swift.min(total, (t + 1) * perTask)
          var pixels: [UInt8] = []
          pixels.reserveCapacity(range.count * cache.imageBytes)
          for i in range { pixels.append(contentsOf: try cache.read(i)) }
          return (pixels.withUnsafeBufferPointer { whitener.bytes(of: $0) }, range.count)
        },
        consume: { t, result in
          try writer.append(result.bytes, rows: result.rows)
          progress?(ConversionProgress(phase: "whitening", done: t * perTask + result.rows, total: total))
        })
    } catch let error as ConversionError {
      writer.abort(); throw error
    } catch {
      writer.abort(); throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
    self.cache = nil
  }
}
