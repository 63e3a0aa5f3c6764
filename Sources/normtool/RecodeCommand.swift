import ArgumentParser
import Foundation
import NDArray
import NPYIO

/// `normtool recode IN OUT`: rewrite an array file, keeping values, dtype and memory order
/// unless told otherwise (docs/design.md §5).
///
/// The NumPy equivalent is `np.save(OUT, np.load(IN).astype(dtype, casting=casting), ...)` or
/// `np.savez`. String arrays (`<U`, `>U`, `|S`) are copied byte for byte.
struct RecodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recode",
    abstract: "Rewrite an .npy/.npz array: dtype, memory order, .npy version, compression.",
    discussion: """
      IN and OUT may each be .npy or .npz (by OUT's extension). From an .npz, --member picks one \
      member; without it every member is recoded into an .npz OUT. An .npy IN becomes member \
      --member (default arr_0, as np.savez names it) of an .npz OUT. Output is written to a \
      temporary file and renamed, so OUT appears only complete. --dtype follows numpy's casting \
      rules: by default (--casting same_kind) a cast that loses the kind of value, such as \
      float64 to uint8, is refused; --casting unsafe converts anyway, as numpy's astype does.
      """
  )

  @Argument(help: "The .npy or .npz file to read.")
  var input: String

  @Argument(help: "The .npy or .npz file to write.")
  var output: String

  @Option(help: "The npz member to read (or the member name to write for .npy → .npz).")
  var member: String?

  @Flag(help: "Deflate the members when OUT is an .npz (np.savez_compressed).")
  var compress = false

  @Option(help: "Deflate level 0-9 with --compress.")
  var level = 6

  @Option(help: "Convert to this dtype (numpy's astype).")
  var dtype: DType?

  @Option(help: "Which --dtype conversions are allowed, as numpy.can_cast's casting= rules.")
  var casting: Casting = .sameKind

  @Option(name: .customLong("order"), help: "Memory order of the output (numpy's order=).")
  var memoryOrder: NPYMemoryOrder?

  @Option(name: .customLong("npy-version"), help: "The .npy format version to write (1.0, 2.0 or 3.0 also accepted).")
  var npyVersion: NPYVersion?

  func validate() throws {
    if !(0...9).contains(level) { throw ValidationError("--level \(level): expected 0...9") }
    if compress && !isNPZ(output) { throw ValidationError("--compress needs an .npz OUT; got \(output)") }
  }

  func isNPZ(_ path: String) -> Bool { path.lowercased().hasSuffix(".npz") }

  func run() throws {
    let inURL = URL(fileURLWithPath: input)
    var payloads: [(String, NPYStoredArray)] = []
    switch try ArrayFileKind.of(inURL) {
    case .folder:
      throw ArrayFileError.folder(path: inURL.path)
    case .npy:
      let array = try reading(input) {
        try NPYStoredArray.read(npyAt: inURL, convertingTo: dtype, casting: casting, order: memoryOrder)
      }
      payloads.append((member ?? "arr_0", array))
    case .npz:
      let npz = try NPZReader(url: inURL)
      let names: [String]
      if let member {
        names = [try npz.member(named: member).name]
      } else if isNPZ(output) || npz.members.count == 1 {
        names = npz.memberNames
      } else {
        throw CommandFailure(
          "\(input) has \(npz.members.count) members (\(npz.memberNames.joined(separator: ", "))); pick one with --member to write an .npy"
        )
      }
      for name in names {
        let array = try reading("\(input) member \(name)") {
          try NPYStoredArray.read(member: name, of: npz, convertingTo: dtype, casting: casting, order: memoryOrder)
        }
        payloads.append((name, array))
      }
    }
    let outURL = URL(fileURLWithPath: output)
    if isNPZ(output) {
      let writer = try NPZWriter(url: outURL, compression: compress ? .deflate(level: level) : .stored)
      do {
        for (name, array) in payloads { try array.write(name: name, into: writer, version: npyVersion) }
        try writer.finish()
      } catch {
        writer.abort()
        throw error
      }
    } else {
      try payloads[0].1.write(to: outURL, version: npyVersion)
    }
  }

  /// Runs `body`, saying what a refused conversion means in this command's options;
  /// `source` names the array.
  func reading(_ source: String, _ body: () throws -> NPYStoredArray) throws -> NPYStoredArray {
    do { return try body() } catch let error as NPYConversionError {
      switch error {
      case .stringArray(let descr, let target):
        throw CommandFailure(
          "\(source): cannot convert the string array (\(descr)) to --dtype \(target); --dtype applies to numeric arrays only"
        )
      case .castNotAllowed(let from, let to, let casting):
        throw CommandFailure(
          "\(source): cannot cast \(from) to \(to) under --casting \(casting) (pass --casting unsafe to convert anyway, as numpy's astype does)"
        )
      }
    }
  }
}
