import Foundation
import NDArray

/// The state of one ``DatasetConverter/convert(folder:to:progress:)`` call.
struct ConversionRun {
  /// When the statistics are known, and so who normalizes.
  enum Plan {
    /// `--stats dataset` with a mode that needs it: pass 1 caches pixels, pass 2 normalizes.
    case twoPass
    /// Statistics known before the first image (or not needed): workers normalize.
    case fixed(NormalizationStatistics?)
    /// Each image normalized with its own statistics, by its worker.
    case perImage
    /// Each run of `size` images normalized with the run's statistics.
    case batch(size: Int)
  }

  let options: ConversionOptions
  let converter: DatasetConverter
  /// The images of the plan (or of one split), labeled by the class order in force.
  let folder: ImageFolder
  /// Every image's class indices (``PlanEntry/labels``), by index into `folder.files`.
  let labelRows: [[Int]]
  /// How `y` is written.
  let labelMode: LabelMode
  let output: URL
  let progress: ((ConversionProgress) -> Void)?
  let writer: DatasetWriter
  /// Every output of the run (dataset, `--save-stats`), renamed into place together.
  let transaction: OutputTransaction
  let plan: Plan
  let dtype: DType
  /// For sample, imagenet and file sources: the statistics and how many images they cover.
  var fixedStatistics: NormalizationStatistics?
  var fixedImages = 0

  var keptFiles: [String] = []
  /// Indices into `folder.files` of the images written, in order.
  var keptIndices: [Int] = []
  var skipped: [SkippedImage] = []
  var imageSize: (width: Int, height: Int)?
  var datasetMoments: PixelMoments
  var groupStatistics: [NormalizationStatistics] = []
  var cache: PixelCache?
  var batch: [LoadedImage] = []
  /// `--whiten`: the matrix (read from the stats file, or fitted after pass 1), the exact
  /// covariance sums of pass 1, and images waiting for one BLAS product (`--stats FILE`).
  var whitening: WhiteningMatrix?
  var covarianceSums: ImageCovarianceSums?
  var pendingPixels: [UInt8] = []
  /// The split this run writes, nil without splits.
  let split: String?
  /// Whether ``execute()`` kept no image because `--dedupe keep-first` dropped every one
  /// (a split whose images all copy an earlier split's); there is nothing to finish.
  var isAllDropped: Bool { keptFiles.isEmpty && !dropped.isEmpty }
  /// Duplicates among the images, in file order (with splits: of every split run so far).
  var duplicateFinder = DuplicateFinder()
  /// Duplicates left out by `--dedupe keep-first`.
  var dropped: [String] = []
  /// The facts of the written images, for the printed and stored summary (with splits: of
  /// every split run so far; the caller carries it from one split's run to the next).
  var summary: DatasetSummary

