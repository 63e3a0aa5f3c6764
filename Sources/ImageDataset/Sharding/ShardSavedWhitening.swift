import Foundation
import NDArray

/// `--whiten` with `--stats FILE` in a sharded run: the stats file's saved matrix (say the
/// training set's) whitens every shard, as `normtool convert --stats FILE --whiten` whitens
/// one machine's images. `normtool shard plan` records the matrix (``record`` and a
/// ``digest`` of its arrays) in the plan and copies it to `RUN/whitening.npz`, so the run
/// folder holds everything its tasks read; every `all` task and `finalize` checks the copy
/// against the digest. No statistics pass, no merge: the plan runs as one `all` pass.
public struct ShardSavedWhitening: Codable, Sendable, Equatable {
  /// The saved matrix's record; `file` is `whitening.npz`, in the run folder.
  public var record: WhiteningRecord
  /// SHA-256 of the matrix's, the eigenvalues' and the mean's float64 values, in that order
  /// (hex).
  public var digest: String

  /// The record and digest of `matrix`.
  init(_ matrix: WhiteningMatrix) {
    record = matrix.record(file: ShardCovariance.whiteningName)
    digest = Self.digest(of: matrix)
  }

  /// SHA-256 of the three arrays' values (native float64 bytes), hex.
  static func digest(of matrix: WhiteningMatrix) -> String {
    var hasher = SHA256Hasher()
    matrix.matrix.withUnsafeBufferPointer { hasher.update(UnsafeRawBufferPointer($0)) }
    matrix.eigenvalues.withUnsafeBufferPointer { hasher.update(UnsafeRawBufferPointer($0)) }
    matrix.mean.withUnsafeBufferPointer { hasher.update(UnsafeRawBufferPointer($0)) }
    return hasher.finish().description
  }

  /// The matrix of the stats file at `path`, read for `options` (which must ask for its
  /// method and scope).
  static func load(_ options: WhiteningOptions, statsFile path: String) throws(ConversionError) -> WhiteningMatrix {
    let file = try StatisticsReport.read(from: URL(fileURLWithPath: path))
    return try ConversionRun.whitening(options, from: file, path: path)
  }

  /// Copies the matrix into `RUN/whitening.npz` unless the copy there already has this
  /// digest: read again from the stats file at `path`, which must not have changed since
  /// the plan was made.
  func copy(statsFile path: String, options: WhiteningOptions, into run: URL) throws(ConversionError) {
    if (try? matrix(in: run)) != nil { return }
    let matrix = try Self.load(options, statsFile: path)
    guard Self.digest(of: matrix) == digest else {
      throw .statisticsFile(
        path: path, reason: "its whitening changed while the plan was made; run 'normtool shard plan' again")
    }
    let url = run.appendingPathComponent(ShardCovariance.whiteningName)
    do { try matrix.write(to: url) } catch {
      throw .output(path: url.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// `RUN/whitening.npz`, checked against the digest.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` naming the file when it is
  ///   missing, unreadable or another matrix.
  func matrix(in run: URL) throws(ConversionError) -> WhiteningMatrix {
    let url = run.appendingPathComponent(ShardCovariance.whiteningName)
    let again = "run 'normtool shard plan' with the same options again to copy it from the stats file"
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw .statisticsFile(path: url.path, reason: "not found; \(again)")
    }
    let matrix = try WhiteningMatrix.read(record: record, statsFile: ShardPlan.url(in: run))
    guard Self.digest(of: matrix) == digest else {
      throw .statisticsFile(path: url.path, reason: "not the matrix the plan was made with; \(again)")
    }
    return matrix
  }
}
