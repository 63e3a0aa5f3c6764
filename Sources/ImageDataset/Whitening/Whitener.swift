import NDArray

/// Applies a ``WhiteningMatrix`` to `uint8` images and gives the bytes of `x`: scale
/// (`p / 255`), centre with the matrix's mean, whiten, in Float64, rounded once to the
/// output type, in the output layout.
///
/// The NumPy equivalent, for (n, H, W, C) `uint8` images `p`:
/// `((p.reshape(-1, D) / 255 - mean) @ W.T).astype(dtype)` with D = C (`channel`, one row
/// per pixel) or D = H·W·C (`image`, one row per image), reshaped back to (n, H, W, C) and
/// transposed for `nchw`; image-scope PCA gives (n, D) components, largest first.
public struct Whitener: Sendable {
  /// The transform.
  public let whitening: WhiteningMatrix
  /// Image width, height and channels.
  public let width: Int, height: Int, channels: Int
  /// `float16`, `float32` or `float64`.
  public let dtype: DType
  /// The output axis order (not used by image-scope PCA, whose rows are components).
  public let layout: OutputLayout
  /// Images per BLAS product for image scope: one `dgemm` of 256×D by D×D, always this
  /// shape (see ``bytes(of:)``).
  public static let imagesPerProduct = 256

  /// A whitener for images of `width`×`height`×`channels`; traps when the matrix does not
  /// fit them (``WhiteningMatrix/dimension``) or `dtype` is not a float type.
  public init(
    _ whitening: WhiteningMatrix, width: Int, height: Int, channels: Int, dtype: DType, layout: OutputLayout
  ) {
    precondition(
      whitening.dimension == whitening.scope.dimension(width: width, height: height, channels: channels),
      "a \(whitening.dimension)-value whitening for \(width)x\(height)x\(channels) images")
    precondition([.float16, .float32, .float64].contains(dtype), "whitened output must be a float type, not \(dtype)")
    self.whitening = whitening
    self.width = width
    self.height = height
    self.channels = channels
    self.dtype = dtype
    self.layout = layout
  }

  /// The shape of one output row: (H, W, C) or (C, H, W), or (D,) for image-scope PCA.
  public var rowShape: [Int] {
    Self.rowShape(
      method: whitening.method, scope: whitening.scope, width: width, height: height, channels: channels,
      layout: layout)
  }

  /// The shape of one output row for `method` and `scope` (see ``rowShape``).
  public static func rowShape(
    method: WhiteningMethod, scope: WhiteningScope, width: Int, height: Int, channels: Int, layout: OutputLayout
  ) -> [Int] {
    if scope == .image && method == .pca { return [width * height * channels] }
    return layout == .nhwc ? [height, width, channels] : [channels, height, width]
  }

  /// The output bytes (little-endian, C order) of `pixels.count / (H·W·C)` images stored
  /// one after another. Each image's bytes are the same whichever images it is passed with:
  /// channel scope whitens pixel by pixel, image scope in zero-padded products of
  /// ``imagesPerProduct`` rows.
  public func bytes(of pixels: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    let imageValues = width * height * channels
    precondition(pixels.count % imageValues == 0, "\(pixels.count) values are not whole \(imageValues)-value images")
    let images = pixels.count / imageValues
    var y = whitened(pixels, images: images)
    if rowShape.count == 3 {
      y = y.reshaped([images, height, width, channels])
      if layout == .nchw { y = y.transposed([0, 3, 1, 2]) }
    }
    switch dtype {
    case .float16: return Self.rawBytes(y.astype(Float16.self))
    case .float32: return Self.rawBytes(y.astype(Float.self))
    default: return Self.rawBytes(y.contiguous())
    }
  }

  /// `(p / 255 - mean) @ W.T` in Float64: (images, D) for image scope, (pixels, C) for channel scope.
  func whitened(_ pixels: UnsafeBufferPointer<UInt8>, images: Int) -> NDArray<Double> {
    let d = whitening.dimension
    let rows = pixels.count / d
    let mean = whitening.mean
    let centred = NDArray<Double>(unsafeUninitializedShape: [rows, d]) { output in
      for r in 0..<rows {
        let row = r * d
        for i in 0..<d { output[row + i] = Double(pixels[row + i]) / 255 - mean[i] }
      }
    }
    if whitening.scope == .image {
      return Self.productRows(centred, by: whitening.matrix.transposed())
    }
    // A C×C product per pixel: a loop (BLAS gains nothing at k = C).
    let w = whitening.matrix.flatElements
    return centred.withUnsafeBufferPointer { x in
      NDArray<Double>(unsafeUninitializedShape: [rows, d]) { output in
        for r in 0..<rows {
          let row = r * d
          for c in 0..<d {
            var sum = 0.0
            for k in 0..<d { sum += w[c * d + k] * x[row + k] }
            output[row + c] = sum
          }
        }
      }
    }
  }

  /// `x @ wt` computed ``imagesPerProduct`` rows at a time, the last block padded with zero
  /// rows: every `dgemm` has the same shape, so a row's bits do not depend on how many images
  /// share its product or where it sits among them (a shard's rows equal `convert`'s).
  static func productRows(_ x: NDArray<Double>, by wt: NDArray<Double>) -> NDArray<Double> {
    let rows = x.shape[0], d = x.shape[1], block = imagesPerProduct
    if rows == block { return x.matmul(wt) }
    return x.withUnsafeBufferPointer { source in
      NDArray<Double>(unsafeUninitializedShape: [rows, d]) { output in
        var start = 0
        while start < rows {
          let count = Swift.min(block, rows - start)
          let padded = NDArray<Double>(unsafeUninitializedShape: [block, d]) { chunk in
            for i in 0..<(count * d) { chunk[i] = source[start * d + i] }
            for i in (count * d)..<(block * d) { chunk[i] = 0 }
          }
          padded.matmul(wt).withUnsafeBufferPointer { product in
            for i in 0..<(count * d) { output[start * d + i] = product[i] }
          }
          start += count
        }
      }
    }
  }

  static func rawBytes<T>(_ array: NDArray<T>) -> [UInt8] {
    array.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
  }
}
