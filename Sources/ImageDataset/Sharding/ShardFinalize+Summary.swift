import Foundation

extension ShardFinalize {
  /// The summary `normtool convert` stores for the plan (`summary.json`, and
  /// `duplicates.csv` from its duplicates): each shard's ``ShardImageFacts`` replayed
  /// through ``DuplicateFinder`` and ``DatasetSummary`` in the order convert meets the
  /// images — plan order, or split by split in ``ShardPlan/splitsInRunOrder``.
  ///
  /// - Throws: ``ConversionError`` naming the missing shards of the plan's
  ///   ``ShardPlan/factsPass``, or the facts file that is missing or damaged.
  static func summary(plan: ShardPlan, run: URL) throws(ConversionError) -> DatasetSummary {
    let pass = plan.factsPass
    var facts: [ShardImageFacts] = []
    for marker in try ShardParts.verifiedMarkers(plan: plan, run: run, pass: pass) {
      facts += try ShardImageFacts.read(
        run: run, index: marker.index, checksum: marker.factsChecksum, images: plan.shards[marker.index].count,
        pass: pass)
    }
    let splits = plan.dataset.splits
    var summary = DatasetSummary(classes: plan.classes, splits: splits)
    summary.keptSixteenBit = plan.options.depth == .sixteen
    var finder = DuplicateFinder()
    for split in splits.isEmpty ? [nil] : plan.splitsInRunOrder.map(Optional.some) {
      for (index, entry) in plan.dataset.entries.enumerated() where split == nil || entry.split == split {
        let fact = facts[index]
        if let reason = fact.skipped {
          summary.skipped.append(SkippedImage(file: entry.path, reason: reason))
          continue
        }
        if let pixelHash = ShardImageFacts.digest(fact.pixelHash) {
          _ = finder.check(
            file: entry.path, split: split, fileHash: ShardImageFacts.digest(fact.fileHash), pixelHash: pixelHash,
            drop: false)
        }
        summary.add(fact.info, label: entry.labels.first, split: split)
      }
    }
    summary.duplicates = finder.duplicates
    summary.ignored = plan.dataset.ignored
    summary.noteExports(plan.options.exports)
    return summary
  }

  /// `summary.json` and `duplicates.csv` (name, bytes) of `summary`, as convert writes them.
  static func summaryFiles(_ summary: DatasetSummary) -> [(String, Data)] {
    [
      (SideFiles.summaryName, summary.encoded()),
      (SideFiles.duplicatesName, DuplicatesTable.encoded(summary.duplicates)),
    ]
  }
}
