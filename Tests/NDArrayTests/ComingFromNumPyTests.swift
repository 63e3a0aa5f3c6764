import Testing

@testable import NDArray

/// The code of the DocC article "Coming from NumPy", checked (values from NumPy).
@Test func comingFromNumPyArticleWorks() {
  let x = NDArray<Float>((0..<(10 * 2 * 2 * 1)).map(Float.init), shape: [10, 2, 2, 1])
  let y = NDArray<Int64>([0, 1, 1, 0, 2, 1, 0, 0, 1, 2])
  var rng = NumPyRandomGenerator(seed: 0)
  let order = rng.permutation(x.shape[0]).flatElements.map { Int($0) }
  var seen: [Int] = []
  for start in stride(from: 0, to: order.count, by: 4) {
    let batch = Array(order[start..<min(start + 4, order.count)])
    let images = x.take(batch, axis: 0)
    let labels = y.take(batch, axis: 0)
    #expect(images.shape == [batch.count, 2, 2, 1] && labels.shape == [batch.count])
    #expect(images[0] == x[batch[0]])
    seen += batch
  }
  #expect(seen.sorted() == Array(0..<10))
  #expect(x[0].shape == [2, 2, 1])
  let positives = x[y .== 1]
  #expect(positives.shape == [4, 2, 2, 1])
  #expect(positives[0] == x[1] && positives[3] == x[8])

  let v = NDArray<Int32>([3, -1, 4, -1, 5, 9, -2, 6])
  #expect(v[2..<5].flatElements == [4, -1, 5] && v[2...4] == v[2..<5])
  #expect(v[5...].flatElements == [9, -2, 6] && v[..<2].flatElements == [3, -1] && v[...] == v)
  #expect(v[v .> 0].flatElements == [3, 4, 5, 9, 6])
  #expect(v.sorted().flatElements == [-2, -1, -1, 3, 4, 5, 6, 9])
  #expect(v.argsort().flatElements == [6, 1, 3, 0, 2, 4, 7, 5])  // np.argsort(v, kind='stable')
  #expect(v.cumsum().flatElements == [3, 2, 6, 5, 10, 19, 17, 23])
  #expect(NDArray.floorDivide(v, NDArray(scalar: 2)).flatElements == [1, -1, 2, -1, 2, 4, -1, 3])
  #expect((v % 2).flatElements == [1, 1, 0, 1, 1, 1, 0, 0])
  #expect(v.padded([(1, 2)], mode: .reflect).flatElements == [-1, 3, -1, 4, -1, 5, 9, -2, 6, -2, 9])
  #expect(v.rolled(3).flatElements == [9, -2, 6, 3, -1, 4, -1, 5])
  #expect(v.quantile([0.5]).flatElements == [3.5])
}
