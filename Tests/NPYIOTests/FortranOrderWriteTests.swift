import Foundation
import NDArray
import NPYIO
import Testing

/// `order: .fortran` writes the elements in Fortran order (`np.save(p, np.asfortranarray(a))`),
/// through the shared C-order odometer (issue 10 item 4).
@Suite struct FortranOrderWriteTests {
  /// The data section of the `.npy` file at `url`, as Int32 values.
  static func data(_ url: URL, count: Int) throws -> [Int32] {
    let bytes = try Data(contentsOf: url)
    return bytes.suffix(count * 4).withUnsafeBytes { raw in
      (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
    }
  }

  @Test(arguments: [[2, 3, 4], [5], [3, 1, 2, 2], [1, 1]])
  func eachElementLandsAtItsFortranPosition(shape: [Int]) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fortran-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let count = shape.reduce(1, *)
    let array = NDArray<Int32>((0..<count).map(Int32.init), shape: shape)
    let url = folder.appendingPathComponent("f.npy")
    try NPY.write(array, to: url, order: .fortran)
    var expected = [Int32](repeating: 0, count: count)
    // Element at C index (i0, i1, ...) has value = its C offset; its Fortran offset is
    // i0 + i1*d0 + i2*d0*d1 + ...
    for value in 0..<count {
      var rest = value
      var cIndex = [Int](repeating: 0, count: shape.count)
      for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        cIndex[axis] = rest % shape[axis]
        rest /= shape[axis]
      }
      var position = 0
      var step = 1
      for axis in 0..<shape.count {
        position += cIndex[axis] * step
        step *= shape[axis]
      }
      expected[position] = Int32(value)
    }
    #expect(try Self.data(url, count: count) == expected)
    // A one-row or one-axis array is C-contiguous too; np.save then says C order.
    #expect(try NPY.readHeader(at: url).fortranOrder == (shape.filter { $0 > 1 }.count > 1))
    #expect(try NPY.read(Int32.self, at: url).flatElements == array.flatElements)
  }
}
