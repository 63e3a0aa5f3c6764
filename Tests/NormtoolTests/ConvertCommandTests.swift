import Foundation
import Testing

/// End-to-end tests of the built `normtool convert` binary on the checked-in samples.
@Suite struct ConvertCommandTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let samples = repositoryRoot.appendingPathComponent("Samples/images")

  /// `normtool` sits next to the test bundle in the build folder.
  static var normtool: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if directory.lastPathComponent == "MacOS" {  // …/X.xctest/Contents/MacOS on macOS
      directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    return directory.appendingPathComponent("normtool")
  }

  struct Run { var status: Int32; var stdout: String; var stderr: String }

  func normtool(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = Self.normtool
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("normtool-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func convertsTheSamplesWithDefaults() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("samples.npz")
    let run = try normtool(["convert", Self.samples.path, "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("x float32 (36, 96, 128, 3)"))
    #expect(run.stdout.contains("images: 36  classes: 5  skipped: 0"))
    #expect(run.stdout.contains("statistics (dataset, unit scale): mean ["))
    // A zip whose first member is x.npy.
    let bytes = try Data(contentsOf: out)
    #expect(bytes.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
    #expect(String(decoding: bytes[30..<35], as: UTF8.self) == "x.npy")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [
        "samples.duplicates.csv", "samples.npz", "samples.summary.json",
      ])
  }

  @Test func npyHeaderDescribesTheRequestedLayout() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("x.npy")
    let run = try normtool([
      "convert", Self.samples.path, "-o", out.path, "--size", "16x8", "--layout", "nchw",
      "--color", "gray", "--dtype", "float16", "--quiet",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    let bytes = try Data(contentsOf: out)
    let header = String(decoding: bytes[10..<128], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '<f2', 'fortran_order': False, 'shape': (36, 1, 8, 16), }"))
    #expect(bytes.count == 128 + 36 * 8 * 16 * 2)
  }

  @Test(arguments: [
    (["--dtype", "uint8"], "--dtype uint8 needs --normalize none"),
    (["--stats", "batch:0"], "--stats: expected dataset, image, batch:N, sample:K, imagenet or a statistics file"),
    (["--size", "12y4"], "--size: expected N or WxH"),
    (
      ["--resize", "squash"],
      "The value 'squash' is invalid for '--resize <resize>'. Please provide one of 'stretch', 'crop', 'pad' or 'short-side-crop'."
    ),
    (
      ["--dtype", "int16"],
      "The value 'int16' is invalid for '--dtype <dtype>'. Please provide one of 'uint8', 'uint16', 'float16', 'float32' or 'float64'."
    ),
    (["--normalize", "minmax", "--stats", "imagenet"], "minmax needs min and max statistics"),
  ])
  func invalidOptionsAreRefused(options: [String], message: String) throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try normtool(["convert", Self.samples.path, "-o", dir.appendingPathComponent("x.npz").path] + options)
    #expect(run.status != 0)
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }

  @Test func aMissingFolderIsOneLineNamingIt() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("nowhere")
    let run = try normtool(["convert", missing.path, "-o", dir.appendingPathComponent("x.npz").path])
    #expect(run.status == 1)
    #expect(run.stderr == "normtool convert: \(missing.path): no such folder\n")
  }
}
