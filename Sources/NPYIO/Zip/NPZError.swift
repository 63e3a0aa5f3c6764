import _ErrorText

/// Why a `.npz` archive could not be read or written.
///
/// Every case names the archive (and the member where one is involved) and says what was
/// expected and what was found. Errors inside a member's `.npy` data are ``NPYError``s whose
/// file is `archive.npz:member.npy`.
public enum NPZError: Error, CustomStringConvertible, Sendable {
  /// No end-of-central-directory record: not a zip archive, or cut short.
  case notAZipArchive(file: String, reason: String)
  /// A zip record is inconsistent or points outside the file.
  case malformedArchive(file: String, reason: String)
  /// The member uses a compression method other than stored (0) or deflate (8).
  case unsupportedCompression(file: String, member: String, method: Int)
  /// The member is encrypted.
  case encrypted(file: String, member: String)
  /// No member of that name (with or without `.npy`).
  case memberNotFound(file: String, member: String, available: [String])
  /// No member was named and the archive has several, none of them the data
  /// (``NPZReader/dataMember(named:)``).
  case ambiguousMember(file: String, available: [String])
  /// The data's CRC-32 differs from the one the archive declares.
  case crcMismatch(file: String, member: String, declared: UInt32, computed: UInt32)
  /// The member inflates to a different size than declared (a zip bomb stops here).
  case sizeMismatch(file: String, member: String, declared: Int, found: String)
  /// zlib refused the compressed data.
  case inflateFailed(file: String, member: String, code: Int32, message: String)
  /// zlib refused to compress (a bad level, out of memory).
  case deflateFailed(file: String, code: Int32, message: String)
  /// A writer was used after ``NPZWriter/finish()`` or given a duplicate or invalid name.
  case invalidWriterUse(file: String, reason: String)

  /// A one-line message naming the archive and the reason.
  public var description: String { OneLineMessage.escaped(rawDescription) }

  private var rawDescription: String {
    switch self {
    case .notAZipArchive(let file, let reason):
      return "\(file): not a .npz (zip) archive: \(reason)"
    case .malformedArchive(let file, let reason):
      return "\(file): malformed zip archive: \(reason)"
    case .unsupportedCompression(let file, let member, let method):
      return "\(file): member \(member) uses compression method \(method); expected 0 (stored) or 8 (deflate)"
    case .encrypted(let file, let member):
      return "\(file): member \(member) is encrypted; expected an unencrypted member"
    case .memberNotFound(let file, let member, let available):
      return "\(file): no member named \(member); the archive holds \(available.joined(separator: ", "))"
    case .ambiguousMember(let file, let available):
      return
        "\(file) has \(available.count) members (\(available.joined(separator: ", "))); expected one, or x of a dataset normtool wrote; name the member to read"
    case .crcMismatch(let file, let member, let declared, let computed):
      return "\(file): member \(member) is corrupt: CRC-32 declared \(hex(declared)), computed \(hex(computed))"
    case .sizeMismatch(let file, let member, let declared, let found):
      return "\(file): member \(member) declares \(declared) uncompressed bytes, found \(found)"
    case .inflateFailed(let file, let member, let code, let message):
      return "\(file): member \(member) cannot be inflated: zlib error \(code) (\(message))"
    case .deflateFailed(let file, let code, let message):
      return "\(file): deflate failed: zlib error \(code) (\(message))"
    case .invalidWriterUse(let file, let reason):
      return "\(file): \(reason)"
    }
  }
}

private func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
