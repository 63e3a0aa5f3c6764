import Foundation
import NDArray
import Testing

@testable import NPYIO

/// Where the golden files made by python-interop/gen_npy_fixtures.py live, and what they hold.
enum Fixtures {
  static let folder: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/Fixtures/npy")

  static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

  nonisolated(unsafe) static let manifest: [String: Any] = {
    let data = try! Data(contentsOf: url("manifest.json"))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
  }()

  struct NPYCase: CustomTestStringConvertible, Sendable {
    var file: String
    var descr: String
    var shape: [Int]
    var fortranOrder: Bool
    var version: [Int]
    var dataOffset: Int
    var cBytesLE: String
    var testDescription: String { file }
  }

  static let npyCases: [NPYCase] = (manifest["npy"] as! [[String: Any]]).map {
    NPYCase(
      file: $0["file"] as! String, descr: $0["descr"] as! String, shape: $0["shape"] as! [Int],
      fortranOrder: $0["fortran_order"] as! Bool, version: $0["version"] as! [Int],
      dataOffset: $0["data_offset"] as! Int, cBytesLE: $0["c_bytes_le"] as! String)
  }

  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
  }

  /// The array's elements in C order as little-endian bytes, hex.
  static func cBytesLE(_ array: AnyNDArray) -> String {
    array.withTyped { typed in typed.withUnsafeRawBytes { hex($0) } }
  }

  static func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("npyio-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
