import Foundation
import NDArray

extension NPY {
  /// Writes `array` to a `.npy` file byte for byte as `np.save` does: the same header
  /// (growth spaces, 64-byte alignment, the oldest version that fits unless `version` is
  /// given), Fortran order only for Fortran- and not C-contiguous arrays, C order otherwise.
  ///
  /// The NumPy equivalent is `numpy.save(path, array)`. The file is written under a temporary
  /// name and renamed when complete: a failed write leaves nothing behind, and an existing
  /// file stays intact until the new one replaces it. `byteOrder` `.big` writes `>` dtypes
  /// (NumPy writes the array's own byte order; native is little-endian here).
  ///
  /// `order` `.c` or `.fortran` first makes the array contiguous in that order
  /// (`np.save(path, np.asarray(array, order=...))`); nil keeps `np.save`'s rule.
  public static func write<Element: NDArrayElement>(
    _ array: NDArray<Element>, to url: URL,
    version: NPYVersion? = nil,
    byteOrder: NPYByteOrder = .little,
    order: NPYMemoryOrder? = nil
  ) throws {
    try writeAtomically(to: url.path, dataBytes: array.count * Element.dtype.itemSize) { file in
      _ = try encode(array, byteOrder: byteOrder, version: version, order: order, file: url.path) {
        try file.writeAll($0)
      }
    }
  }

  /// Writes an array whose dtype is known only at run time; see the generic overload.
  ///
  /// The NumPy equivalent is `numpy.save(path, array)`.
  public static func write(
    _ array: AnyNDArray, to url: URL, version: NPYVersion? = nil,
    byteOrder: NPYByteOrder = .little, order: NPYMemoryOrder? = nil
  ) throws {
    try writeAtomically(to: url.path, dataBytes: array.count * array.dtype.itemSize) { file in
      _ = try array.withTypedArray(
        EncodeVisitor(byteOrder: byteOrder, version: version, order: order, file: url.path) { try file.writeAll($0) })
    }
  }

  /// Writes of at least this many data bytes reserve their disk blocks first.
  static let reserveThreshold = 1 << 20

  /// Runs `body` on a temporary file next to `path`, then renames it onto `path`;
  /// removes the temporary file if `body` throws. `dataBytes` (the array data, without the
  /// header) is reserved up front when large; the file's bytes are exactly what `body` writes.
  ///
  /// Nothing is flushed to disk (no `fsync`), as with `np.save`: after a power loss the file
  /// may be missing or incomplete, but a crash of this process never leaves a partial file
  /// at `path`.
  static func writeAtomically(
    to path: String, dataBytes: Int = 0,
    _ body: (NPYFile) throws -> Void
  ) throws {
    let output = try AtomicOutputFile(destination: path)
    do {
      let reserved = dataBytes >= reserveThreshold ? try output.file.reserve(byteCount: dataBytes) : false
      try body(output.file)
      // The header comes first, so a complete write ends past the reservation; anything
      // shorter is cut so the file holds exactly the bytes written.
      if reserved {
        let end = try output.file.position()
        if end < dataBytes { try output.file.truncate(to: end) }
      }
      try output.commit()
    } catch {
      output.abort()
      throw error
    }
  }
}
