import Foundation
import Imaging
import NDArray

/// Turns one image file into the pixels (H, W, C) that go into the dataset: `uint8`, or
/// `uint16` for `--depth 16`.
///
/// ``PillowImageLoader`` is what `normtool` uses; tests and Swift callers can supply their
/// own (for instance to add augmentation). Loaders run on several threads at once.
public protocol ImageLoader: Sendable {
  /// The pixels of the image at `url`, (H, W, C) in C order.
  ///
  /// - Throws: any error; the converter reports it with the file's name.
  func load(_ url: URL) throws -> NDArray<UInt8>

  /// The 16-bit pixels of the image at `url` (`--depth 16`), (H, W, C) in C order, on the
  /// scale 0…65535. The default scales ``load(_:)``'s pixels by 257.
  ///
  /// - Throws: any error; the converter reports it with the file's name.
  func loadSixteenBit(_ url: URL) throws -> NDArray<UInt16>

  /// The pixels with what the decoder said about the file (format, size, 16-bit samples,
  /// transparency, orientation) and the hash of its bytes, for the summary and the
  /// duplicate search. The default calls ``load(_:)`` and knows no facts.
  func loadDescribed(_ url: URL) throws -> DescribedImage<UInt8>

  /// ``loadSixteenBit(_:)`` with the file's facts, as ``loadDescribed(_:)``.
  func loadSixteenBitDescribed(_ url: URL) throws -> DescribedImage<UInt16>
}

extension ImageLoader {
  /// ``load(_:)``'s pixels times 257 (NumPy: `a.astype(numpy.uint16) * 257`).
  public func loadSixteenBit(_ url: URL) throws -> NDArray<UInt16> {
    let pixels = try load(url)
    return pixels.withUnsafeBufferPointer { source in
      NDArray<UInt16>(unsafeUninitializedShape: pixels.shape) { out in
        for i in 0..<source.count { out[i] = UInt16(source[i]) &* 257 }
      }
    }
  }
}

extension ImageLoader {
  /// ``load(_:)`` without facts about the file.
  public func loadDescribed(_ url: URL) throws -> DescribedImage<UInt8> {
    DescribedImage(pixels: try load(url), info: nil, fileHash: nil)
  }

  /// ``loadSixteenBit(_:)`` without facts about the file.
  public func loadSixteenBitDescribed(_ url: URL) throws -> DescribedImage<UInt16> {
    DescribedImage(pixels: try loadSixteenBit(url), info: nil, fileHash: nil)
  }
}

/// Loaded pixels (`UInt8`, or `UInt16` at `--depth 16`) and the facts about their file (nil
/// when the loader does not know them).
///
/// The Pillow equivalent is `np.asarray(im)` together with `im.format`, `im.size`, `im.mode`…
/// of `im = Image.open(path)`, and `hashlib.sha256` of the file.
public struct DescribedImage<Sample: NDArrayElement>: @unchecked Sendable {
  /// (H, W, C) in C order, resized.
  public var pixels: NDArray<Sample>
  /// What the decoder found.
  public var info: ImageInfo?
  /// The SHA-256 of the file's bytes.
  public var fileHash: SHA256Digest?

  /// The three parts.
  public init(pixels: NDArray<Sample>, info: ImageInfo?, fileHash: SHA256Digest?) {
    self.pixels = pixels
    self.info = info
    self.fileHash = fileHash
  }
}

/// Decodes with libjpeg-turbo/libpng and resizes like Pillow: the equivalent of
/// `Image.open(path).convert(mode).resize(size, filter)` (or `ImageOps.fit` / `ImageOps.pad`
/// for the crop and pad modes, torchvision's `Resize(N)` + `CenterCrop` for short-side-crop).
public struct PillowImageLoader: ImageLoader {
  /// The options that matter here: size, resize mode, filter, color, EXIF orientation,
  /// alpha background.
  public let options: ConversionOptions

  /// A loader for `options`.
  public init(options: ConversionOptions) { self.options = options }

  /// Decodes and, when a size is set, resizes.
  ///
  /// - Throws: the decoder's ``ImageError``; ``ImageError/tooLarge(file:message:)`` when
  ///   `--resize short-side-crop` would first make an image over 1 GiB.
  public func load(_ url: URL) throws -> NDArray<UInt8> {
    try resized(try ImageDecoder.decode(contentsOf: url, options: options.decodeOptions), of: url)
  }

  /// Decodes keeping 16-bit samples (``ImageDecoder/decodeSixteenBit(contentsOf:options:)``)
  /// and, when a size is set, resizes (Pillow's mode "I" kernels, clipped).
  public func loadSixteenBit(_ url: URL) throws -> NDArray<UInt16> {
    try resized(try ImageDecoder.decodeSixteenBit(contentsOf: url, options: options.decodeOptions), of: url)
  }

  /// Reads the file once: hashes its bytes, decodes with the decoder's facts, resizes.
  public func loadDescribed(_ url: URL) throws -> DescribedImage<UInt8> {
    let bytes = try ImageDecoder.readFile(url)
    return try bytes.withUnsafeBytes { raw in
      let (pixels, info) = try ImageDecoder.decodeDescribed(raw, name: url.path, options: options.decodeOptions)
      return DescribedImage(pixels: try resized(pixels, of: url), info: info, fileHash: SHA256Digest(of: raw))
    }
  }

  /// ``loadDescribed(_:)`` keeping 16-bit samples.
  public func loadSixteenBitDescribed(_ url: URL) throws -> DescribedImage<UInt16> {
    let bytes = try ImageDecoder.readFile(url)
    return try bytes.withUnsafeBytes { raw in
      let (pixels, info) = try ImageDecoder.decodeSixteenBitDescribed(
        raw, name: url.path, options: options.decodeOptions)
      return DescribedImage(pixels: try resized(pixels, of: url), info: info, fileHash: SHA256Digest(of: raw))
    }
  }

  /// `decoded` (the image of `url`) fitted to the options' size (unchanged without one);
  /// RGBA is resized with premultiplied alpha, as Pillow's `resize` does.
  ///
  /// - Throws: ``ImageError/tooLarge(file:message:)`` when `--resize short-side-crop` would
  ///   first make an image over 1 GiB.
  func resized<Sample: ImageSample>(_ decoded: NDArray<Sample>, of url: URL) throws -> NDArray<Sample> {
    guard let size = options.size else { return decoded }
    if options.resizeMode == .shortSideCrop {
      let shortSide = options.shortSide ?? min(size.width, size.height)
      let resized = shortSideResizedSize(width: decoded.shape[1], height: decoded.shape[0], shortSide: shortSide)
      let bytes = resized.width.multipliedReportingOverflow(
        by: resized.height * decoded.shape[2] * MemoryLayout<Sample>.size)
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
      filter: options.filter, shortSide: options.shortSide, premultipliedAlpha: options.color == .rgba)
  }
}
