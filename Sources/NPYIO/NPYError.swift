import SystemPackage
import _ErrorText
import _FileSystem

/// Why a `.npy` file could not be read or written.
///
/// Every case names the file and, where it applies, what was expected and what was found,
/// like the messages of NumPy's `numpy.lib.format` ("the magic string is not correct;
/// expected b'\x93NUMPY', got …").
public enum NPYError: Error, CustomStringConvertible, Sendable {
  /// The file does not start with `\x93NUMPY`.
  case badMagic(file: String, found: [UInt8])
  /// The format version is not 1.0, 2.0 or 3.0.
  case unsupportedVersion(file: String, major: UInt8, minor: UInt8)
  /// HEADER_LEN is larger than the limit the caller allows (10,000 by default, as in NumPy).
  case headerTooLong(file: String, length: Int, limit: Int)
  /// The header text is not a Python dict literal NumPy would write.
  case malformedHeader(file: String, reason: String)
  /// The header dict does not have exactly the keys `descr`, `fortran_order`, `shape`.
  case wrongHeaderKeys(file: String, found: [String])
  /// The dtype is one this library does not handle (object, structured, datetime, void…).
  case unsupportedDType(file: String, descr: String)
  /// The shape has a negative dimension or its byte count does not fit in an `Int`.
  case shapeOverflow(file: String, shape: [Int], itemSize: Int)
  /// The file ends before the data the shape needs.
  case truncatedData(file: String, expectedBytes: Int, foundBytes: Int)
  /// The file ends inside the magic, the length field or the header.
  case truncatedHeader(file: String, expectedBytes: Int, foundBytes: Int)
  /// The caller asked for one element type and the file holds another.
  case dtypeMismatch(file: String, expected: String, found: String)
  /// The header text cannot be encoded in the requested version (e.g. too long for 1.0).
  case headerDoesNotFitVersion(file: String, version: NPYVersion, length: Int)
  /// A streaming writer was given rows of the wrong shape or dtype, or used after finishing.
  case invalidStreamUse(file: String, reason: String)
  /// The operating system refused an operation on the file.
  case io(file: String, operation: String, errno: Int32)
  /// The path is a folder, FIFO, device or socket, not a regular file (`kind` says which).
  case notARegularFile(file: String, kind: String)

  /// A one-line message naming the file and the reason.
  public var description: String { OneLineMessage.escaped(rawDescription) }

  private var rawDescription: String {
    switch self {
    case .badMagic(let file, let found):
      let hex = found.map { byte -> String in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
      }
      return
        "\(file): not a .npy file: the magic string is not correct; expected 93 4e 55 4d 50 59 (\\x93NUMPY), found \(hex.joined(separator: " "))"
    case .unsupportedVersion(let file, let major, let minor):
      return "\(file): unsupported .npy format version \(major).\(minor); expected 1.0, 2.0 or 3.0"
    case .headerTooLong(let file, let length, let limit):
      return
        "\(file): .npy header is \(length) bytes, more than the limit of \(limit); raise maxHeaderLength if the file is trusted"
    case .malformedHeader(let file, let reason):
      return "\(file): malformed .npy header: \(reason)"
    case .wrongHeaderKeys(let file, let found):
      return
        "\(file): .npy header must have exactly the keys 'descr', 'fortran_order', 'shape'; found \(found.map { "'\($0)'" }.joined(separator: ", "))"
    case .unsupportedDType(let file, let descr):
      return
        "\(file): unsupported dtype \(descr); expected a bool, integer, float, complex, '<U' or '|S' dtype (object, structured and datetime arrays are not supported)"
    case .shapeOverflow(let file, let shape, let itemSize):
      return "\(file): shape \(shape) with \(itemSize)-byte elements has an invalid or overflowing byte count"
    case .truncatedData(let file, let expected, let found):
      return
        "\(file): data is truncated: expected \(expected) bytes for the shape, found \(found) (file seems not fully written?)"
    case .truncatedHeader(let file, let expected, let found):
      return "\(file): file ends inside the .npy header: expected \(expected) bytes, found \(found)"
    case .dtypeMismatch(let file, let expected, let found):
      return "\(file): wrong dtype: expected \(expected), found \(found)"
    case .headerDoesNotFitVersion(let file, let version, let length):
      return "\(file): a header of \(length) bytes does not fit .npy version \(version)"
    case .invalidStreamUse(let file, let reason):
      return "\(file): \(reason)"
    case .notARegularFile(let file, let kind):
      return "\(file): not a regular file (\(kind)); expected an .npy or .npz file"
    case .io(let file, let operation, let code):
      return "\(file): \(operation) failed: \(Errno(rawValue: code).description) (errno \(code))"
    }
  }
}

extension NPYError: FileErrorConvertible {
  /// The file layer's error as ``io(file:operation:errno:)`` or ``notARegularFile(file:kind:)``.
  package init(_ error: FileError) {
    switch error {
    case .failed(let path, let operation, let errno):
      self = .io(file: path, operation: operation, errno: errno.rawValue)
    case .notARegularFile(let path, let kind): self = .notARegularFile(file: path, kind: kind.description)
    }
  }
}
