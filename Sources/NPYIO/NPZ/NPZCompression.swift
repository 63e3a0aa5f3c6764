/// How `.npz` members are stored.
///
/// The NumPy equivalents: `.stored` is `numpy.savez`, `.deflate(level: 6)` is
/// `numpy.savez_compressed` (raw deflate at zlib's default level).
public enum NPZCompression: Sendable, Hashable {
  /// No compression (zip method 0).
  case stored
  /// Raw deflate (zip method 8) at a zlib level from 0 (store in deflate blocks) to 9 (smallest).
  case deflate(level: Int)

  /// `np.savez_compressed`'s setting: deflate at level 6.
  public static let defaultDeflate = NPZCompression.deflate(level: 6)
}
