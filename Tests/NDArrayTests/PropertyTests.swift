import Testing

@testable import NDArray

/// Multi-index of flat C-order position `position` in `shape`.
func multiIndex(_ position: Int, _ shape: [Int]) -> [Int] {
  var index = [Int](repeating: 0, count: shape.count)
  var rest = position
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    index[axis] = rest % shape[axis]
    rest /= shape[axis]
  }
  return index
}

/// The values of every result position of a reduction over `axes`, computed the slow way.
func naiveGroups(_ values: [Double], shape: [Int], axes: [Int]) -> (shape: [Int], groups: [[Double]]) {
  let reduced = Set(axes.map { $0 < 0 ? $0 + shape.count : $0 })
  let kept = (0..<shape.count).filter { !reduced.contains($0) }
  let resultShape = kept.map { shape[$0] }
  var groups = [[Double]](repeating: [], count: resultShape.reduce(1, *))
  for (position, value) in values.enumerated() {
    let index = multiIndex(position, shape)
    var flat = 0
    for axis in kept { flat = flat * shape[axis] + index[axis] }
    groups[flat].append(value)
  }
  return (resultShape, groups)
}

/// A random view of a random array: transposed, sliced with random (also negative) steps,
/// then sliced again (views of views).
func randomView(_ generator: inout SplitMix64) -> NDArray<Double> {
  let rank = Int.random(in: 0...4, using: &generator)
  let shape = (0..<rank).map { _ in Int.random(in: 1...6, using: &generator) }
  var a = NDArray<Double>.random(shape: shape, in: -10..<10, seed: generator.next())
  for _ in 0..<2 {
    a = a.transposed(Array(0..<a.rank).shuffled(using: &generator))
    let indices: [NDIndex] = a.shape.map { size in
      let step = [1, 1, 2, -1, -2].randomElement(using: &generator)!
      let start = Int.random(in: -size...size, using: &generator)
      return Bool.random(using: &generator) ? .all : .range(start, nil, step: step)
    }
    a = a[indices: indices]
  }
  return a
}

func randomAxes(rank: Int, _ generator: inout SplitMix64) -> [Int]? {
  if rank == 0 || Int.random(in: 0..<5, using: &generator) == 0 { return nil }
  return (0..<rank).filter { _ in Bool.random(using: &generator) }
    .map { Bool.random(using: &generator) ? $0 - rank : $0 }.shuffled(using: &generator)
}

/// Reductions of non-contiguous, transposed, reversed views over random axis sets equal a
/// naive reference.
@Test(arguments: 0..<40)
func reductionsOfViewsMatchNaiveReference(seed: Int) {
  var generator = SplitMix64(seed: UInt64(seed))
  let view = randomView(&generator)
  let axes = randomAxes(rank: view.rank, &generator)
  let all = Array(0..<view.rank)
  let (shape, groups) = naiveGroups(view.flatElements, shape: view.shape, axes: axes ?? all)
  let context = "view shape \(view.shape) strides \(view.strides) axes \(String(describing: axes))"
  let sum = view.sum(axes: axes), mean = view.mean(axes: axes), variance = view.variance(axes: axes, ddof: 1)
  #expect(sum.shape == shape, "\(context)")
  for (i, group) in groups.enumerated() {
    let n = Double(group.count)
    let expectedSum = group.reduce(0, +)
    let expectedMean = group.isEmpty ? .nan : expectedSum / n  // NumPy: mean of nothing is NaN
    let expectedVariance =
      group.isEmpty
      ? .nan
      : group.map { ($0 - expectedMean) * ($0 - expectedMean) }.reduce(0, +) / Swift.max(n - 1, 0)
    #expect(close(sum.flatElements[i], expectedSum, rtol: 1e-12, atol: 1e-12), "\(context)")
    #expect(close(mean.flatElements[i], expectedMean, rtol: 1e-12, atol: 1e-12), "\(context)")
    #expect(close(variance.flatElements[i], expectedVariance, rtol: 1e-12, atol: 1e-12), "\(context)")
    if !group.isEmpty {
      #expect(view.min(axes: axes).flatElements[i] == group.min()!, "\(context)")
      #expect(view.max(axes: axes).flatElements[i] == group.max()!, "\(context)")
    }
  }
  // The same reduction of a contiguous copy has the same values.
  #expect(view.contiguousCopy().sum(axes: axes).allClose(sum, rtol: 1e-12, atol: 1e-12), "\(context)")
}

