import Foundation
import NDArray
import NPYIO

/// One pass over one shard of a plan: what `normtool shard run` does on a cluster node.
///
/// A task is pure and idempotent: it reads the plan and its images, writes its part under
/// a temporary name (`RUN/parts/.I.x.npy.*.tmp`) renamed to `I.x.npy` when complete, and
/// its marker `I.PASS.json` last. A task killed at any point leaves no marker and no
/// visible part; running it again redoes exactly that shard, and running a finished one
/// again does nothing. The rows it writes are those `normtool convert` writes for the same
/// images (the shard's part is `np.save` of that slice of `x`).
public struct ShardTask {
  /// What a call to ``execute(index:pass:)`` found or did.
  public enum Outcome: Sendable {
    /// The shard's pass was done now.
    case done(ShardMarker)
    /// A valid marker of this plan was already there; nothing was done.
    case alreadyDone(ShardMarker)
  }

  /// The plan.
  public let plan: ShardPlan
  /// The run folder.
  public let run: URL
  /// The conversion options of the plan.
  public let options: ConversionOptions
  /// Decodes and resizes one file.
  public var loader: any ImageLoader

  /// A task of the plan in `run`; `jobs` decoding threads (default: all cores).
  ///
  /// - Throws: ``ConversionError`` when the plan is missing, unreadable or edited.
  public init(run: URL, jobs: Int?, loader: (any ImageLoader)? = nil) throws(ConversionError) {
    self.run = run
    plan = try ShardPlan.read(run: run)
    var options = plan.options
    if let jobs { options.jobs = jobs }
    try options.validate()
    self.options = options
    self.loader = loader ?? PillowImageLoader(options: options)
  }

  /// The pass to run when none is named: `all` for a one-pass plan; `write` once `merge`
  /// has written `RUN/stats.json`, `stats` before.
  public func defaultPass() -> ShardPass {
    if !plan.needsStatisticsPass { return .all }
    return FileManager.default.fileExists(atPath: ShardMerge.url(in: run).path) ? .write : .stats
  }

  /// Runs `pass` of shard `index`.
  ///
  /// - Throws: ``ConversionError`` naming the file (an unreadable image, an image of
  ///   another size, an output that cannot be written) or the mistake (an index out of
  ///   range, a pass this plan does not have, `write` before `merge`). The reason is also
  ///   left in `RUN/parts/I.PASS.failed.json` for `normtool shard status`.
  public func execute(index: Int, pass: ShardPass) throws(ConversionError) -> Outcome {
    guard plan.shards.indices.contains(index) else {
      throw .invalidOptions("shard index \(index) is out of range: the plan has shards 0-\(plan.shards.count - 1)")
    }
    guard plan.passes.contains(pass) else {
      throw .invalidOptions(
        plan.needsStatisticsPass
          ? "--pass all: this plan normalizes with the dataset's statistics; run --pass stats, 'normtool shard merge', then --pass write"
          : "--pass \(pass.rawValue): this plan needs no dataset statistics; run --pass all")
    }
    if let marker = try? ShardParts.marker(in: run, index: index, pass: pass),
      (try? ShardParts.verify(marker, plan: plan, run: run, index: index)) != nil
    {
      return .alreadyDone(marker)
    }
    do {
      let marker = try measureAndWrite(index: index, pass: pass)
      try? FileManager.default.removeItem(at: ShardParts.failureURL(in: run, index: index, pass: pass))
      return .done(marker)
    } catch {
      let failure = ShardFailure(plan: plan.hash, error: error.description)
      try? ShardParts.writeAtomically(
        ShardPlan.canonicalJSON(failure), to: ShardParts.failureURL(in: run, index: index, pass: pass))
      throw error
    }
  }

