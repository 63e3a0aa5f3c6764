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
/// for the crop and pad modes, torchvision's `Resize(N)` + `CenterCrop` for short-side-crop).
public struct PillowImageLoader: ImageLoader {
  /// The options that matter here: size, resize mode, filter, color, EXIF orientation.
  public let options: ConversionOptions

  /// A loader for `options`.
  public init(options: ConversionOptions) { self.options = options }

  var decodeOptions: DecodeOptions {
    DecodeOptions(mode: options.color, applyEXIFOrientation: options.applyEXIFOrientation)
  }

  /// Decodes and, when a size is set, resizes.
  ///
  /// - Throws: the decoder's ``ImageError``; ``ImageError/tooLarge(file:message:)`` when
  ///   `--resize short-side-crop` would first make an image over 1 GiB.
  public func load(_ url: URL) throws -> NDArray<UInt8> {
    try resized(try ImageDecoder.decode(contentsOf: url, options: decodeOptions), file: url)
  }

  /// Reads the file once: hashes its bytes, decodes with the decoder's facts, resizes.
  public func loadDescribed(_ url: URL) throws -> DescribedImage {
    let bytes = try ImageDecoder.readFile(url)
    return try bytes.withUnsafeBytes { raw in
      let (pixels, info) = try ImageDecoder.decodeDescribed(raw, name: url.path, options: decodeOptions)
      return DescribedImage(pixels: try resized(pixels, file: url), info: info, fileHash: SHA256Digest(of: raw))
    }
  }

  /// `decoded` at the output size (`--size`, `--resize`); `file` names it in errors.
  func resized(_ decoded: NDArray<UInt8>, file url: URL) throws -> NDArray<UInt8> {
    guard let size = options.size else { return decoded }
    if options.resizeMode == .shortSideCrop {
      let shortSide = options.shortSide ?? min(size.width, size.height)
      let resized = shortSideResizedSize(width: decoded.shape[1], height: decoded.shape[0], shortSide: shortSide)
      let bytes = resized.width.multipliedReportingOverflow(by: resized.height * decoded.shape[2])
      if bytes.overflow || bytes.partialValue > 1 << 30 {
        throw ImageError.tooLarge(
          file: url.path,
          message:
            "resizing the short side of this \(decoded.shape[1])x\(decoded.shape[0]) image to \(shortSide) would make a \(resized.width)x\(resized.height) image, over 1 GiB; expected a smaller --short-side"
        )
      }
    } else if decoded.shape[0] == size.height && decoded.shape[1] == size.width {
      return decoded
    }
    return fit(
      decoded, width: size.width, height: size.height, mode: options.resizeMode,
      filter: options.filter, shortSide: options.shortSide)
  }
}
