/// A `.npy` format version: 1.0, 2.0 or 3.0.
///
/// The NumPy equivalent is the `version` tuple of `numpy.lib.format.write_array`.
/// Version 1.0 stores HEADER_LEN in 16 bits, 2.0 in 32 bits, and 3.0 is 2.0 with a UTF-8
/// header. Writers pick the oldest version that fits, as `np.save` does.
public struct NPYVersion: Hashable, Sendable, CustomStringConvertible {
  /// The major version byte.
  public var major: UInt8
  /// The minor version byte.
  public var minor: UInt8

  /// A version from its two bytes. Use ``v1``, ``v2`` or ``v3`` for the supported ones.
  public init(major: UInt8, minor: UInt8) {
    self.major = major
    self.minor = minor
  }

  /// Version 1.0: a 16-bit HEADER_LEN, Latin-1 header.
  public static let v1 = NPYVersion(major: 1, minor: 0)
  /// Version 2.0: a 32-bit HEADER_LEN, Latin-1 header.
  public static let v2 = NPYVersion(major: 2, minor: 0)
  /// Version 3.0: a 32-bit HEADER_LEN, UTF-8 header.
  public static let v3 = NPYVersion(major: 3, minor: 0)

  /// Whether this library (and NumPy) can read and write it.
  public var isSupported: Bool { self == .v1 || self == .v2 || self == .v3 }

  /// Bytes in the HEADER_LEN field: 2 for 1.0, 4 otherwise.
  public var lengthFieldSize: Int { major == 1 ? 2 : 4 }

  /// "1.0", "2.0", "3.0".
  public var description: String { "\(major).\(minor)" }
}
