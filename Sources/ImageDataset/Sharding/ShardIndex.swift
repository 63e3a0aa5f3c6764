/// Which shard a task is, when `--index` is not given: the engine's array index. No NumPy
/// equivalent.
public enum ShardIndex {
  /// The environment variables read, in order: Slurm job arrays, Kubernetes Indexed Jobs,
  /// and ours (Dask, Ray, a shell loop).
  public static let variables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "NORMTOOL_SHARD_INDEX"]

  /// `explicit` if given, else the first of ``variables`` set in `environment`.
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` when none is set, or the value is
  ///   not a non-negative integer.
  public static func resolve(explicit: Int?, environment: [String: String]) throws(ConversionError) -> Int {
    if let explicit {
      guard explicit >= 0 else { throw .invalidOptions("--index must be 0 or more (found \(explicit))") }
      return explicit
    }
    for name in variables {
      guard let value = environment[name] else { continue }
      guard let index = Int(value), index >= 0 else {
        throw .invalidOptions("\(name): expected a shard index (0 or more), found '\(value)'")
      }
      return index
    }
    throw .invalidOptions("no shard index: give --index I or set \(variables.joined(separator: ", "))")
  }
}
