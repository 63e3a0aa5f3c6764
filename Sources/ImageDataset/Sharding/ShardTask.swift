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
    options = try plan.options.conversionOptions(classes: nil, jobs: jobs)
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
    let writes = pass != .stats
    let measures = pass != .write
    let normalizer: Normalizer? =
      writes
      ? Normalizer(
        mode: options.normalization, statistics: options.normalization.usesStatistics ? statistics : nil,
        channels: options.channels, dtype: options.resolvedDType, layout: options.layout) : nil
    let partURL = ShardParts.folder(in: run).appendingPathComponent(ShardParts.partName(index: index))
    if writes { removeStaleTemporaries(of: partURL) }
    var writer: NPYStreamWriter?
    var moments = PixelMoments(channels: options.channels)
    var size = merged.map { (height: $0.height, width: $0.width) }
    let folder = URL(fileURLWithPath: plan.folder)
    let files = plan.files
    let loader = self.loader, channels = options.channels
    do {
      try orderedParallelMap(
        count: range.count, jobs: options.jobs, window: 4 * options.jobs,
        produce: { k -> (LoadResult, [UInt8]?) in
          let file = files[range.start + k]
          let result = LoadResult.load(
            folder.appendingPathComponent(file), name: file, loader: loader, channels: channels,
            computeMoments: measures)
          guard case .loaded(let image) = result, let normalizer else { return (result, nil) }
          return (result, normalizer.bytes(of: image.pixels))
        },
        consume: { k, produced in
          let file = files[range.start + k]
          guard case .loaded(let image) = produced.0 else {
            if case .failed(let reason) = produced.0 {
              throw ConversionError.unreadableImage(file: file, reason: reason)
            }
            return
          }
          if let expected = size, expected.height != image.height || expected.width != image.width {
            throw ConversionError.sizeMismatch(
              file: file, width: image.width, height: image.height,
              expectedWidth: expected.width, expectedHeight: expected.height)
          }
          size = (image.height, image.width)
          if let measured = image.moments { moments.merge(measured) }
          guard let bytes = produced.1 else { return }
          if writer == nil {
            let rowShape =
              options.layout == .nhwc ? [image.height, image.width, channels] : [channels, image.height, image.width]
            writer = try NPYStreamWriter(url: partURL, dtype: options.resolvedDType, rowShape: rowShape)
          }
          try bytes.withUnsafeBytes { try writer!.append(rawBytes: $0, rowCount: 1) }
        })
      try writer?.finish()
    } catch let error as ConversionError {
      writer?.abort()
      throw error
    } catch {
      writer?.abort()
      throw .output(path: partURL.path, reason: FileSystemReason.text(of: error))
    }
    let checksum: String
    var partBytes: Int?
    if writes {
      checksum = ShardParts.hex(try ShardParts.crc32(ofFile: partURL))
      partBytes = DatasetWriter.size(of: partURL)
    } else {
      checksum = ShardMarker.checksum(of: moments)
    }
    let marker = ShardMarker(
      plan: plan.hash, index: index, pass: pass, images: range.count,
      height: size?.height ?? 0, width: size?.width ?? 0, moments: measures ? moments : nil,
      part: writes ? ShardParts.partName(index: index) : nil, partBytes: partBytes,
      checksum: checksum, peakRSSBytes: Self.peakResidentBytes(),
      seconds: Date().timeIntervalSince(started))
    try ShardParts.writeAtomically(
      ShardPlan.canonicalJSON(marker), to: ShardParts.markerURL(in: run, index: index, pass: pass))
    return marker
  }

  /// Removes what a killed task of this shard left: `.I.x.npy.*.tmp` in `RUN/parts`.
  private func removeStaleTemporaries(of part: URL) {
    let folder = part.deletingLastPathComponent()
    let prefix = ".\(part.lastPathComponent)."
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }

  /// The process's peak resident set size in bytes (`getrusage`; Linux reports KiB).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) * 1024
  }
}
