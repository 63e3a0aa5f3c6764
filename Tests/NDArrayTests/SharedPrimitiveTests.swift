import ComplexModule
import Testing

@testable import NDArray

// The primitives NDArray shares with the other modules: the dtype dispatch, the seeded
// generator, the C-order odometer and the moments merge.

/// Reports the element type it is opened with.
private struct ElementDType: NDArrayVisitor, NDArrayElementTypeVisitor {
  func visit<Element: NDArrayElement>(_ array: NDArray<Element>) -> DType { Element.dtype }
  func visit<Element: NDArrayElement>(_ type: Element.Type) -> DType { Element.dtype }
}

/// A visitor that fails, to show the error comes through typed.
private struct Refuse: NDArrayVisitor {
  struct Refused: Error, Equatable { let dtype: DType }
  func visit<Element: NDArrayElement>(_ array: NDArray<Element>) throws(Refused) -> Int {
    throw Refused(dtype: Element.dtype)
  }
}

/// A visitor with an untyped `throws` (as NPYIO's encoders have) conforms too: its
/// `Failure` is `any Error`.
private struct ThrowsAnything: NDArrayVisitor, NDArrayElementTypeVisitor {
  struct Odd: Error {}
  func visit<Element: NDArrayElement>(_ array: NDArray<Element>) throws -> Int {
    if array.count % 2 == 1 { throw Odd() }
    return array.count
  }
  func visit<Element: NDArrayElement>(_ type: Element.Type) throws -> Int { MemoryLayout<Element>.stride }
}

@Test func untypedThrowingVisitorsConform() throws {
  #expect(try AnyNDArray(NDArray<Int8>([1, 2])).withTypedArray(ThrowsAnything()) == 2)
  #expect(throws: ThrowsAnything.Odd.self) { try AnyNDArray(NDArray<Int8>([1])).withTypedArray(ThrowsAnything()) }
  #expect(try DType.complex128.withElementType(ThrowsAnything()) == 16)
}

@Test func dtypeDispatchOpensEveryDType() {
  for dtype in DType.allCases {
    #expect(dtype.withElementType(ElementDType()) == dtype)
    let zeros = AnyNDArray(NDArray<UInt8>(shape: [2, 3], repeating: 0)).astype(dtype)
    #expect(zeros.withTypedArray(ElementDType()) == dtype)
    #expect(zeros.withTyped { $0.dtype } == dtype)
    #expect(zeros.dtype == dtype && zeros.shape == [2, 3] && zeros.count == 6)
    #expect(throws: Refuse.Refused(dtype: dtype)) { try zeros.withTypedArray(Refuse()) }
  }
}

/// The SplitMix64 stream is pinned: these are Vigna's reference outputs (also what
/// `python-interop/reference.py` computes), so the generator that replaced the copies in
/// ImageDataset and the fuzz harness gives the same bits.
@Test func splitMix64StreamIsPinned() {
  var zero = SplitMix64(seed: 0)
  #expect(
    [zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
  var other = SplitMix64(seed: 1_234_567)
  #expect(
    [other.next(), other.next(), other.next()] == [0x599E_D017_FB08_FC85, 0x2C73_F084_5854_0FA5, 0x883E_BCE5_A3F2_7C77])
}

/// The odometer visits `numpy.ndindex(*shape)` in order, and offsets kept with its steps
/// equal the index dotted with the strides at every step.
@Test(arguments: [[2, 3, 4], [1, 5], [3], [4, 1, 2], [2, 2, 2, 2], []])
func odometerWalksCOrderAndTracksOffsets(shape: [Int]) {
  let strides = shape.indices.map { 7 * $0 - 5 }  // arbitrary, negative ones too
  var odometer = COrderOdometer(shape: shape)
  let steps = odometer.offsetSteps(strides: strides)
  let total = shape.reduce(1, *)
  var offset = 0, visited = 0
  repeat {
    // The index is the C-order unravelling of the visit number.
    var expected = [Int](repeating: 0, count: shape.count), rest = visited
    for axis in shape.indices.reversed() { expected[axis] = rest % shape[axis]; rest /= shape[axis] }
    #expect(odometer.index == expected)
    #expect(offset == zip(odometer.index, strides).map(*).reduce(0, +))
    visited += 1
    guard let axis = odometer.advance() else { break }
    offset += steps[axis]
  } while true
  #expect(visited == total)
  #expect(odometer.index == [Int](repeating: 0, count: shape.count))
}

/// Merging moments of pieces gives the moments of the whole, as NumPy computes them from
/// the concatenated values.
@Test func momentsMergeMatchesTheWhole() {
  var total = Moments(count: 2, mean: 1.5, m2: 0.5)  // [1, 2]
  total.merge(Moments(count: 1, mean: 6, m2: 0))  // + [6]
  #expect(total == Moments(count: 3, mean: 3, m2: 14))
  // Merging nothing changes nothing, either way round.
  var empty = Moments()
  empty.merge(total)
  #expect(empty == total)
  total.merge(Moments())
  #expect(empty == total)

  var generator = SplitMix64(seed: 9)
  let values = (0..<1000).map { _ in Double.random(in: -5..<20, using: &generator) }
  var merged = Moments()
  for start in stride(from: 0, to: values.count, by: 137) {
    let piece = values[start..<min(start + 137, values.count)]
    let mean = piece.reduce(0, +) / Double(piece.count)
    merged.merge(
      Moments(count: Double(piece.count), mean: mean, m2: piece.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)))
  }
  let mean = values.reduce(0, +) / Double(values.count)
  let m2 = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
  #expect(merged.count == 1000)
  #expect(abs(merged.mean - mean) <= 1e-12 * abs(mean))
  #expect(abs(merged.m2 - m2) <= 1e-10 * m2)
}

/// The per-channel form (`ChannelStatistics`' arrays) merges channel by channel with the
/// same bits as the scalar merge.
@Test func momentsMergeOfChannelArrays() {
  var count = [2.0, 0, 4], mean = [1.5, 0, -1], m2 = [0.5, 0, 8]
  Moments.merge(count: &count, mean: &mean, m2: &m2, withCount: [1, 3, 0], mean: [6, 2, 9], m2: [0, 2, 9])
  var first = Moments(count: 2, mean: 1.5, m2: 0.5)
  first.merge(Moments(count: 1, mean: 6, m2: 0))
  #expect(count == [first.count, 3, 4])
  #expect(mean == [first.mean, 2, -1])
  #expect(m2 == [first.m2, 2, 8])
}
