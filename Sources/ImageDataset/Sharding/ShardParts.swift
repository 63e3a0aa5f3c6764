import Foundation
import NPYIO
import _FileSystem

/// The files of a run folder: `RUN/plan.json`, `RUN/stats.json` (from `merge`) and
/// `RUN/parts/` with each shard's part (`I.x.npy`), marker (`I.PASS.json`) and failure
/// note (`I.PASS.failed.json`). Every file appears under its name only when complete.
/// No NumPy equivalent.
public enum ShardParts {
  /// `RUN/parts`.
  public static func folder(in run: URL) -> URL { run.appendingPathComponent("parts") }

  /// `RUN/parts/I.PASS.json`.
  public static func markerURL(in run: URL, index: Int, pass: ShardPass) -> URL {
    folder(in: run).appendingPathComponent("\(index).\(pass.rawValue).json")
  }

  /// `RUN/parts/I.PASS.failed.json`.
  public static func failureURL(in run: URL, index: Int, pass: ShardPass) -> URL {
    folder(in: run).appendingPathComponent("\(index).\(pass.rawValue).failed.json")
  }

  /// `RUN/parts/I.x.npy`, the shard's rows of `x`.
  public static func partName(index: Int) -> String { "\(index).x.npy" }

  /// `RUN/parts/I.S.x.npy`, the shard's rows of split `S` (its position in the plan's
  /// splits) of a plan with splits.
  public static func partName(index: Int, splitPosition: Int) -> String { "\(index).\(splitPosition).x.npy" }

  /// `RUN/parts/I.pixels.npy`, the shard's resized `uint8` images (plans that keep pixels).
  public static func pixelsName(index: Int) -> String { "\(index).pixels.npy" }

  /// Writes `data` under a temporary name beside `url` and renames it onto `url`.
  static func writeAtomically(_ data: Data, to url: URL) throws(ConversionError) {
    let transaction = OutputTransaction()
    try transaction.stage(data, at: url)
    try transaction.commit()
  }

  /// The marker of shard `index`'s `pass`, or nil when there is none.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` for a marker that is not valid JSON.
  public static func marker(in run: URL, index: Int, pass: ShardPass) throws(ConversionError) -> ShardMarker? {
    let url = markerURL(in: run, index: index, pass: pass)
    guard let data = try? Data(contentsOf: url) else { return nil }
    return try decode(ShardMarker.self, from: data, at: url, expected: "shard \(index): a shard marker")
  }

  /// `data` (the file at `url`) decoded as `type`.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)``: "expected `expected`, found"
  ///   the decoding problem in one line (never Foundation's dump).
  static func decode<Value: Decodable>(
    _ type: Value.Type, from data: Data, at url: URL, expected: String
  ) throws(ConversionError) -> Value {
    do { return try JSONDecoder().decode(type, from: data) } catch {
      throw .statisticsFile(path: url.path, reason: "expected \(expected), found \(StatisticsReport.describe(error))")
    }
  }

  /// The failure note of shard `index`'s `pass` for `plan`, if any.
  public static func failure(in run: URL, index: Int, pass: ShardPass, plan: String) -> ShardFailure? {
    guard let data = try? Data(contentsOf: failureURL(in: run, index: index, pass: pass)),
      let failure = try? JSONDecoder().decode(ShardFailure.self, from: data), failure.plan == plan
    else { return nil }
    return failure
  }

