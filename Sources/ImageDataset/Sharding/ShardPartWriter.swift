import Foundation
import NDArray
import NPYIO

/// One part file a shard task writes (`I.x.npy`, `I.S.x.npy` of split `S`, or
/// `I.pixels.npy`): created with its first image under a temporary name, renamed into place
/// by ``finish()``, so a killed task leaves no visible part. Its rows are `np.save` of those
/// rows of the dataset's `x`; every image of a part has one size. No NumPy equivalent.
final class ShardPartWriter {
  /// Where the part goes.
  let url: URL
  /// The split whose rows it holds; nil without splits (or for kept pixels).
  let split: String?
  /// The size every image of the part has: the first image's, or the one given first.
  var size: (height: Int, width: Int)?
  /// Rows appended.
  private(set) var rows = 0
  /// The moments of the measured images appended.
  var moments: PixelMoments
  /// `--stats image|batch:N`: the moments of each group of images normalized together, in
  /// row order.
  var groups: [PixelMoments] = []
  private let dtype: DType
  private let rowShape: (_ height: Int, _ width: Int) -> [Int]
  private var writer: NPYStreamWriter?

  /// A part at `url` of `dtype` rows shaped `rowShape(height, width)`.
  /// `maximumValue` is the samples' largest value (255, or 65535 at `--depth 16`).
  init(
    url: URL, split: String?, dtype: DType, channels: Int, maximumValue: UInt16,
    rowShape: @escaping (Int, Int) -> [Int]
  ) {
    self.url = url
    self.split = split
    self.dtype = dtype
    self.rowShape = rowShape
    moments = PixelMoments(channels: channels, maximumValue: maximumValue)
  }

  /// The part's file name.
  var name: String { url.lastPathComponent }

  /// Whether a row was written (the file exists once ``finish()`` ran).
  var isWritten: Bool { writer != nil }

  /// Throws when the image `file` is not of the part's size; the first image sets it.
  func check(file: String, height: Int, width: Int) throws(ConversionError) {
    try Self.check(file: file, height: height, width: width, against: &size)
  }

  /// Throws when the image `file` is not of size `expected`; nil takes the image's.
  static func check(file: String, height: Int, width: Int, against expected: inout (height: Int, width: Int)?)
    throws(ConversionError)
  {
    if let size = expected, size.height != height || size.width != width {
      throw .sizeMismatch(
        file: file, width: width, height: height, expectedWidth: size.width, expectedHeight: size.height)
    }
    expected = (height, width)
  }

  /// Appends `rows` images' bytes (one by default), creating the file (under a temporary
  /// name) for the first.
  func append(_ bytes: UnsafeRawBufferPointer, height: Int, width: Int, rows count: Int = 1) throws {
    if writer == nil {
      writer = try NPYStreamWriter(url: url, dtype: dtype, rowShape: rowShape(height, width))
    }
    try writer!.append(rawBytes: bytes, rowCount: count)
    rows += count
  }

  /// Completes the file and renames it into place.
  func finish() throws { try writer?.finish() }

  /// Removes the temporary file.
  func abort() { writer?.abort() }

  /// Removes what a killed task left for this part: `.NAME.*.tmp` beside it.
  func removeStaleTemporaries() {
    let folder = url.deletingLastPathComponent()
    let prefix = ".\(name)."
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }
}
