import Foundation
import NDArray
import _FileSystem

extension NPY {
  /// Opens a `.npy` file as a read-only memory-mapped array.
  ///
  /// The NumPy equivalent is `numpy.load(path, mmap_mode='r')`. When the data is
  /// native-endian and aligned for the element type (always so for files NumPy writes), the
  /// array points straight into the mapping: opening costs O(1), pages are read when touched,
  /// and a write through the array copies first. Big-endian data and booleans (which must be
  /// checked to be 0 or 1) are read into memory instead. The mapping lives until the last
  /// array using it is gone. Throws ``NPYError`` as ``read(at:maxHeaderLength:)`` does.
  public static func map(at url: URL, maxHeaderLength: Int = defaultMaxHeaderLength) throws -> AnyNDArray {
    let opened = try openAndReadHeader(url, maxHeaderLength: maxHeaderLength)
    let (file, source, header) = (opened.file, opened.source, opened.header)
    let fileSize = try file.size()
    let available = fileSize - header.dataOffset
    guard let dtype = header.dataType.numericDType else {
      throw NPYError.dtypeMismatch(
        file: url.path, expected: "a numeric dtype (use readStrings for string arrays)", found: header.descr)
    }
    if available < header.byteCount {
      throw NPYError.truncatedData(file: url.path, expectedBytes: header.byteCount, foundBytes: max(0, available))
    }
    let zeroCopy =
      !header.dataType.needsByteSwap && dtype != .bool && header.count > 0
      && header.dataOffset % dtype.itemSize == 0
    guard zeroCopy else {
      return try decodeArray(header: header, from: source, availableBytes: available, file: url.path)
    }
    let mapped = try file.mapReadOnly(byteCount: fileSize)
    return dtype.withElementType(MapVisitor(header: header, mapping: mapped, mappingLength: fileSize))
  }

  private struct MapVisitor: NDArrayElementTypeVisitor {
    let header: NPYHeader
    let mapping: UnsafeMutableRawPointer
    let mappingLength: Int
    func visit<Element: NDArrayElement>(_ type: Element.Type) -> AnyNDArray {
      let start = (mapping + header.dataOffset).bindMemory(to: Element.self, capacity: header.count)
      let strides =
        header.fortranOrder
        ? NDArray<Element>.fortranStrides(for: header.shape)
        : NDArray<Element>.cStrides(for: header.shape)
      let region = SendablePointer(raw: mapping)
      let length = mappingLength
      return AnyNDArray(
        NDArray(
          unsafeBorrowing: start, storageCount: header.count, shape: header.shape,
          strides: strides, offset: 0, readOnly: true,
          release: { PlatformFileCalls.unmap(region.raw, byteCount: length) }))
    }
  }
}
