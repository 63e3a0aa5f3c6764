import Foundation
import Testing

@testable import NDArray

// The trap of issue 14 fixed: `x[0]` on an (N, H, W, C) array is image 0, a view; the
// element subscripts keep working; programmer errors trap with NumPy's wording.

@Suite("Integer indexing")
struct IntegerIndexingTests {
  /// Regression: `let first = x[0]` on a 4-d array compiled and then trapped ("1 indices
  /// for an array of shape [36, 96, 128, 3]").
  @Test func firstImageOfABatchIsAView() {
    let x = NDArray<Float>((0..<(4 * 3 * 2 * 3)).map(Float.init), shape: [4, 3, 2, 3])
    let first = x[0]
    #expect(first.shape == [3, 2, 3])
    #expect(first._storage === x._storage)  // no copy
    #expect(first.flatElements == (0..<18).map(Float.init))
    #expect(x[-1].flatElements == (54..<72).map(Float.init))
    #expect(x[2][1][0].flatElements == [42, 43, 44])  // a[2][1][0] == a[2, 1, 0]
    let batch = x[1..<3]
    #expect(batch.shape == [2, 3, 2, 3])
    #expect(batch._storage === x._storage)
    #expect(batch.flatElements == (18..<54).map(Float.init))
  }

  @Test func elementAccessKeepsWorking() {
    var a = NDArray<Int32>(Array(0..<12), shape: [3, 4])
    #expect(a[1, 2] == 6)  // all indices: the element, as before
    #expect(a[item: 1, 2] == 6)
    #expect(a[item: -1, -1] == 11)
    a[1, 2] = 60
    a[item: 0, 0] = -5
    #expect(a.flatElements == [-5, 1, 2, 3, 4, 5, 60, 7, 8, 9, 10, 11])
    var v = NDArray<Double>([1.5, 2.5, 3.5])
    #expect(v[item: 2] == 3.5)
    v[item: -1] = 9
    #expect(v.flatElements == [1.5, 2.5, 9])
    #expect(v[1].shape == [])  // a row of a 1-d array is 0-d, as NumPy's a[1] of a view
    #expect(v[1].item == 2.5)
  }

  @Test func assigningARowBroadcastsAndCopiesOnWrite() {
    var x = NDArray<UInt8>(zeros: [3, 2, 2])
    let before = x
    x[1] = NDArray(scalar: 7)
    x[-1] = NDArray([1, 2])  // broadcast (2,) into (2, 2)
    x[..<1] = NDArray(shape: [1, 2, 2], repeating: 9)
    #expect(x.flatElements == [9, 9, 9, 9, 7, 7, 7, 7, 1, 2, 1, 2])
    #expect(before.flatElements == [UInt8](repeating: 0, count: 12))  // value semantics
  }

  @Test func takeGathersAMinibatch() {
    let x = NDArray<Int16>(Array(0..<24), shape: [6, 2, 2])
    let batch = x.take([3, 1, -1], axis: 0)
    #expect(batch.shape == [3, 2, 2])
    #expect(batch.flatElements == [12, 13, 14, 15, 4, 5, 6, 7, 20, 21, 22, 23])
    #expect(x.take([5, 0], axis: nil).flatElements == [5, 0])
  }

  @Test func rowOutOfRangeTrapsWithNumPysMessage() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = NDArray<Float>(zeros: [3, 2])
      _ = x[3]
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("index 3 is out of bounds for axis 0 with size 3"), "\(message)")
  }

  @Test func indexingAZeroDimensionalArrayTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = NDArray<Float>(scalar: 1)[0]
    }
  }

  @Test func takeOutOfRangeTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = NDArray<Float>(zeros: [3]).take([-4], axis: 0)
    }
  }

  @Test func maskOfTheWrongShapeTraps() async {
    await #expect(processExitsWith: .failure) {
      let a = NDArray<Float>(zeros: [3, 2])
      _ = a[NDArray<Bool>([true, false])]
    }
  }
}