  /// A run over `folder` (already labeled by the plan) writing `output`, staged in
  /// `transaction` (the caller commits it). `trained`: the statistics of the training split
  /// and the images they cover, which normalize this split instead of its own
  /// (`--stats dataset` or `sample:K` with `--split`); `trainedWhitening`: the training split's
  /// matrix, which whitens this split (`--whiten` with `--split`). With a `split`, the caller
  /// stages the side files (summary, duplicates, exports) once for all splits; without,
  /// ``finish(seconds:)`` stages them.
  init(
    converter: DatasetConverter, folder: ImageFolder, labelRows: [[Int]], labelMode: LabelMode,
    output: URL, transaction: OutputTransaction, split: String? = nil,
    trained: (NormalizationStatistics, images: Int)? = nil, trainedWhitening: WhiteningMatrix? = nil,
    progress: ((ConversionProgress) -> Void)?
  ) throws(ConversionError) {
    self.converter = converter
    self.options = converter.options
    self.output = output
    self.progress = progress
    self.dtype = options.resolvedDType
    self.datasetMoments = PixelMoments(channels: options.channels, maximumValue: options.depth.maximumValue)
    self.labelRows = labelRows
    self.labelMode = labelMode
    // Stage the output before anything is read or decoded (its path passed OutputPathCheck).
    self.transaction = transaction
    writer = try DatasetWriter(output: output, compress: options.compress, transaction: transaction)
    var statisticsFile: StatisticsReport?
    if case .file(let path) = options.statistics {
      let file = try StatisticsReport.read(from: URL(fileURLWithPath: path))
      try ConversionRun.check(file, path: path, options: options)
      statisticsFile = file
    }
    self.folder = folder
    self.split = split
    self.summary = DatasetSummary(classes: folder.classes)
    self.summary.keptSixteenBit = options.depth == .sixteen
    let mode = options.normalization
    switch options.statistics {
    case .dataset where trained != nil && mode.usesStatistics, .sample where trained != nil:
      fixedStatistics = trained!.0
      fixedImages = trained!.images
      whitening = trainedWhitening
      plan = .fixed(fixedStatistics)
    case .dataset:
      plan = mode.usesStatistics ? .twoPass : .fixed(nil)
    case .image:
      plan = .perImage
    case .batch(let size):
      plan = .batch(size: size)
    case .imagenet:
      fixedStatistics = .imagenet(channels: options.channels, scope: options.scope)
      plan = .fixed(fixedStatistics)
    case .given(let given):
      fixedStatistics = given
      plan = .fixed(given)
    case .file(let path):
      if let whiten = options.whitening {
        whitening = try ConversionRun.whitening(whiten, from: statisticsFile!, path: path)
      }
      fixedStatistics = statisticsFile!.statistics
      fixedImages = statisticsFile!.images
      plan = .fixed(fixedStatistics)
    case .sample(let k):
      let folder = self.folder
      let indices = SampleSelection.indices(count: folder.files.count, k: k, seed: options.seed)
      let (moments, used, _) = try converter.measure(folder, indices: indices, phase: "sampling", progress: progress)
      if used == 0 { throw .allImagesSkipped(folder: folder.root.path, skipped: indices.count) }
      fixedStatistics = NormalizationStatistics(moments, scope: options.scope)
      fixedImages = used
      plan = .fixed(fixedStatistics)
    }
  }

  /// Whether a statistics file fits the images and options: its scope (when it says), the
  /// number of entries, its channels (when it says), min and max for minmax.
  static func check(_ file: StatisticsReport, path: String, options: ConversionOptions) throws(ConversionError) {
    if let scope = file.scope, scope != options.scope {
      throw .statisticsFile(
        path: path,
        reason:
          "expected --scope \(options.scope.rawValue) statistics, found \(scope.rawValue) (convert with --scope \(scope.rawValue))"
      )
    }
    let entries = options.scope == .global ? 1 : options.channels
    let found = file.statistics.entries
    if (file.channels ?? options.channels) != options.channels || found != entries {
      let hint =
        file.scope == nil && found == 1 && entries != 1
        ? " (for one statistic over all channels use --scope global)" : ""
      throw .statisticsFile(
        path: path,
        reason:
          "expected statistics of \(options.channels)-channel images (\(entries) entries for --scope \(options.scope.rawValue)), found \(file.channels.map { "\($0) channels, " } ?? "")\(found) entries\(hint)"
      )
    }
    let preset = file.preset.map { " (preset \($0))" } ?? ""
    if let order = file.channelOrder, order != options.channelOrder {
      throw .statisticsFile(
        path: path,
        reason:
          "its statistics are of \(order.rawValue.uppercased()) images\(preset), these would be \(options.channelOrder.rawValue.uppercased()); convert with --channel-order \(order.rawValue)"
      )
    }
    if let scale = file.valueScale, scale != options.valueScale {
      throw .statisticsFile(
        path: path,
        reason:
          "its statistics normalized values on the \(scale.rawValue) scale\(preset), this run's are on the \(options.valueScale.rawValue) scale; convert with --scale \(scale.rawValue)"
      )
    }
    if options.normalization == .minmax && (file.statistics.minimum == nil || file.statistics.maximum == nil) {
      throw .statisticsFile(path: path, reason: "--normalize minmax needs min and max, the file has none")
    }
  }

