import Foundation
import NDArray

/// The deterministic stand-in for libFuzzer that the fuzz executables run when built without
/// `-DFUZZING` (a plain `swift build`): it replays the seed corpus and the regression inputs,
/// then feeds a fixed number of seeded mutations of them, and prints counts.
///
/// `fuzz-npy-header [--iterations N] [--seed S] [FILE_OR_FOLDER...]` — with no paths it
/// reads `Fuzz/Corpus/<target>` and `Fuzz/Regressions/<target>` of this checkout. The same
/// seed always gives the same inputs, so a crash reproduces. This module provides no stable
/// Swift API.
public enum MutationRunner {
  /// Parses the command line, runs, and exits with 0 (a contract violation traps instead).
  public static func main(target: FuzzTarget, arguments: [String] = CommandLine.arguments) {
    var iterations = 2000
    var seed: UInt64 = 1
    var paths: [String] = []
    var index = 1
    while index < arguments.count {
      let argument = arguments[index]
      switch argument {
      case "--iterations", "--seed":
        guard index + 1 < arguments.count, let value = UInt64(arguments[index + 1]) else {
          FileHandle.standardError.write(Data("\(argument) needs a non-negative integer\n".utf8))
          exit(2)
        }
        if argument == "--iterations" { iterations = Int(value) } else { seed = value }
        index += 2
      case "-h", "--help":
        print("usage: \(target.executableName) [--iterations N] [--seed S] [FILE_OR_FOLDER...]")
        return
      default:
        paths.append(argument)
        index += 1
      }
    }
    if paths.isEmpty { paths = [Corpus.seedFolder(target).path, Corpus.regressionFolder(target).path] }
    let inputs = paths.flatMap { Corpus.files(at: URL(fileURLWithPath: $0)) }.map {
      (try? Data(contentsOf: $0)).map { [UInt8]($0) } ?? []
    }
    guard !inputs.isEmpty else {
      FileHandle.standardError.write(
        Data("\(target.executableName): no corpus files under \(paths.joined(separator: ", "))\n".utf8))
      exit(2)
    }
    // Each input is saved before it runs, so a crash leaves it behind for a regression test.
    let lastInput = URL(fileURLWithPath: Harness.scratchFolder + "/\(target.executableName)-last-input")
    func runSaving(_ input: [UInt8]) -> FuzzOutcome {
      try? Data(input).write(to: lastInput)
      return Harness.run(target, input)
    }
    print("\(target.executableName): if this crashes, the input is at \(lastInput.path)")
    var accepted = 0, rejected = 0
    for input in inputs {
      if runSaving(input) == .accepted { accepted += 1 } else { rejected += 1 }
    }
    var generator = SplitMix64(seed: seed)
    var mutatedAccepted = 0, mutatedRejected = 0
    for _ in 0..<iterations {
      let base = inputs[Int(generator.next() % UInt64(inputs.count))]
      let mutated = Mutator.mutate(base, using: &generator, dictionary: Mutator.dictionary(for: target))
      if runSaving(mutated) == .accepted { mutatedAccepted += 1 } else { mutatedRejected += 1 }
    }
    try? FileManager.default.removeItem(at: lastInput)
    print(
      "\(target.executableName): \(inputs.count) corpus inputs (\(accepted) accepted, \(rejected) rejected), "
        + "\(iterations) mutations with seed \(seed) (\(mutatedAccepted) accepted, \(mutatedRejected) rejected), no crash"
    )
  }
}

/// The checked-in corpora, found from this source file's path.
public enum Corpus {
  /// The repository root (three levels above `Fuzz/Harness/MutationRunner.swift`).
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `Fuzz/Corpus/<target>`: small valid files made by `Fuzz/make_seeds.py`.
  public static func seedFolder(_ target: FuzzTarget) -> URL {
    root.appendingPathComponent("Fuzz/Corpus/\(target.rawValue)")
  }

  /// `Fuzz/Regressions/<target>`: every input that once crashed or broke the contract.
  public static func regressionFolder(_ target: FuzzTarget) -> URL {
    root.appendingPathComponent("Fuzz/Regressions/\(target.rawValue)")
  }

  /// The regular files at `url` (itself, or inside it, sorted by name; hidden files skipped).
  public static func files(at url: URL) -> [URL] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
    guard isDirectory.boolValue else { return [url] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }
  }
}

