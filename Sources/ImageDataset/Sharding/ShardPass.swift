/// Which part of the work one `normtool shard run` does (`--pass`).
///
/// No NumPy equivalent; it is how a two-pass conversion (statistics, then normalize) is
/// split into job arrays.
public enum ShardPass: String, Codable, Sendable, CaseIterable {
  /// Decode and measure: the shard's exact integer moments (then `merge`).
  case stats
  /// Decode again and write the normalized rows with the merged statistics.
  case write
  /// Both at once, when the statistics are known up front or not applied.
  case all
}