  func normalizer(_ statistics: NormalizationStatistics?) -> Normalizer {
    Normalizer(
      mode: options.normalization,
      statistics: options.normalization.usesStatistics ? statistics : nil,
      channels: options.channels, dtype: dtype, layout: options.layout, depth: options.depth,
      scale: options.valueScale, arithmetic: options.arithmetic)
  }

  /// How many results may wait between the workers and the writer: 4 per thread, or as
  /// many as 32 MiB holds (at most 4096) when they are small, so that small images are
  /// handed over in chunks rather than one by one.
  static func window(itemBytes: Int, jobs: Int) -> Int {
    Swift.max(4 * jobs, Swift.min(4096, (32 << 20) / Swift.max(1, itemBytes)))
  }

  // MARK: Pass 1: decode, resize, measure, and write or cache

  mutating func execute() throws(ConversionError) {
    let files = folder.files
    let folder = self.folder
    let loader = converter.loader
    let channels = options.channels
    let channelOrder = options.channelOrder
    let scope = options.scope
    let workerNormalizer: Normalizer?
    var perImage = false
    switch plan {
    case .fixed(let statistics): workerNormalizer = options.whitening == nil ? normalizer(statistics) : nil
    case .perImage: workerNormalizer = nil; perImage = true
    case .twoPass, .batch: workerNormalizer = nil
    }
    let mode = options.normalization, dtype = self.dtype, layout = options.layout, depth = options.depth
    let scale = options.valueScale, arithmetic = options.arithmetic
    let normalizeInWorker = perImage
    do {
      try orderedParallelMap(
        count: files.count, jobs: options.jobs, window: 4 * options.jobs,
        resizeWindow: { [jobs = options.jobs] first in Self.window(itemBytes: first.byteCount, jobs: jobs) },
        produce: { i -> LoadResult in
          let result = LoadResult.load(
            folder.url(of: files[i]), name: files[i].relativePath,
            loader: loader, channels: channels, depth: depth, channelOrder: channelOrder, computeMoments: true,
            describe: true)
          guard case .loaded(var image) = result else { return result }
          if let workerNormalizer {
            image.normalized = image.pixels.normalized(by: workerNormalizer)
          } else if normalizeInWorker {
            let statistics = NormalizationStatistics(image.moments!, scope: scope)
            image.statistics = statistics
            image.normalized = image.pixels.normalized(
              by: Normalizer(
                mode: mode, statistics: statistics, channels: channels,
                dtype: dtype, layout: layout, depth: depth, scale: scale, arithmetic: arithmetic))
          }
          return .loaded(image)
        },
        consume: { i, result in try self.accept(result, file: files[i], index: i) })
    } catch let error as ConversionError {
      writer.abort(); throw error
    } catch {
      writer.abort(); throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
    if case .batch = plan { try flushBatch() }
    if case .fixed = plan, whitening != nil { try flushWhitened() }
    if keptFiles.isEmpty {
      writer.abort()
      // One split of a run whose every image copies an earlier split's: the caller writes
      // nothing for it (``isAllDropped``).
      if split != nil && !dropped.isEmpty { return }
      throw .allImagesSkipped(folder: folder.root.path, skipped: skipped.count)
    }
    if case .twoPass = plan { try secondPass() }
  }

  mutating func accept(_ result: LoadResult, file: ImageFile, index: Int) throws(ConversionError) {
    defer { progress?(ConversionProgress(phase: "reading", done: index + 1, total: folder.files.count)) }
    let image: LoadedImage
    switch result {
    case .failed(let reason):
      try skip(file, reason: reason, error: .unreadableImage(file: file.relativePath, reason: reason))
      return
    case .loaded(let loaded):
      image = loaded
    }
    if let size = imageSize, size.width != image.width || size.height != image.height {
      let expected = options.size.map { ($0.width, $0.height) } ?? size
      let error = ConversionError.sizeMismatch(
        file: file.relativePath, width: image.width, height: image.height,
        expectedWidth: expected.0, expectedHeight: expected.1)
      let reason = "expected \(expected.0)x\(expected.1) like the first image, found \(image.width)x\(image.height)"
      try skip(file, reason: reason, error: error)
      return
    }
    if let pixelHash = image.pixelHash,
      let duplicate = duplicateFinder.check(
        file: file.relativePath, split: split, fileHash: image.fileHash, pixelHash: pixelHash,
        drop: options.dedupe == .keepFirst),
      duplicate.dropped
    {
      dropped.append(file.relativePath)
      return
    }
    summary.add(image.info, label: file.label, split: split)
    if imageSize == nil {
      imageSize = (image.width, image.height)
      let c = options.channels, h = image.height, w = image.width
      var rowShape = options.layout == .nhwc ? [h, w, c] : [c, h, w]
      if options.whitening != nil { rowShape = try startWhitening(width: w, height: h) }
      try writer.start(dtype: dtype, rowShape: rowShape, expectedRows: folder.files.count)
      if case .twoPass = plan {
        cache = try PixelCache(
          url: writer.scratchURL("pixels"), imageBytes: h * w * c * options.depth.bytesPerSample,
          expectedImages: folder.files.count)
      }
    }
    datasetMoments.merge(image.moments!)
    keptFiles.append(file.relativePath)
    keptIndices.append(index)
    switch plan {
    case .twoPass:
      let cache = self.cache!
      let failure = image.pixels.withUnsafeRawBytes { raw -> ConversionError? in
        do throws(ConversionError) { try cache.append(raw); return nil } catch { return error }
      }
      if let failure { throw failure }
      // Whitening is 8-bit only (ConversionOptions.validate refuses it with --depth 16).
      if covarianceSums != nil, case .eight(let pixels) = image.pixels { covarianceSums!.add(pixels) }
    case .fixed where whitening != nil:
      guard case .eight(let pixels) = image.pixels else { preconditionFailure("--whiten with --depth 16") }
      try queueWhitened(pixels)
    case .fixed:
      try writer.append(image.normalized!)
    case .perImage:
      groupStatistics.append(image.statistics!)
      try writer.append(image.normalized!)
    case .batch(let size):
      batch.append(image)
      if batch.count == size { try flushBatch() }
    }
  }

  mutating func skip(_ file: ImageFile, reason: String, error: ConversionError) throws(ConversionError) {
    if options.onError == .fail { throw error }
    skipped.append(SkippedImage(file: file.relativePath, reason: reason))
  }

  mutating func flushBatch() throws(ConversionError) {
    if batch.isEmpty { return }
    var moments = PixelMoments(channels: options.channels, maximumValue: options.depth.maximumValue)
    for image in batch { moments.merge(image.moments!) }
    let statistics = NormalizationStatistics(moments, scope: options.scope)
    groupStatistics.append(statistics)
    let normalizer = normalizer(statistics)
    for image in batch { try writer.append(image.pixels.normalized(by: normalizer)) }
    batch.removeAll(keepingCapacity: true)
  }

  // MARK: Pass 2: normalize the cached pixels with the dataset statistics

  mutating func secondPass() throws(ConversionError) {
    if options.whitening != nil { return try whitenedSecondPass() }
    let statistics = NormalizationStatistics(datasetMoments, scope: options.scope)
    let normalizer = normalizer(statistics)
    let cache = self.cache!
    try cache.flush()
    let total = cache.imageCount
    let writer = self.writer
    let progress = self.progress
    let depth = options.depth
    do {
      try orderedParallelMap(
        count: total, jobs: options.jobs,
        window: Self.window(
          itemBytes: cache.imageBytes * (1 + dtype.itemSize / depth.bytesPerSample), jobs: options.jobs),
        produce: { i -> [UInt8] in
          LoadedPixels.normalized(cached: try cache.read(i), depth: depth, by: normalizer)
        },
        consume: { i, bytes in
          try writer.append(bytes)
          progress?(ConversionProgress(phase: "writing", done: i + 1, total: total))
        })
    } catch let error as ConversionError {
      writer.abort(); throw error
    } catch {
      writer.abort(); throw .output(path: output.path, reason: FileSystemReason.text(of: error))
    }
    self.cache = nil
  }

  // MARK: Finish: the other members and stats.json (the caller commits the transaction)

  mutating func finish(seconds: Double) throws(ConversionError) -> ConversionReport {
    let datasetStatistics = NormalizationStatistics(datasetMoments, scope: options.scope)
    let usesStatistics = options.normalization.usesStatistics
    // What normalized x: nothing (none, scale), each image's or batch's own (the members
    // hold them all; the file the dataset's), or one set for the whole dataset.
    let applied: NormalizationStatistics
    let images: Int
    let appliedAsOne: Bool
    switch plan {
    case _ where whitening != nil:
      // Whitened: the matrix and its mean did the work; the report keeps the statistics.
      applied = fixedStatistics ?? datasetStatistics
      images = fixedStatistics == nil ? keptFiles.count : fixedImages
      appliedAsOne = false
    case .fixed where fixedStatistics != nil && usesStatistics:
      applied = fixedStatistics!; images = fixedImages; appliedAsOne = true
    case .perImage, .batch:
      applied = datasetStatistics; images = keptFiles.count; appliedAsOne = false
    default:
      applied = datasetStatistics; images = keptFiles.count; appliedAsOne = usesStatistics
    }
    let entries = applied.entries
    var mean: NDArray<Double>?, std: NDArray<Double>?
    if usesStatistics && whitening == nil {
      switch plan {
      case .perImage, .batch:
        mean = NDArray(groupStatistics.flatMap(\.mean), shape: [groupStatistics.count, entries])
        std = NDArray(groupStatistics.flatMap(\.std), shape: [groupStatistics.count, entries])
      default:
        mean = NDArray(applied.mean)
        std = NDArray(applied.std)
      }
    }
    var file = StatisticsReport(
      statistics: applied, scope: options.scope, channels: options.channels,
      images: images, applied: appliedAsOne, classes: folder.classes,
      options: optionsRecord())
    file.recordTreatment(of: options)
    // A directory's stats.json names its own whitening.npy; --save-stats its sidecar .npz
    // (stageSavedStatistics).
    file.whitening = whitening?.record(file: WhiteningMatrix.memberNames[0] + ".npy")
    let members = DatasetMembers(
      labels: LabelArray(keptIndices.map { labelRows[$0] }, classes: folder.classes.count, mode: labelMode),
      classes: folder.classes, files: keptFiles,
      skipped: skipped.map(\.file), dropped: dropped, mean: mean, std: std, statistics: file, whitening: whitening)
    let bytes = try writer.finish(members)
    let c = options.channels, size = imageSize!
    summary.duplicates = duplicateFinder.duplicates
    summary.skipped += skipped
    summary.ignored = folder.ignored
    if split == nil {
      summary.noteExports(options.exports)
      try stageSideFiles(exports: exportContext(statistics: applied))
    }
    let shape =
      options.layout == .nhwc
      ? [keptFiles.count, size.height, size.width, c]
      : [keptFiles.count, c, size.height, size.width]
    let source: String
    switch options.statistics {
    case _ where whitening != nil:
      let w = whitening!
      source =
        "whitened: --whiten \(w.method.rawValue) --whiten-scope \(w.scope.rawValue), epsilon \(w.epsilon), \(w.dimension)x\(w.dimension) covariance of \(w.vectors) \(w.scope == .image ? "images" : "pixels") (\(options.statistics.description))"
    case _ where !usesStatistics: source = "not applied (--normalize \(options.normalization.rawValue))"
    case .image, .batch:
      source = "dataset (each \(options.statistics == .image ? "image" : "batch") normalized with its own)"
    case .given: source = options.preset.map { "preset \($0)" } ?? "--mean/--std"
    default: source = options.statistics.description
    }
    return ConversionReport(
      output: output, images: keptFiles.count, classes: folder.classes,
      skipped: skipped, ignored: folder.ignored.count, shape: shape, dtype: dtype,
      outputBytes: bytes, seconds: seconds, statisticsApplied: usesStatistics && whitening == nil,
      statisticsSource: source, statisticsReport: file, summary: summary,
      exportFiles: split != nil
        ? [] : options.exports.map { (sideFiles.exportFolder ?? output).appendingPathComponent($0.fileName) })
  }

  var sideFiles: SideFiles { SideFiles(output: output, exports: !options.exports.isEmpty) }

  /// What the exports describe: this run's image size and `statistics`.
  func exportContext(statistics: NormalizationStatistics) -> ExportContext {
    ExportContext(
      options: options, width: imageSize!.width, height: imageSize!.height, statistics: statistics,
      classes: folder.classes)
  }

  /// Stages the summary, `duplicates.csv` and the `--export` files (see ``SideFiles``).
  func stageSideFiles(exports: ExportContext) throws(ConversionError) {
    let side = sideFiles
    let exportFiles = options.exports.map { ($0.fileName, Data(exports.render($0).utf8)) }
    if let summaryURL = side.summary, let duplicatesURL = side.duplicates {
      try transaction.stage(summary.encoded(), at: summaryURL)
      try transaction.stage(DuplicatesTable.encoded(summary.duplicates), at: duplicatesURL)
    } else {
      try writer.writeMember(SideFiles.summaryName, summary.encoded())
      try writer.writeMember(SideFiles.duplicatesName, DuplicatesTable.encoded(summary.duplicates))
    }
    guard !exportFiles.isEmpty else { return }
    if let folder = side.exportFolder {
      let staged = try transaction.stage(folder, directory: true)
      for (name, data) in exportFiles {
        do { try data.write(to: staged.appendingPathComponent(name), options: .withoutOverwriting) } catch {
          throw .output(path: folder.path, reason: FileSystemReason.text(of: error))
        }
      }
    } else {
      for (name, data) in exportFiles { try writer.writeMember(name, data) }
    }
  }

  /// Removes every temporary file and staged output; existing outputs stay as they were.
  func abort() {
    writer.abort()
    transaction.abort()
  }

  func optionsRecord() -> [String: String] { options.record(folder: folder.root.path) }

  /// Stages `--save-stats` in `transaction`: the statistics file, and with `--whiten` its
  /// whitening arrays in the sidecar `.npz` it names (``ConversionOptions/whiteningSidecar``).
  func stageSavedStatistics(_ report: StatisticsReport, transaction: OutputTransaction) throws(ConversionError) {
    try Self.stageSavedStatistics(report, whitening: whitening, options: options, transaction: transaction)
  }

  /// ``stageSavedStatistics(_:transaction:)`` of a run whose matrix is `whitening` (with
  /// `--split`: the training split's).
  static func stageSavedStatistics(
    _ report: StatisticsReport, whitening: WhiteningMatrix?, options: ConversionOptions,
    transaction: OutputTransaction
  ) throws(ConversionError) {
    guard let url = options.saveStatisticsTo else { return }
    var file = report
    if let whitening, let sidecar = options.whiteningSidecar {
      file.whitening = whitening.record(file: sidecar.lastPathComponent)
      let staged = try transaction.stage(sidecar)
      do { try whitening.write(to: staged) } catch {
        throw .output(path: sidecar.path, reason: FileSystemReason.text(of: error))
      }
    }
    try transaction.stage(try file.encoded(), at: url)
  }
}
