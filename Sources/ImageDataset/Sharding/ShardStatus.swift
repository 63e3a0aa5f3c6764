import Foundation

/// `normtool shard status RUN`: which shards of each pass are done, failed or missing, and
/// the Slurm `--array=` list to resubmit. A shard is done when its marker belongs to the
/// plan (and its part exists); a killed task leaves none and counts as missing. No NumPy
/// equivalent.
public struct ShardStatus: Sendable {
  /// One pass's shards.
  public struct PassState: Sendable {
    /// The pass.
    public var pass: ShardPass
    /// Shards with a marker of this plan.
    public var done: [Int]
    /// Shards whose last task failed, with its error.
    public var failed: [(index: Int, error: String)]
    /// Shards not done (failed ones included): what to resubmit.
    public var notDone: [Int]
  }

  /// The plan.
  public var plan: ShardPlan
  /// The passes, in order.
  public var passes: [PassState]
  /// Whether `RUN/stats.json` of this plan exists (two-pass plans).
  public var merged: Bool

  /// The state of the run in `run`.
  ///
  /// - Throws: ``ConversionError`` when the plan is missing or unreadable.
  public static func of(run: URL) throws(ConversionError) -> ShardStatus {
    let plan = try ShardPlan.read(run: run)
    var passes: [PassState] = []
    for pass in plan.passes {
      var state = PassState(pass: pass, done: [], failed: [], notDone: [])
      for index in plan.shards.indices {
        let marker = try? ShardParts.marker(in: run, index: index, pass: pass)
        let partExists =
          marker?.part.map {
            FileManager.default.fileExists(atPath: ShardParts.folder(in: run).appendingPathComponent($0).path)
          } ?? true
        if let marker, marker.plan == plan.hash, partExists {
          state.done.append(index)
          continue
        }
        state.notDone.append(index)
        if let failure = ShardParts.failure(in: run, index: index, pass: pass, plan: plan.hash) {
          state.failed.append((index, failure.error))
        }
      }
      passes.append(state)
    }
    let merged = (try? ShardMerge.read(run: run, plan: plan)) != nil
    return ShardStatus(plan: plan, passes: passes, merged: merged)
  }

  /// The first pass with shards not done, and those shards; nil when every pass is done.
  /// The `write` pass waits for `merge`.
  public var nextToSubmit: PassState? {
    guard let state = passes.first(where: { !$0.notDone.isEmpty }) else { return nil }
    return state.pass == .write && !merged ? nil : state
  }

  /// Whether every pass is done: `finalize` can run.
  public var isComplete: Bool { passes.allSatisfy { $0.notDone.isEmpty } }

  /// A Slurm `--array` list of `indices`: ascending, runs joined, `0-2,5,7-9`.
  public static func arrayList(_ indices: [Int]) -> String {
    let sorted = Array(Set(indices)).sorted()
    var parts: [String] = []
    var i = 0
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
      parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
      i = j + 1
    }
    return parts.joined(separator: ",")
  }

  /// The report `normtool shard status` prints.
  public var text: String {
    var lines = [
      "plan \(plan.hash.prefix(12)): \(plan.files.count) images in \(plan.shards.count) shards; passes: "
        + (plan.needsStatisticsPass ? "stats, merge, write, finalize" : "all, finalize")
    ]
    for state in passes {
      lines.append(
        "\(state.pass.rawValue): \(state.done.count) done, \(state.failed.count) failed, \(state.notDone.count - state.failed.count) missing"
      )
      for failure in state.failed { lines.append("  shard \(failure.index) failed: \(failure.error)") }
      if state.pass == .stats && state.notDone.isEmpty {
        lines.append("merge: " + (merged ? "done" : "not yet: run 'normtool shard merge RUN'"))
      }
    }
    if let next = nextToSubmit {
      lines.append("resubmit: --pass \(next.pass.rawValue) --array=\(Self.arrayList(next.notDone))")
    } else {
      lines.append(isComplete ? "complete: run 'normtool shard finalize RUN OUT'" : "next: 'normtool shard merge RUN'")
    }
    return lines.joined(separator: "\n")
  }
}
