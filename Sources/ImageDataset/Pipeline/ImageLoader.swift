import Foundation
import Imaging
import NDArray

/// Turns one image file into the `uint8` pixels (H, W, C) that go into the dataset.
///
/// ``PillowImageLoader`` is what `normtool` uses; tests and Swift callers can supply their
/// own (for instance to add augmentation). Loaders run on several threads at once.
public protocol ImageLoader: Sendable {
  /// The pixels of the image at `url`, (H, W, C) in C order.
  ///
  /// - Throws: any error; the converter reports it with the file's name.
  func load(_ url: URL) throws -> NDArray<UInt8>

  /// The pixels with what the decoder said about the file (format, size, 16-bit samples,
  /// transparency, orientation) and the hash of its bytes, for the summary and the
  /// duplicate search. The default calls ``load(_:)`` and knows no facts.
  func loadDescribed(_ url: URL) throws -> DescribedImage
}

extension ImageLoader {
  /// ``load(_:)`` without facts about the file.
  public func loadDescribed(_ url: URL) throws -> DescribedImage {
    DescribedImage(pixels: try load(url), info: nil, fileHash: nil)
  }
}

/// Loaded pixels and the facts about their file (nil when the loader does not know them).
///
/// The Pillow equivalent is `np.asarray(im)` together with `im.format`, `im.size`, `im.mode`…
/// of `im = Image.open(path)`, and `hashlib.sha256` of the file.
public struct DescribedImage: @unchecked Sendable {
  /// (H, W, C) in C order, resized.
  public var pixels: NDArray<UInt8>
  /// What the decoder found.
  public var info: ImageInfo?
  /// The SHA-256 of the file's bytes.
  public var fileHash: SHA256Digest?

  /// The three parts.
  public init(pixels: NDArray<UInt8>, info: ImageInfo?, fileHash: SHA256Digest?) {
    self.pixels = pixels
    self.info = info
    self.fileHash = fileHash
  }
}

/// Decodes with libjpeg-turbo/libpng and resizes like Pillow: the equivalent of
/// `Image.open(path).convert(mode).resize(size, filter)` (or `ImageOps.fit` / `ImageOps.pad`
/// for the crop and pad modes).
public struct PillowImageLoader: ImageLoader {
  /// The options that matter here: size, resize mode, filter, color, EXIF orientation.
  public let options: ConversionOptions

  /// A loader for `options`.
  public init(options: ConversionOptions) { self.options = options }

  var decodeOptions: DecodeOptions {
    DecodeOptions(mode: options.color, applyEXIFOrientation: options.applyEXIFOrientation)
  }

  /// Decodes and, when a size is set, resizes.
  public func load(_ url: URL) throws -> NDArray<UInt8> {
    resized(try ImageDecoder.decode(contentsOf: url, options: decodeOptions))
  }

  /// Reads the file once: hashes its bytes, decodes with the decoder's facts, resizes.
  public func loadDescribed(_ url: URL) throws -> DescribedImage {
    let bytes = try ImageDecoder.readFile(url)
    return try bytes.withUnsafeBytes { raw in
      let (pixels, info) = try ImageDecoder.decodeDescribed(raw, name: url.path, options: decodeOptions)
      return DescribedImage(pixels: resized(pixels), info: info, fileHash: SHA256Digest(of: raw))
    }
  }

  func resized(_ decoded: NDArray<UInt8>) -> NDArray<UInt8> {
    guard let size = options.size else { return decoded }
    if decoded.shape[0] == size.height && decoded.shape[1] == size.width { return decoded }
    return fit(
      decoded, width: size.width, height: size.height, mode: options.resizeMode,
      filter: options.filter)
  }
}
