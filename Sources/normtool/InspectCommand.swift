import ArgumentParser
import Foundation
import ImageDataset
import NPYIO
import _ErrorText

/// `normtool inspect PATH`: the header and layout of an `.npy` or `.npz` file, without
/// reading its data (docs/design.md §5).
///
/// The NumPy equivalent is `numpy.lib.format.read_array_header_*` on each file or member.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Print the header and layout of an .npy or .npz file (no data read).",
    discussion: """
      --json prints one object: format ("npy"/"npz"), version, descr, shape, fortran_order, \
      data_offset, nbytes; for an npz, members: a list of such objects with name and compressed.
      """
  )

  @Argument(help: "An .npy or .npz file.")
  var path: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Option(help: "Largest .npy header to accept, in bytes (NumPy's max_header_size).")
  var maxHeaderLength = NPY.defaultMaxHeaderLength

  func run() throws {
    let url = URL(fileURLWithPath: path)
    switch try ArrayFileKind.of(url) {
    case .folder:
      throw ArrayFileError.folder(path: url.path)
    case .npy:
      let header = try NPY.readHeader(at: url, maxHeaderLength: maxHeaderLength)
      if json {
        print(JSONValue.object([("format", .string("npy"))] + Self.fields(of: header)).rendered)
      } else {
        print("\(path): .npy version \(header.version)")
        print(Self.summary(of: header))
      }
    case .npz:
      let npz = try NPZReader(url: url)
      var members: [JSONValue] = []
      if !json { print("\(path): .npz with \(npz.members.count) member(s)") }
      for member in npz.members {
        let header = try npz.header(of: member.fileName, maxHeaderLength: maxHeaderLength)
        if json {
          members.append(
            .object(
              [("name", .string(member.name)), ("compressed", .bool(member.isCompressed))]
                + Self.fields(of: header)))
        } else {
          let storage =
            member.isCompressed
            ? "deflated \(member.uncompressedSize) -> \(member.compressedSize) bytes" : "stored"
          print("\(member.name): .npy version \(header.version), \(storage)")
          print(Self.summary(of: header).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
      }
      if json {
        print(JSONValue.object([("format", .string("npz")), ("members", .array(members))]).rendered)
      }
    }
  }

  static func fields(of header: NPYHeader) -> [(String, JSONValue)] {
    [
      ("version", .array([.int(Int(header.version.major)), .int(Int(header.version.minor))])),
      ("descr", .string(header.descr)),
      ("shape", .array(header.shape.map { .int($0) })),
      ("fortran_order", .bool(header.fortranOrder)),
      ("data_offset", .int(header.dataOffset)),
      ("nbytes", .int(header.byteCount)),
    ]
  }

  static func summary(of header: NPYHeader) -> String {
    """
    descr \(header.descr)  shape \(NPYHeader.shapeRepr(header.shape))  order \(header.fortranOrder ? "F" : "C")
    data at byte \(header.dataOffset), \(header.byteCount) bytes
    """
  }
}
