import Foundation
import NDArray
import NPYIO
import Testing

/// Arrays read from `.npy` live in storage NDArray allocates and owns (issue 10 item 2,
/// one large-buffer allocator): writable without a copy, and a large buffer goes back to
/// the reuse cache when released.
@Suite struct OwnedStorageTests {
  @Test func anArrayReadFromNPYIsOwnedAndWritableWithoutACopy() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("small.npy")
    try NPY.write(NDArray<Int16>([1, 2, 3, 4, 5, 6], shape: [2, 3]), to: url, byteOrder: .big)
    var array = try NPY.read(Int16.self, at: url)
    #expect(array._ownsStorage)
    let before = array._storageAddress
    array[1, 2] = 60
    #expect(array._storageAddress == before)
    #expect(array.flatElements == [1, 2, 3, 4, 5, 60])

    // A Fortran-ordered file reads as a Fortran-contiguous owned array.
    let fortran = folder.appendingPathComponent("f.npy")
    try NPY.write(NDArray<Int16>([1, 2, 3, 4, 5, 6], shape: [2, 3]), to: fortran, order: .fortran)
    let back = try NPY.read(Int16.self, at: fortran)
    #expect(back._ownsStorage && back.isFContiguous && back.flatElements == [1, 2, 3, 4, 5, 6])
  }

  @Test func aLargeArrayReadFromNPYGoesBackToTheReuseCache() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // 43 MiB of Float: above the huge-page threshold, a size no other test allocates.
    let count = 43 << 18
    let url = folder.appendingPathComponent("large.npy")
    try NPY.write(NDArray<Float>(shape: [count], repeating: 2.5), to: url)
    var address: UnsafeRawPointer?
    do {
      var array = try NPY.read(Float.self, at: url)
      #expect(array._ownsStorage)
      address = array._storageAddress
      array[item: count - 1] = 7
      #expect(array._storageAddress == address)
      #expect(array[item: 0] == 2.5 && array[item: count - 1] == 7)
    }
    // Released: the next array of the same size gets the same buffer from the cache.
    let next = NDArray<Float>(shape: [count], repeating: 0)
    #expect(next._storageAddress == address)
  }
}
