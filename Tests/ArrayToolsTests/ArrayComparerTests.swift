import Foundation
import NDArray
import NPYIO
import Testing

@testable import ArrayTools

/// ``ArrayComparer`` on in-memory arrays. The rules are numpy.testing.assert_allclose's; the
/// expected figures follow from its definitions (`|a − b| ≤ atol + rtol·|b|` in isclose's dtype,
/// `abs(a − b)` in the arrays' dtype) and were confirmed with NumPy 2.4.6.
@Suite struct ArrayComparerTests {
  func side<Element: NDArrayElement>(_ array: NDArray<Element>, fortran: Bool = false) -> ComparedArray {
    let any = AnyNDArray(array)
    return ComparedArray(
      path: "mem", shape: array.shape, dtype: Element.dtype, fortranOrder: fortran,
      open: {
        guard fortran else { return InMemoryChunkSource(any) }
        // Fortran storage order is the C order of the transpose.
        return InMemoryChunkSource(AnyNDArray(array.transposed()))
      },
      openInCOrder: { InMemoryChunkSource(any) })
  }

  func compare(_ a: ComparedArray, _ b: ComparedArray, _ options: ArrayComparisonOptions = .init()) throws
    -> ArrayComparison
  {
    try ArrayComparer.compare(a, b, options: options)
  }

  @Test func equalAndUnequalWithFigures() throws {
    let a = NDArray<Double>([1, 2, 3, 4, 5, .nan], shape: [2, 3])
    let b = NDArray<Double>([1, 2.1, 3, 4.5, 5, .nan], shape: [2, 3])
    #expect(try compare(side(a), side(a)).isEqual)
    let result = try compare(side(a), side(b))
    #expect(result.outcome == .valuesDiffer)
    #expect(result.mismatched == 2 && result.total == 6)
    #expect(result.mismatches.map(\.index) == [[0, 1], [1, 0]])
    #expect(result.mismatches.map(\.actual) == ["2.0", "4.0"])
    #expect(result.maxAbsolute?.value == 0.5 && result.maxAbsolute?.index == [1, 0])
    #expect(result.maxRelative?.value == 0.5 / 4.5 && result.maxRelative?.text == "0.11111111")
  }

  @Test func shapesNaNAndInfinityRules() throws {
    let a = NDArray<Double>([1, 2, 3])
    #expect(try compare(side(a), side(NDArray<Double>([1, 2]))).outcome == .shapeMismatch)
    #expect(try compare(side(NDArray<Double>(scalar: 2)), side(NDArray<Double>([2, 2, 2]))).isEqual)
    let nan = NDArray<Double>([1, .nan, 3])
    #expect(try compare(side(nan), side(a)).outcome == .nanLocationMismatch)
    #expect(try compare(side(nan), side(nan)).isEqual)
    let differ = try compare(side(nan), side(nan), ArrayComparisonOptions(equalNaN: false))
    #expect(differ.outcome == .valuesDiffer && differ.mismatched == 1 && differ.maxAbsolute!.value.isNaN)
    let inf = NDArray<Double>([1, .infinity, 3])
    #expect(try compare(side(inf), side(a)).outcome == .infLocationMismatch)
    #expect(try compare(side(inf), side(NDArray<Double>([1, -.infinity, 3]))).outcome == .infValuesMismatch)
    #expect(try compare(side(inf), side(inf)).isEqual)
    let exact = try compare(side(a), side(a.astype(Float.self)), ArrayComparisonOptions(exact: true))
    #expect(exact.outcome == .dtypeMismatch)
  }

  @Test func float32PairsAreComparedInFloat32() throws {
    // 1 + 2⁻²³ against 1 with rtol just under 2⁻²³: float32(rtol) is 2⁻²³, so NumPy's
    // float32 isclose passes, while against a float64 desired value it fails.
    let rtol = 0x1p-23 * (1 - 1e-9)
    let x = NDArray<Float>([1 + 0x1p-23]), y = NDArray<Float>([1])
    #expect(try compare(side(x), side(y), ArrayComparisonOptions(rtol: rtol)).isEqual)
    #expect(try !compare(side(x), side(y.astype(Double.self)), ArrayComparisonOptions(rtol: rtol)).isEqual)
  }

  @Test func integerDifferencesWrapAsNumPys() throws {
    let signed = try compare(side(NDArray<Int8>([100, -100])), side(NDArray<Int8>([-100, 100])))
    #expect(signed.maxAbsolute?.value == 56 && signed.maxAbsolute?.text == "56")  // int8: 200 wraps to -56
    let unsigned = try compare(side(NDArray<UInt8>([1, 250])), side(NDArray<UInt8>([3, 2])))
    #expect(unsigned.maxAbsolute?.value == 8)  // min(250 - 2, 2 - 250 mod 256) = 8
    let bools = try compare(side(NDArray<Bool>([true, false])), side(NDArray<Bool>([true, true])))
    #expect(bools.mismatched == 1 && bools.maxAbsolute == nil && bools.mismatches[0].actual == "False")
  }

  @Test func chunksAndFortranOrderListInCOrder() throws {
    let count = ArrayComparer.chunkElements * 2 + 17
    var values = (0..<count).map { Double($0) }
    let a = NDArray<Double>(values, shape: [count])
    values[count - 3] += 1
    values[ArrayComparer.chunkElements + 1] += 2
    let result = try compare(side(a), side(NDArray<Double>(values, shape: [count])))
    #expect(result.mismatches.map(\.index) == [[ArrayComparer.chunkElements + 1], [count - 3]])
    #expect(result.maxAbsolute?.index == [ArrayComparer.chunkElements + 1])
    // Both Fortran-ordered: elements arrive column by column, mismatches still listed in C order.
    let m = NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
    var changed = (0..<12).map(Double.init)
    changed[3] = 100  // [0, 3]
    changed[9] = -5  // [2, 1]
    let f = try compare(
      side(m, fortran: true), side(NDArray<Double>(changed, shape: [3, 4]), fortran: true))
    #expect(f.mismatches.map(\.index) == [[0, 3], [2, 1]])
    #expect(f.maxAbsolute?.index == [0, 3] && f.maxAbsolute?.value == 97)
    // Mixed orders read the Fortran side in C order.
    let mixed = try compare(side(m, fortran: true), side(NDArray<Double>(changed, shape: [3, 4])))
    #expect(mixed.mismatches.map(\.index) == [[0, 3], [2, 1]])
  }

  @Test func complexIsRefused() {
    let c = AnyNDArray(NDArray<Double>([1, 2])).astype(.complex128)
    let complexSide = ComparedArray(
      path: "c.npy", shape: [2], dtype: .complex128, fortranOrder: false, open: { InMemoryChunkSource(c) },
      openInCOrder: { InMemoryChunkSource(c) })
    #expect(throws: ArrayComparisonError.unsupportedDType(path: "c.npy", dtype: .complex128)) {
      try compare(complexSide, complexSide)
    }
  }
}
