import NDArray

/// One image's pixels at the run's ``SampleDepth``: what travels from the loader to the
/// statistics, the pixel cache and the normalizer.
enum LoadedPixels: @unchecked Sendable {
  case eight(NDArray<UInt8>)
  case sixteen(NDArray<UInt16>)

  /// (H, W, C).
  var shape: [Int] {
    switch self {
    case .eight(let pixels): pixels.shape
    case .sixteen(let pixels): pixels.shape
    }
  }

  /// The exact integer moments of the pixels (``PixelMoments/maximumValue`` 255 or 65535).
  func moments(channels: Int) -> PixelMoments {
    switch self {
    case .eight(let pixels): pixels.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: channels) }
    case .sixteen(let pixels): pixels.withUnsafeBufferPointer { PixelMoments(pixels: $0, channels: channels) }
    }
  }

  /// The normalized bytes of the image.
  func normalized(by normalizer: Normalizer) -> [UInt8] {
    switch self {
    case .eight(let pixels): normalizer.bytes(of: pixels)
    case .sixteen(let pixels): normalizer.bytes(of: pixels)
    }
  }

  /// The samples as bytes (native byte order), for the pixel cache.
  func withUnsafeRawBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    switch self {
    case .eight(let pixels): try pixels.withUnsafeRawBytes(body)
    case .sixteen(let pixels): try pixels.withUnsafeRawBytes(body)
    }
  }

  /// Normalizes cached bytes of one image, read back from the pixel cache.
  static func normalized(cached bytes: [UInt8], depth: SampleDepth, by normalizer: Normalizer) -> [UInt8] {
    var bytes = bytes
    return bytes.withUnsafeMutableBufferPointer { raw in
      switch depth {
      case .eight:
        return normalizer.bytes(of: UnsafeBufferPointer(raw))
      case .sixteen:
        return raw.withMemoryRebound(to: UInt16.self) { normalizer.bytes(of: UnsafeBufferPointer($0)) }
      }
    }
  }
}
