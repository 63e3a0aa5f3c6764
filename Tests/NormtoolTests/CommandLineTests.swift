import Foundation
import Testing

/// The thin CLI: option values listed by `--help`, and one line `normtool SUBCOMMAND: ...`
/// for every failure while running.
@Suite struct CommandLineTests {
  let cli = ConvertCommandTests()

  @Test(arguments: [
    // Options a --preset can set have no parser default; their help says the default.
    ("convert", "(default: standardize). (values: none, scale, center, standardize, positive, minmax)"),
    ("convert", "(values: uint8, uint16, float16, float32, float64)"),
    ("convert", "(default: 8). (values: 8, 16)"),
    ("convert", "(default: nhwc). (values: nhwc, nchw)"),
    ("convert", "(default: rgb). (values: rgb, bgr)"),
    ("convert", "(default: unit). (values: unit, 255)"),
    ("convert", "(values: fail, skip; default: fail)"),
    ("stats", "(default: stretch). (values: stretch, crop, pad, short-side-crop)"),
    ("stats", "(default: rgb). (values: rgb, gray, rgba, gray3)"),
    ("recode", "(values: C, F)"),
    ("recode", "(values: 1, 2, 3)"),
    ("recode", "(values: bool, int8,"),
    ("preview", "(values: invert, minmax, symmetric; default: invert)"),
  ])
  func helpListsTheAllowedValues(subcommand: String, listing: String) throws {
    let run = try cli.normtool([subcommand, "--help"])
    #expect(run.status == 0)
    let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains(listing), "\(run.stdout)")
  }

  @Test func optionValuesIgnoreLetterCase() throws {
    let dir = try cli.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("x.npy")
    let run = try cli.normtool([
      "convert", ConvertCommandTests.samples.path, "-o", out.path, "--size", "4",
      "--layout", "NCHW", "--color", "Gray", "--dtype", "Float16", "--quiet",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let header = String(decoding: try Data(contentsOf: out)[10..<80], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '<f2', 'fortran_order': False, 'shape': (36, 1, 4, 4), }"))
  }

  @Test func aRecodeRefusalIsOneLineNamingTheSubcommand() throws {
    let dir = try cli.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("unit.npy")
    // np.save of np.array([0.5, 1.0]): float64 cannot become uint8 under same_kind.
    var bytes = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
    header += String(repeating: " ", count: 127 - 10 - header.utf8.count) + "\n"
    bytes.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    bytes.append(contentsOf: Array(header.utf8))
    for value in [0.5, 1.0] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    try bytes.write(to: source)
    let out = dir.appendingPathComponent("u8.npy")
    let run = try cli.normtool(["recode", source.path, out.path, "--dtype", "uint8"])
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix("normtool recode: \(source.path): cannot cast float64 to uint8 under --casting same_kind"),
      "\(run.stderr)")
    #expect(run.stderr.filter { $0 == "\n" }.count == 1 && run.stderr.hasSuffix("\n"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
    let unsafe = try cli.normtool(["recode", source.path, out.path, "--dtype", "uint8", "--casting", "unsafe"])
    #expect(unsafe.status == 0, "\(unsafe.stderr)")
  }

  @Test(arguments: ["stats", "inspect", "recode", "normalize", "compare"])
  func aMissingFileIsOneLineNamingTheSubcommand(subcommand: String) throws {
    let dir = try cli.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("nowhere.npy")
    let extra =
      ["recode", "normalize", "compare"].contains(subcommand) ? [dir.appendingPathComponent("out.npy").path] : []
    let run = try cli.normtool([subcommand, missing.path] + extra)
    // compare keeps 1 for "different"; a comparison it cannot make is 2, as cmp and diff do.
    #expect(run.status == (subcommand == "compare" ? 2 : 1))
    #expect(run.stderr == "normtool \(subcommand): \(missing.path): no such file\n")
  }

  @Test func aStatsFolderFailureIsNotPrefixedTwice() throws {
    let dir = try cli.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try cli.normtool(["stats", dir.path])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("normtool stats: \(dir.path)"), "\(run.stderr)")
    #expect(run.stderr.components(separatedBy: "normtool stats:").count == 2 && !run.stderr.contains("Error:"))
  }
}
