/// A `write` pass's whitening (`--whiten`), or an `all` pass's with a stats file's saved
/// matrix (``ShardSavedWhitening``): each image's `uint8` pixels whitened with the matrix
/// (``Whitener``) into its part, as `normtool convert` writes them; image scope gathers
/// ``Whitener/imagesPerProduct`` images per part into one product.
final class ShardWhitening {
  private let matrix: WhiteningMatrix
  private let options: ConversionOptions
  /// `--stats FILE`: the file the matrix came from, named when an image does not fit it.
  private let statsFile: String?
  /// Per part (by name): the pixels waiting for a product and their image size.
  private var pending: [String: (part: ShardPartWriter, pixels: [UInt8], height: Int, width: Int)] = [:]

  init(_ matrix: WhiteningMatrix, options: ConversionOptions, statsFile: String? = nil) {
    self.matrix = matrix
    self.options = options
    self.statsFile = statsFile
  }

  /// `rowShape` of a part's rows for images of `height`×`width`.
  func rowShape(height: Int, width: Int) -> [Int] {
    Whitener.rowShape(
      method: matrix.method, scope: matrix.scope, width: width, height: height, channels: options.channels,
      layout: options.layout)
  }

  private func whitener(height: Int, width: Int) -> Whitener {
    Whitener(
      matrix, width: width, height: height, channels: options.channels, dtype: options.resolvedDType,
      layout: options.layout)
  }

  /// Channel scope: whitens one decoded image on the thread that decoded it (each pixel
  /// alone: the bytes ``append(_:file:height:width:expected:to:)`` would write); nil for image
  /// scope, whose images wait for a product.
  var inWorker: (@Sendable (LoadedImage) -> [UInt8])? {
    guard matrix.scope == .channel else { return nil }
    let matrix = self.matrix, options = self.options
    return { image in
      guard case .eight(let pixels) = image.pixels else { preconditionFailure("--whiten with --depth 16") }
      let whitener = Whitener(
        matrix, width: image.width, height: image.height, channels: options.channels, dtype: options.resolvedDType,
        layout: options.layout)
      return pixels.withUnsafeBufferPointer { whitener.bytes(of: $0) }
    }
  }

  /// Whitens the image `file` (`pixels`: its raw `uint8` bytes) into `part`.
  ///
  /// - Throws: ``ConversionError/sizeMismatch(file:width:height:expectedWidth:expectedHeight:)``
  ///   when image-scope whitening meets an image of another size than the measured ones
  ///   (`expected`), ``ConversionError/statisticsFile(path:reason:)`` when a stats file's
  ///   saved matrix is for vectors of another length (as `convert` says it), or the part's
  ///   write error.
  func append(
    _ pixels: [UInt8], file: String, height: Int, width: Int, expected: (height: Int, width: Int)?,
    to part: ShardPartWriter
  ) throws {
    if let statsFile, matrix.scope == .image, height * width * options.channels != matrix.dimension {
      throw ConversionError.statisticsFile(
        path: statsFile,
        reason: Self.lengthMismatch(matrix.dimension, width: width, height: height, channels: options.channels))
    }
    if matrix.scope == .channel {
      let bytes = pixels.withUnsafeBufferPointer { whitener(height: height, width: width).bytes(of: $0) }
      try bytes.withUnsafeBytes { try part.append($0, height: height, width: width) }
      return
    }
    var size: (height: Int, width: Int)? = expected
    try ShardPartWriter.check(file: file, height: height, width: width, against: &size)
    var waiting = pending[part.name] ?? (part, [], height, width)
    waiting.pixels += pixels
    pending[part.name] = waiting
    if waiting.pixels.count >= Whitener.imagesPerProduct * pixels.count { try flush(part.name) }
  }

  private func flush(_ name: String) throws {
    guard let waiting = pending.removeValue(forKey: name), !waiting.pixels.isEmpty else { return }
    let bytes = waiting.pixels.withUnsafeBufferPointer {
      whitener(height: waiting.height, width: waiting.width).bytes(of: $0)
    }
    let rows = waiting.pixels.count / (waiting.height * waiting.width * options.channels)
    try bytes.withUnsafeBytes {
      try waiting.part.append($0, height: waiting.height, width: waiting.width, rows: rows)
    }
  }

  /// Why a stats file's image-scope matrix of `dimension` values cannot whiten
  /// `width`×`height`×`channels` images (convert's words).
  static func lengthMismatch(_ dimension: Int, width: Int, height: Int, channels: Int) -> String {
    "its whitening is for vectors of \(dimension) values; \(width)x\(height)x\(channels) images give \(width * height * channels) (convert with the training --size)"
  }

  /// Writes every image still waiting.
  func finish() throws {
    for name in pending.keys.sorted() { try flush(name) }
  }
}