  /// CRC-32 of a file, read in 4 MiB blocks.
  static func crc32(ofFile url: URL) throws(ConversionError) -> UInt32 {
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      var crc: UInt32 = 0
      while let block = try handle.read(upToCount: 4 << 20), !block.isEmpty {
        crc = block.withUnsafeBytes { CRC32.update(crc, $0) }
      }
      return crc
    } catch {
      throw .statisticsFile(path: url.path, reason: FileSystemReason.text(of: error))
    }
  }

  /// CRC-32 of bytes.
  static func crc32(of data: Data) -> UInt32 { data.withUnsafeBytes { CRC32.update(0, $0) } }

  /// Eight lower-case hex digits.
  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  /// Checks that `marker` belongs to `plan`, is shard `index`'s, and that its part (or
  /// moments) match its checksum.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` naming the shard.
  static func verify(_ marker: ShardMarker, plan: ShardPlan, run: URL, index: Int) throws(ConversionError) {
    let path = markerURL(in: run, index: index, pass: marker.pass).path
    guard marker.plan == plan.hash else {
      throw .statisticsFile(
        path: path,
        reason:
          "shard \(index) belongs to another plan (\(marker.plan.prefix(12)), this run's is \(plan.hash.prefix(12))); re-run shard \(index)"
      )
    }
    guard marker.index == index, marker.images == plan.shards[index].count else {
      throw .statisticsFile(path: path, reason: "shard \(index): the marker does not describe this shard; re-run it")
    }
    let found: String
    if let splits = marker.splits {
      for part in splits {
        let url = folder(in: run).appendingPathComponent(part.part)
        guard FileManager.default.fileExists(atPath: url.path) else {
          throw .statisticsFile(path: url.path, reason: "shard \(index): its part is missing; re-run shard \(index)")
        }
        guard hex(try crc32(ofFile: url)) == part.checksum else {
          throw .statisticsFile(
            path: path, reason: "shard \(index): wrong checksum of \(part.part); re-run shard \(index)")
        }
      }
      found = hex(crc32(of: ShardPlan.canonicalJSON(splits)))
    } else if let part = marker.part {
      let url = folder(in: run).appendingPathComponent(part)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw .statisticsFile(path: url.path, reason: "shard \(index): its part is missing; re-run shard \(index)")
      }
      found = hex(try crc32(ofFile: url))
    } else if let moments = marker.moments {
      found = ShardMarker.checksum(of: moments)
    } else {
      found = ""
    }
    if let covariance = marker.covariance {
      let url = folder(in: run).appendingPathComponent(covariance.part)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw .statisticsFile(
          path: url.path, reason: "shard \(index): its covariance sums are missing; re-run shard \(index)")
      }
      guard hex(try crc32(ofFile: url)) == covariance.checksum else {
        throw .statisticsFile(
          path: url.path, reason: "shard \(index): wrong checksum of its covariance sums; re-run shard \(index)")
      }
    }
    if let moments = marker.moments, marker.part != nil, ShardMarker.checksum(of: moments) != marker.momentsChecksum {
      throw .statisticsFile(
        path: path, reason: "shard \(index): wrong checksum of its moments; re-run shard \(index)")
    }
    guard found == marker.checksum else {
      throw .statisticsFile(
        path: path,
        reason: "shard \(index): wrong checksum (expected \(marker.checksum), found \(found)); re-run shard \(index)")
    }
  }

  /// Every shard's marker of `pass`, each verified (``verify(_:plan:run:index:)``).
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` naming the missing shards as
  ///   a Slurm `--array=` list, or the first shard that fails verification.
  static func verifiedMarkers(plan: ShardPlan, run: URL, pass: ShardPass) throws(ConversionError) -> [ShardMarker] {
    var missing: [Int] = []
    var markers: [ShardMarker] = []
    for index in plan.shards.indices {
      guard let marker = try marker(in: run, index: index, pass: pass) else {
        missing.append(index)
        continue
      }
      markers.append(marker)
    }
    if !missing.isEmpty {
      let list = ShardStatus.arrayList(missing)
      throw .statisticsFile(
        path: run.path,
        reason:
          "\(missing.count) of \(plan.shards.count) shards have no \(pass.rawValue) part: shards \(list) (resubmit --pass \(pass.rawValue) --array=\(list))"
      )
    }
    for marker in markers { try verify(marker, plan: plan, run: run, index: marker.index) }
    return markers
  }
}
