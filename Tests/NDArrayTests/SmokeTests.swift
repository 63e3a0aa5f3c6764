import Testing
@testable import NDArray

@Test func smokeReductions() {
  let a = NDArray<UInt8>((0..<24).map { UInt8($0) }, shape: [2, 3, 4])
  #expect(a.sum().item == 276)
  let expected0: [UInt64] = (0..<12).map { UInt64(2 * $0 + 12) }
  #expect(a.sum(axes: [0]).flatElements == expected0)
  #expect(a.sum(axes: [0, 2]).flatElements == [60, 92, 124])
  #expect(a.mean(axes: [-1]).flatElements == [1.5, 5.5, 9.5, 13.5, 17.5, 21.5])
  #expect(a.max(axes: [1]).flatElements == [8, 9, 10, 11, 20, 21, 22, 23])
  #expect(a.min(axes: [0, 1], keepDims: true).shape == [1, 1, 4])
  let f = a.astype(Float.self)
  #expect(abs(f.std().item - 6.922186552431729) < 1e-5)
  #expect(abs(a.std().item - 6.922186552431729) < 1e-12)
  #expect(abs(a.variance(ddof: 1).item - 50.0) < 1e-12)
  #expect(a.argmax(axis: 1).flatElements == [2, 2, 2, 2, 2, 2, 2, 2])
  #expect(a.transposed().sum(axes: [1]).shape == [4, 2])
  #expect(a.transposed().sum(axes: [1]).flatElements == a.sum(axes: [1]).transposed().flatElements)
}