/// Broadcasting arithmetic on random compatible shapes (views included) equals a naive
/// element-by-element reference.
@Test(arguments: 0..<40)
func broadcastingMatchesNaiveReference(seed: Int) {
  var generator = SplitMix64(seed: UInt64(1000 + seed))
  let rank = Int.random(in: 0...4, using: &generator)
  let full = (0..<rank).map { _ in Int.random(in: 0...4, using: &generator) }
  func operandShape() -> [Int] {
    let drop = Int.random(in: 0...rank, using: &generator)
    return full.dropFirst(drop).map { Bool.random(using: &generator) ? 1 : $0 }
  }
  let sa = operandShape(), sb = operandShape()
  var a = NDArray<Int32>.random(shape: sa.reversed(), in: -100...100, seed: generator.next())
  a = a.transposed()  // non-contiguous when rank > 1
  let b = NDArray<Int32>.random(shape: sb, in: -100...100, seed: generator.next())
  let out = broadcastShapes(sa, sb)
  let results = [a + b, a - b, a * b, NDArray.maximum(a, b)]
  let av = a.flatElements, bv = b.flatElements
  func operandValue(_ values: [Int32], _ shape: [Int], _ index: [Int]) -> Int32 {
    let lead = index.count - shape.count
    var flat = 0
    for (axis, size) in shape.enumerated() { flat = flat * size + (size == 1 ? 0 : index[lead + axis]) }
    return values[flat]
  }
  for result in results { #expect(result.shape == out) }
  for position in 0..<out.reduce(1, *) {
    let index = multiIndex(position, out)
    let x = operandValue(av, sa, index), y = operandValue(bv, sb, index)
    #expect(results[0].flatElements[position] == x &+ y)
    #expect(results[1].flatElements[position] == x &- y)
    #expect(results[2].flatElements[position] == x &* y)
    #expect(results[3].flatElements[position] == Swift.max(x, y))
  }
}

/// Large reductions give the same bits whatever the number of threads: chunk boundaries
/// are fixed and chunks combine in order.
@Test func reductionsDoNotDependOnThreadCount() {
  let floats = NDArray<Float>.random(shape: [16, 64, 64, 3], in: -1..<1, seed: 11)
  let bytes = NDArray<UInt8>.random(shape: [40, 64, 64, 3], seed: 12)
  let doubles = NDArray<Double>.random(shape: [64, 100, 50], in: 0..<100, seed: 13)
  func results() -> [[Double]] {
    var r: [[Double]] = []
    for axes in [nil, [0, 1, 2], [1, 2], [0, 3], [-1]] as [[Int]?] {
      r.append(floats.sum(axes: axes).flatElements.map(Double.init))
      r.append(floats.mean(axes: axes).flatElements.map(Double.init))
      r.append(floats._variancesInDouble(axes: axes, ddof: 0, keepDims: false).flatElements)
      r.append(bytes.std(axes: axes).flatElements)
      r.append(bytes.sum(axes: axes).flatElements.map(Double.init))
      r.append(floats.max(axes: axes).flatElements.map(Double.init))
    }
    for axes in [nil, [0], [2], [0, 2]] as [[Int]?] {
      r.append(doubles.mean(axes: axes).flatElements)
      r.append(doubles.std(axes: axes, ddof: 1).flatElements)
    }
    r.append(((floats - NDArray<Float>([0.1, 0.2, 0.3])) / NDArray<Float>([2, 3, 4])).flatElements.map(Double.init))
    return r
  }
  // The knob reaches the parallel loops (even for small work) and is scoped to the task.
  #expect(_Parallel.$threadCountOverride.withValue(7) { _Parallel.threadCount(items: 100, elements: 10) } == 7)
  #expect(_Parallel.threadCount(items: 100, elements: 10) == 1)
  var outcomes: [[[Double]]] = []
  for threads in [1, 2, 3, 7] {
    outcomes.append(_Parallel.$threadCountOverride.withValue(threads) { results() })
  }
  for other in outcomes.dropFirst() {
    #expect(other.count == outcomes[0].count)
    for (x, y) in zip(outcomes[0], other) {
      #expect(x.elementsEqual(y) { $0.bitPattern == $1.bitPattern })
    }
  }
  // And the parallel/chunked results are right: compare with a plain Double reference.
  let flat = floats.flatElements.map(Double.init)
  var channel = [Double](repeating: 0, count: 3)
  for (i, v) in flat.enumerated() { channel[i % 3] += v }
  let mean = floats._meansInDouble(axes: [0, 1, 2], keepDims: false).flatElements
  for c in 0..<3 { #expect(close(mean[c], channel[c] / Double(flat.count / 3), rtol: 1e-12, atol: 1e-15)) }
  let byteSum = bytes.flatElements.reduce(UInt64(0)) { $0 + UInt64($1) }
  #expect(bytes.sum().item == byteSum)
}

/// Column reductions for every row width 1…20 take the SIMD lane kernels (uint8: 16-byte
/// vectors, float32: 4-float vectors) or the generic lanes; all must equal a naive sum.
@Test(arguments: 1...20)
func columnReductionsForEveryWidth(width: Int) {
  let rows = 700
  let bytes = NDArray<UInt8>.random(shape: [rows, width], seed: UInt64(width))
  let floats = NDArray<Float>.random(shape: [rows, width], in: -5..<5, seed: UInt64(width))
  let shorts = NDArray<Int16>.random(shape: [rows, width], seed: UInt64(width))
  let byteValues = bytes.flatElements, floatValues = floats.flatElements, shortValues = shorts.flatElements
  let byteSums = bytes.sum(axes: [0]).flatElements
  let byteVariance = bytes.variance(axes: [0]).flatElements
  let floatMeans = floats._meansInDouble(axes: [0], keepDims: false).flatElements
  let floatVariance = floats._variancesInDouble(axes: [0], ddof: 0, keepDims: false).flatElements
  let shortSums = shorts.sum(axes: [0]).flatElements
  let shortStd = shorts.std(axes: [0], ddof: 1).flatElements
  for c in 0..<width {
    let column = (0..<rows).map { byteValues[$0 * width + c] }
    #expect(byteSums[c] == column.reduce(UInt64(0)) { $0 + UInt64($1) }, "uint8 width \(width)")
    let m = column.map(Double.init).reduce(0, +) / Double(rows)
    let v = column.map { (Double($0) - m) * (Double($0) - m) }.reduce(0, +) / Double(rows)
    #expect(close(byteVariance[c], v, rtol: 1e-12), "uint8 variance width \(width)")
    let fcolumn = (0..<rows).map { Double(floatValues[$0 * width + c]) }
    let fm = fcolumn.reduce(0, +) / Double(rows)
    let fv = fcolumn.map { ($0 - fm) * ($0 - fm) }.reduce(0, +) / Double(rows)
    #expect(close(floatMeans[c], fm, rtol: 1e-12, atol: 1e-14), "float mean width \(width)")
    #expect(close(floatVariance[c], fv, rtol: 1e-12), "float variance width \(width)")
    let scolumn = (0..<rows).map { shortValues[$0 * width + c] }
    #expect(shortSums[c] == scolumn.reduce(Int64(0)) { $0 + Int64($1) }, "int16 width \(width)")
    let sm = scolumn.map(Double.init).reduce(0, +) / Double(rows)
    let ss = (scolumn.map { (Double($0) - sm) * (Double($0) - sm) }.reduce(0, +) / Double(rows - 1)).squareRoot()
    #expect(close(shortStd[c], ss, rtol: 1e-12), "int16 std width \(width)")
  }
}

/// Wide rows: more than one wave of chunks (bounded partial memory), and rows wider than
/// 4096 (read through a transposed copy) — equal to a naive reference and independent of
/// the thread count.
@Test func wideRowsAndManyChunks() {
  let wide = NDArray<Float>.random(shape: [1100, 2048], in: -1..<1, seed: 21)  // 69 chunks, 2 waves
  let wider = NDArray<UInt8>.random(shape: [7, 5000], seed: 22)  // transposed path
  var outcomes: [[Double]] = []
  for threads in [1, 2, 3] {
    outcomes.append(
      _Parallel.$threadCountOverride.withValue(threads) {
        wide._variancesInDouble(axes: [0], ddof: 0, keepDims: false).flatElements
          + wide.max(axes: [0]).flatElements.map(Double.init)
      })
  }
  #expect(outcomes[0].elementsEqual(outcomes[1]) { $0.bitPattern == $1.bitPattern })
  #expect(outcomes[0].elementsEqual(outcomes[2]) { $0.bitPattern == $1.bitPattern })
  let values = wide.flatElements
  for c in stride(from: 0, to: 2048, by: 97) {
    let column = (0..<1100).map { Double(values[$0 * 2048 + c]) }
    let m = column.reduce(0, +) / 1100
    let v = column.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 1100
    #expect(close(outcomes[0][c], v, rtol: 1e-12))
    #expect(outcomes[0][2048 + c] == column.max()!)
  }
  let sums = wider.sum(axes: [0]).flatElements
  let bytes = wider.flatElements
  for c in 0..<5000 {
    #expect(sums[c] == (0..<7).reduce(UInt64(0)) { $0 + UInt64(bytes[$1 * 5000 + c]) })
  }
}
