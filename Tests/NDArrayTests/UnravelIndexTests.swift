import NDArray
import Testing

/// `unravelIndex` and `ravelMultiIndex` against `np.unravel_index` / `np.ravel_multi_index`
/// (values printed by NumPy 2.4.6), and `DType.promoted(with:)` against `np.promote_types`.
@Suite struct UnravelIndexTests {
  @Test func unravelAndRavelAsNumPy() {
    #expect(unravelIndex(7, shape: [3, 4]) == [1, 3])
    #expect(unravelIndex(7, shape: [3, 4], fortranOrder: true) == [1, 2])
    #expect(unravelIndex(23, shape: [2, 3, 4], fortranOrder: true) == [1, 2, 3])
    #expect(unravelIndex(0, shape: []) == [])
    #expect(ravelMultiIndex([1, 3], shape: [3, 4]) == 7)
    #expect(ravelMultiIndex([1, 2, 3], shape: [2, 3, 4]) == 23)
    for flat in 0..<24 { #expect(ravelMultiIndex(unravelIndex(flat, shape: [2, 3, 4]), shape: [2, 3, 4]) == flat) }
  }

  @Test func promotionAsNumPy() {
    // np.promote_types(a, b) for these pairs.
    let cases: [(DType, DType, DType)] = [
      (.uint8, .int8, .int16), (.uint64, .int64, .float64), (.int16, .float16, .float32),
      (.int8, .float16, .float16), (.int64, .float32, .float64), (.bool, .uint16, .uint16),
      (.float32, .float64, .float64), (.uint32, .int32, .int64), (.float16, .complex64, .complex64),
    ]
    for (a, b, expected) in cases {
      #expect(a.promoted(with: b) == expected, "\(a) \(b)")
      #expect(b.promoted(with: a) == expected, "\(b) \(a)")
    }
  }
}