/// libFuzzer-style mutations: bit flips, interesting bytes and integers, truncation,
/// insertions, duplicated runs and dictionary tokens.
enum Mutator {
  static func mutate(_ input: [UInt8], using generator: inout SplitMix64, dictionary: [[UInt8]]) -> [UInt8] {
    var bytes = input
    let rounds = 1 + Int(generator.next() % 4)
    for _ in 0..<rounds {
      let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
      switch generator.next() % 8 {
      case 0 where !bytes.isEmpty:
        bytes[position] ^= UInt8(1) << UInt8(generator.next() % 8)
      case 1 where !bytes.isEmpty:
        let interesting: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x20, 0x2C, 0x28, 0x29, 0x27, 0x2D, 0x39]
        bytes[position] = interesting[Int(generator.next() % UInt64(interesting.count))]
      case 2:
        bytes.removeSubrange(min(position + 1, bytes.count)...)
      case 3:
        let count = 1 + Int(generator.next() % 16)
        bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, at: position)
      case 4 where bytes.count >= 4:
        // A 16- or 32-bit little- or big-endian integer set to an edge value.
        let values: [UInt32] = [0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE]
        let value = values[Int(generator.next() % UInt64(values.count))]
        let at = min(position, bytes.count - 4)
        let big = generator.next() % 2 == 0
        for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * (big ? 3 - k : k))) }
      case 5 where !bytes.isEmpty:
        let length = 1 + Int(generator.next() % UInt64(min(64, bytes.count)))
        let start = Int(generator.next() % UInt64(bytes.count - length + 1))
        bytes.insert(contentsOf: bytes[start..<(start + length)], at: position)
      case 6 where !dictionary.isEmpty:
        let token = dictionary[Int(generator.next() % UInt64(dictionary.count))]
        if generator.next() % 2 == 0 {
          bytes.insert(contentsOf: token, at: position)
        } else {
          let end = min(bytes.count, position + token.count)
          bytes.replaceSubrange(position..<end, with: token)
        }
      default:
        if bytes.count > 1 {
          let length = 1 + Int(generator.next() % UInt64(min(32, bytes.count - position)))
          bytes.removeSubrange(position..<min(bytes.count, position + length))
        }
      }
    }
    return bytes
  }

  /// Tokens that steer mutations into the grammar of each format.
  static func dictionary(for target: FuzzTarget) -> [[UInt8]] {
    let words: [String]
    switch target {
    case .npyHeader:
      words = [
        "'descr'", "'fortran_order'", "'shape'", "True", "False", "None", "'|O'", "'<U0'", "'|S0'",
        "'<M8[ns]'", "[('a', '<i4')]", "(0,", "-1", "99999999999999999999", "9223372036854775807",
        "4611686018427387904", "(2147483648, 2147483648, 0)", "__import__('os')", "\\x", "{", "}", ",", "L",
      ]
    case .npz:
      words = [
        "PK\u{3}\u{4}", "PK\u{1}\u{2}", "PK\u{5}\u{6}", "PK\u{6}\u{6}", "PK\u{6}\u{7}", "PK\u{7}\u{8}",
        "\u{1}\u{0}\u{10}\u{0}", "x.npy", ".npy",
      ]
    case .png:
      words = ["IHDR", "IDAT", "IEND", "PLTE", "tRNS", "eXIf", "iCCP", "zTXt", "acTL", "fcTL", "MM\u{0}*", "II*\u{0}"]
    case .bmp:
      words = [
        "BM", "\u{28}\u{0}\u{0}\u{0}", "\u{C}\u{0}\u{0}\u{0}", "\u{7C}\u{0}\u{0}\u{0}", "\u{0}\u{0}",
        "\u{0}\u{1}", "\u{0}\u{2}", "\u{3}\u{0}\u{0}\u{0}", "\u{FF}\u{FF}\u{FF}\u{FF}", "BGRs",
      ]
    case .pnm:
      words = ["P1", "P2", "P3", "P4", "P5", "P6", "Pf", "#", "\n", " ", "255", "65535", "256", "0", "1"]
    case .gif:
      words = ["GIF89a", "GIF87a", "!\u{F9}\u{4}", "!\u{FF}\u{B}NETSCAPE2.0", ",", ";", "\u{0}", "\u{8}", "\u{B}"]
    case .webp:
      words = [
        "RIFF", "WEBP", "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "EXIF", "ICCP", "\u{9D}\u{1}\u{2A}", "/",
      ]
    case .tiff:
      words = [
        "II*\u{0}", "MM\u{0}*", "\u{0}\u{1}", "\u{1}\u{1}", "\u{2}\u{1}", "\u{3}\u{1}", "\u{6}\u{1}",
        "\u{11}\u{1}", "\u{16}\u{1}", "\u{17}\u{1}", "\u{42}\u{1}", "\u{44}\u{1}", "\u{3D}\u{1}",
        "\u{40}\u{1}", "\u{52}\u{1}", "\u{53}\u{1}", "\u{12}\u{1}",
      ]
    case .jpeg:
      words = [
        "\u{FF}\u{D8}", "\u{FF}\u{C0}", "\u{FF}\u{C2}", "\u{FF}\u{C4}", "\u{FF}\u{DA}", "\u{FF}\u{DB}",
        "\u{FF}\u{DD}", "\u{FF}\u{D9}", "\u{FF}\u{E1}", "Exif\u{0}\u{0}", "MM\u{0}*", "II*\u{0}", "\u{FF}\u{EE}Adobe",
      ]
    }
    // Code points below 256 stand for single bytes (Latin-1), so binary tokens stay binary.
    return words.map { word in word.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }
  }
}
