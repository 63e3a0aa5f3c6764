/// The parsers fuzzed, one per fuzz executable under `Fuzz/Targets/`.
///
/// This module provides no stable Swift API: it is shared by the fuzz executables and by
/// `HostileInputTests`, which replays the seed corpus and every regression input.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// `.npy` reading: magic, version, HEADER_LEN, the header literal, then the data
  /// (`NPY.readHeader`, `NPY.read`, `NPY.map`, `NPY.readStrings`).
  case npyHeader = "npy-header"
  /// `.npz` reading: end record, ZIP64 records, central directory, local headers, inflate,
  /// CRC-32, then each member's `.npy` (`NPZReader`).
  case npz
  /// PNG decoding through libpng (`ImageDecoder.decode`, EXIF orientation).
  case png
  /// JPEG decoding through libjpeg-turbo (`ImageDecoder.decode`, draft scaling, EXIF).
  case jpeg
  /// BMP decoding, our own (`ImageDecoder.decode`): headers, palettes, bitfields, RLE.
  case bmp
  /// PBM/PGM/PPM decoding, our own (`ImageDecoder.decode`): ASCII and binary, any maxval.
  case pnm
  /// GIF decoding, our own LZW (`ImageDecoder.decode`): first frame, palettes.
  case gif
  /// WebP decoding through libwebp's animation decoder (`ImageDecoder.decode`).
  case webp
  /// TIFF decoding through libtiff (`ImageDecoder.decode`): strips, tiles, every layout.
  case tiff

  /// The executable that fuzzes this target, e.g. `fuzz-npy-header`.
  public var executableName: String { "fuzz-" + rawValue }

  /// The file extension the scratch file gets (the readers do not look at it, but error
  /// messages name it).
  var fileExtension: String {
    switch self {
    case .npyHeader: return "npy"
    case .npz: return "npz"
    case .png: return "png"
    case .jpeg: return "jpg"
    case .bmp, .pnm, .gif, .webp, .tiff: return rawValue
    }
  }
}