  /// The statistics `write` and `all` normalize with; nil when none apply.
  func normalizingStatistics(pass: ShardPass) throws(ConversionError) -> (
    NormalizationStatistics?, ShardMergedStatistics?
  ) {
    switch plan.statistics {
    case .fixed(let statistics, _):
      return (statistics, nil)
    case .groups:
      return (nil, nil)
    case .dataset:
      guard pass == .write else { return (nil, nil) }
      let merged = try ShardMerge.read(run: run, plan: plan)
      return (NormalizationStatistics(merged.moments, scope: options.scope), merged)
    }
  }

  private func measureAndWrite(index: Int, pass: ShardPass) throws(ConversionError) -> ShardMarker {
    let started = Date()
    let range = plan.shards[index]
    let (statistics, merged) = try normalizingStatistics(pass: pass)
    // `--whiten`: the write pass whitens with the merged matrix (the all pass with a stats
    // file's saved one); the stats pass sums the covariance of the images it measures.
    let whitener = try whitening(merged: merged, pass: pass)
    let covarianceSums =
      pass == .stats ? options.whitening.map { ShardCovarianceSums($0, channels: options.channels) } : nil
    let splits = plan.dataset.splits
    // The parts: x's rows (write, all; one per split with splits), the resized pixels
    // (stats, keeping pixels) or none.
    let keepsPixels = pass == .stats && plan.keepPixels
    let perSplit = pass != .stats && !splits.isEmpty
    var groupSize: Int?
    if case .groups(let size) = plan.statistics { groupSize = size }
    let normalizer: Normalizer? =
      pass != .stats && groupSize == nil && whitener == nil ? Self.normalizer(options, statistics: statistics) : nil
    let channels = options.channels
    let nhwc = keepsPixels || options.layout == .nhwc
    func part(_ name: String, split: String?) -> ShardPartWriter {
      ShardPartWriter(
        url: ShardParts.folder(in: run).appendingPathComponent(name), split: split,
        dtype: keepsPixels ? options.depth.pixelDType : options.resolvedDType, channels: channels,
        maximumValue: options.depth.maximumValue,
        rowShape: { whitener?.rowShape(height: $0, width: $1) ?? (nhwc ? [$0, $1, channels] : [channels, $0, $1]) })
    }
    /// The parts by split position (one part, at 0, without splits).
    let parts: [ShardPartWriter] =
      perSplit
      ? splits.enumerated().map { part(ShardParts.partName(index: index, splitPosition: $0), split: $1) }
      : pass != .stats || keepsPixels
        ? [part(pass == .stats ? ShardParts.pixelsName(index: index) : ShardParts.partName(index: index), split: nil)]
        : []
    for part in parts { part.removeStaleTemporaries() }
    let position = Dictionary(splits.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    func partOf(entry: Int) -> ShardPartWriter? {
      perSplit ? parts[position[plan.dataset.entries[entry].split ?? ""] ?? 0] : parts.first
    }
    // The write pass normalizes with the measured images' statistics: of their size.
    if let merged {
      let measured =
        perSplit ? plan.dataset.trainingSplit.flatMap { position[$0] }.map { parts[$0] } : parts.first
      measured?.size = (merged.height, merged.width)
    }
    var moments = PixelMoments(channels: channels, maximumValue: options.depth.maximumValue)
    let describes = pass == plan.factsPass
    var facts: [Int: ShardImageFacts] = [:]
    // `--on-error skip`: the images left out, by entry; the write pass starts from those its
    // stats pass left out (it measured without them).
    var skipped = try earlierSkipped(index: index, pass: pass)
    var measuredSize: (height: Int, width: Int)?
    do {
      if pass == .write && plan.keepPixels, let merged, normalizer != nil || whitener != nil {
        let depth = options.depth
        try readKeptPixels(index: index, size: (merged.height, merged.width), skipped: Set(skipped.keys)) {
          entry, pixels in
          let part = partOf(entry: entry)!
          if let whitener {
            try whitener.append(
              pixels, file: plan.files[entry], height: merged.height, width: merged.width,
              expected: (merged.height, merged.width), to: part)
            return
          }
          let bytes = LoadedPixels.normalized(cached: pixels, depth: depth, by: normalizer!)
          try bytes.withUnsafeBytes { try part.append($0, height: merged.height, width: merged.width) }
        }
      } else {
        // The stats pass of a plan with splits decodes the training split's images only
        // (all of them when it keeps their pixels, which the write pass reads).
        let entries = (range.start..<range.end).filter {
          (pass != .stats || keepsPixels || plan.isMeasured(entry: $0)) && skipped[$0] == nil
        }
        let measures = entries.map { pass == .all || (pass == .stats && plan.isMeasured(entry: $0)) }
        // `--stats image|batch:N`: each group's images, normalized once it is complete.
        var group: [(image: LoadedImage, part: ShardPartWriter?)] = []
        func flushGroup() throws {
          guard let first = group.first else { return }
          var moments = PixelMoments(channels: channels, maximumValue: options.depth.maximumValue)
          for member in group { moments.merge(member.image.moments!) }
          first.part?.groups.append(moments)
          let normalizer = Self.normalizer(options, statistics: NormalizationStatistics(moments, scope: options.scope))
          for member in group {
            let bytes = member.image.pixels.normalized(by: normalizer)
            try bytes.withUnsafeBytes {
              try member.part?.append($0, height: member.image.height, width: member.image.width)
            }
          }
          group.removeAll()
        }
        // What the decoding threads make of each image: normalized or (channel scope)
        // whitened bytes.
        var workerBytes: (@Sendable (LoadedImage) -> [UInt8])? = whitener?.inWorker
        if let normalizer { workerBytes = { $0.pixels.normalized(by: normalizer) } }
        try decode(
          entries, measures: measures, keepsPixels: keepsPixels || whitener != nil,
          transform: workerBytes,
          ownStatistics: groupSize == 1, describe: describes,
          skip: { entry, file, reason in
            // The write pass may not lose an image its stats pass measured.
            guard options.onError == .skip, pass != .write || !plan.isMeasured(entry: entry) else {
              throw ConversionError.unreadableImage(file: file, reason: reason)
            }
            skipped[entry] = reason
          }
        ) {
          entry, file, image, bytes in
          if describes { facts[entry] = ShardImageFacts(image) }
          let part = partOf(entry: entry)
          try part?.check(file: file, height: image.height, width: image.width)
          if let measured = image.moments {
            try ShardPartWriter.check(file: file, height: image.height, width: image.width, against: &measuredSize)
            moments.merge(measured)
            part?.moments.merge(measured)
            try covarianceSums?.add(image.pixels, height: image.height, width: image.width)
          }
          if groupSize == 1, let measured = image.moments { part?.groups.append(measured) }
          if let groupSize, groupSize > 1 {
            group.append((image, part))
            if group.count == groupSize { try flushGroup() }
          } else if let bytes, let part, let whitener, whitener.inWorker == nil {
            try whitener.append(
              bytes, file: file, height: image.height, width: image.width,
              expected: merged.map { ($0.height, $0.width) }, to: part)
          } else if let bytes, let part {
            try bytes.withUnsafeBytes { try part.append($0, height: image.height, width: image.width) }
          }
        }
        try flushGroup()
      }
      try whitener?.finish()
      for part in parts { try part.finish() }
    } catch let error as ConversionError {
      for part in parts { part.abort() }
      throw error
    } catch {
      for part in parts { part.abort() }
      throw .output(
        path: parts.first?.url.path ?? ShardParts.folder(in: run).path, reason: FileSystemReason.text(of: error))
    }
    let measures = pass != .write
    let momentsChecksum = measures ? ShardMarker.checksum(of: moments) : nil
    let size = measuredSize ?? parts.first(where: \.isWritten)?.size ?? merged.map { ($0.height, $0.width) }
    var marker = ShardMarker(
      plan: plan.hash, index: index, pass: pass, images: range.count,
      height: size?.height ?? 0, width: size?.width ?? 0, moments: measures ? moments : nil,
      part: nil, partBytes: nil, checksum: momentsChecksum ?? "", momentsChecksum: momentsChecksum,
      peakRSSBytes: Self.peakResidentBytes(), seconds: 0)
    if perSplit {
      var written: [ShardSplitPart] = []
      for part in parts where part.isWritten {
        written.append(
          ShardSplitPart(
            split: part.split!, part: part.name, rows: part.rows, partBytes: DatasetWriter.size(of: part.url),
            checksum: ShardParts.hex(try ShardParts.crc32(ofFile: part.url)),
            moments: pass == .all ? part.moments : nil, groups: groupSize == nil ? nil : part.groups))
      }
      marker.splits = written
      marker.checksum = ShardParts.hex(ShardParts.crc32(of: ShardPlan.canonicalJSON(written)))
    } else if let part = parts.first, part.isWritten {
      if groupSize != nil { marker.groups = part.groups }
      marker.part = part.name
      marker.partBytes = DatasetWriter.size(of: part.url)
      marker.checksum = ShardParts.hex(try ShardParts.crc32(ofFile: part.url))
    }
    marker.covariance = try covarianceSums?.finish(
      to: ShardParts.folder(in: run).appendingPathComponent(ShardCovariance.partName(index: index)))
    if !skipped.isEmpty {
      marker.skipped = skipped.keys.sorted().map { ShardSkippedImage(entry: $0, reason: skipped[$0]!) }
    }
    if describes {
      let ordered = (range.start..<range.end).map { skipped[$0].map(ShardImageFacts.init(skipped:)) ?? facts[$0]! }
      marker.factsChecksum = try ShardImageFacts.write(ordered, run: run, index: index)
    }
    marker.peakRSSBytes = Self.peakResidentBytes()
    marker.seconds = Date().timeIntervalSince(started)
    try ShardParts.writeAtomically(
      ShardPlan.canonicalJSON(marker), to: ShardParts.markerURL(in: run, index: index, pass: pass))
    return marker
  }

  /// Decodes the plan's `entries` on ``ConversionOptions/jobs`` threads (measuring those
  /// `measures` marks) and hands each, in order, to `consume` with the bytes for the part:
  /// made by `transform` on the decoding thread (normalized, or whitened pixel by pixel), by
  /// the image's own statistics when `ownStatistics` (`--stats image`), the raw pixels when
  /// `keepsPixels`, or nil.
  private func decode(
    _ entries: [Int], measures: [Bool], keepsPixels: Bool, transform: (@Sendable (LoadedImage) -> [UInt8])?,
    ownStatistics: Bool = false,
    describe: Bool = false, skip: (Int, String, String) throws -> Void,
    consume: (Int, String, LoadedImage, [UInt8]?) throws -> Void
  ) throws {
    let folder = URL(fileURLWithPath: plan.folder)
    let files = plan.files
    let loader = self.loader, channels = options.channels, channelOrder = options.channelOrder
    let depth = options.depth, options = self.options
    try orderedParallelMap(
      count: entries.count, jobs: options.jobs, window: 4 * options.jobs,
      produce: { k -> (LoadResult, [UInt8]?) in
        let file = files[entries[k]]
        let result = LoadResult.load(
          folder.appendingPathComponent(file), name: file, loader: loader, channels: channels,
          depth: depth, channelOrder: channelOrder, computeMoments: measures[k], describe: describe)
        guard case .loaded(let image) = result else { return (result, nil) }
        if let transform { return (result, transform(image)) }
        if ownStatistics, let moments = image.moments {
          let own = Self.normalizer(options, statistics: NormalizationStatistics(moments, scope: options.scope))
          return (result, image.pixels.normalized(by: own))
        }
        return (result, keepsPixels ? image.pixels.withUnsafeRawBytes { Array($0) } : nil)
      },
      consume: { k, produced in
        let file = files[entries[k]]
        switch produced.0 {
        case .failed(let reason): try skip(entries[k], file, reason)
        case .loaded(let image): try consume(entries[k], file, image, produced.1)
        }
      })
  }

  /// The normalizer of `options` with `statistics` (ignored when the normalization uses
  /// none), as `normtool convert` builds it.
  static func normalizer(_ options: ConversionOptions, statistics: NormalizationStatistics?) -> Normalizer {
    Normalizer(
      mode: options.normalization, statistics: options.normalization.usesStatistics ? statistics : nil,
      channels: options.channels, dtype: options.resolvedDType, layout: options.layout, depth: options.depth,
      scale: options.valueScale, arithmetic: options.arithmetic)
  }

  /// The images shard `index`'s `stats` pass left out (`--on-error skip`), by entry, when
  /// `pass` is `write`; none otherwise.
  private func earlierSkipped(index: Int, pass: ShardPass) throws(ConversionError) -> [Int: String] {
    guard pass == .write, options.onError == .skip else { return [:] }
    guard let marker = try ShardParts.marker(in: run, index: index, pass: .stats) else {
      throw .statisticsFile(
        path: ShardParts.markerURL(in: run, index: index, pass: .stats).path,
        reason: "shard \(index) has no stats part; run --pass stats for it, then 'normtool shard merge'")
    }
    return Dictionary((marker.skipped ?? []).map { ($0.entry, $0.reason) }, uniquingKeysWith: { first, _ in first })
  }

  /// `--whiten`: the `write` pass's whitener with the merged matrix, or the `all` pass's
  /// with a stats file's saved one; nil otherwise (and for the `stats` pass).
  private func whitening(merged: ShardMergedStatistics?, pass: ShardPass) throws(ConversionError) -> ShardWhitening? {
    guard pass != .stats, let matrix = try ShardCovariance.whitening(run: run, plan: plan, merged: merged) else {
      return nil
    }
    var statsFile: String?
    if case .file(let path) = options.statistics { statsFile = path }
    return ShardWhitening(matrix, options: options, statsFile: statsFile)
  }

  /// Reads the pixels the `stats` pass kept (`RUN/parts/I.pixels.npy`: those of the entries
  /// not `skipped`), handing each image's raw bytes to `each` in order, with its entry's
  /// index in the plan.
  private func readKeptPixels(
    index: Int, size: (height: Int, width: Int), skipped: Set<Int>, each: (Int, [UInt8]) throws -> Void
  ) throws {
    let url = ShardParts.folder(in: run).appendingPathComponent(ShardParts.pixelsName(index: index))
    let range = plan.shards[index]
    let kept = (range.start..<range.end).filter { !skipped.contains($0) }
    if kept.isEmpty { return }  // the stats pass kept no pixels: every image was left out
    let expected = [kept.count, size.height, size.width, options.channels]
    let depth = options.depth
    guard let header = try? NPY.readHeader(at: url), header.shape == expected,
      header.descr == NPYDataType.numeric(depth.pixelDType, .little).descr
    else {
      throw ConversionError.statisticsFile(
        path: url.path,
        reason:
          "shard \(index): the kept pixels are missing or not \(expected) \(depth.pixelDType.rawValue); re-run --pass stats for shard \(index)"
      )
    }
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(header.dataOffset))
    let imageBytes = size.height * size.width * options.channels * depth.bytesPerSample
    for entry in kept {
      guard let pixels = try handle.read(upToCount: imageBytes), pixels.count == imageBytes else {
        throw ConversionError.statisticsFile(path: url.path, reason: "shard \(index): the kept pixels end early")
      }
      try each(entry, [UInt8](pixels))
    }
  }

  /// The process's peak resident set size in bytes (`getrusage`; Linux reports KiB).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) * 1024
  }
}
