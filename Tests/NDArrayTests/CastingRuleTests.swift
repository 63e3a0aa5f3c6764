import ComplexModule
import Testing

@testable import NDArray

/// `DType.canCast(to:casting:)` answers as `np.can_cast(from, to, casting)` for all 14 × 14
/// dtype pairs under all five rules (Tests/Fixtures/ndarray/can_cast.json).
@Test func canCastMatchesNumPyForEveryPairAndRule() throws {
  let cases = Fixture.cases("can_cast.json")
  #expect(cases.count == DType.allCases.count * DType.allCases.count * Casting.allCases.count)
  var seen = Set<String>()
  for entry in cases {
    let from = try #require(DType(rawValue: entry["from"] as? String ?? ""))
    let to = try #require(DType(rawValue: entry["to"] as? String ?? ""))
    let casting = try #require(Casting(rawValue: entry["casting"] as? String ?? ""))
    let allowed = try #require(entry["allowed"] as? Bool)
    #expect(from.canCast(to: to, casting: casting) == allowed, "np.can_cast(\(from), \(to), '\(casting)')")
    seen.insert("\(from) \(to) \(casting)")
  }
  #expect(seen.count == 980)
}

/// The refusal that `recode scale.npy u8.npy --dtype uint8` used to skip: unit floats to
/// bytes is not a same-kind cast, so they no longer silently become 0 and 1.
@Test func astypeWithCastingRefusesWhatTheRuleForbids() throws {
  let unit = AnyNDArray(NDArray<Double>([0, 0.25, 0.5, 1]))
  #expect(throws: NDArrayError.castNotAllowed(from: .float64, to: .uint8, casting: .sameKind)) {
    try unit.astype(.uint8, casting: .sameKind)
  }
  #expect(
    NDArrayError.castNotAllowed(from: .float64, to: .uint8, casting: .sameKind).description
      == "cannot cast array data from dtype('float64') to dtype('uint8') according to the rule 'same_kind'")
  // Allowed casts go through and equal the plain astype.
  let narrowed = try unit.astype(.float32, casting: .sameKind)
  #expect(narrowed.typed(as: Float.self)?.flatElements == [0, 0.25, 0.5, 1])
  // unsafe is NumPy's astype default: truncation toward zero.
  #expect(try unit.astype(.uint8, casting: .unsafe).typed(as: UInt8.self)?.flatElements == [0, 0, 0, 1])
  #expect(unit.astype(.uint8).typed(as: UInt8.self)?.flatElements == [0, 0, 0, 1])
  // no/equiv allow only the same dtype.
  #expect(throws: NDArrayError.self) { try unit.astype(.complex128, casting: .no) }
  #expect(try unit.astype(.float64, casting: .no).typed(as: Double.self)?.flatElements == [0, 0.25, 0.5, 1])
}

/// `AnyNDArray.astype` reaches every target dtype, complex ones included, keeping the shape.
@Test func anyNDArrayAstypeReachesEveryDType() {
  let source = AnyNDArray(NDArray<Int16>([-2, 0, 3, 7, 100, -100], shape: [2, 3]))
  for target in DType.allCases {
    let result = source.astype(target)
    #expect(result.dtype == target)
    #expect(result.shape == [2, 3])
  }
  #expect(
    source.astype(.complex64).typed(as: Complex<Float>.self)?.flatElements.map(\.real) == [-2, 0, 3, 7, 100, -100])
  #expect(source.astype(.bool).typed(as: Bool.self)?.flatElements == [true, false, true, true, true, true])
  #expect(source.astype(.uint8).typed(as: UInt8.self)?.flatElements == [254, 0, 3, 7, 100, 156])
  let complex = AnyNDArray(NDArray<Complex<Double>>([Complex(1.5, 2), Complex(-3.25, 1)]))
  #expect(complex.astype(.float32).typed(as: Float.self)?.flatElements == [1.5, -3.25])
}
