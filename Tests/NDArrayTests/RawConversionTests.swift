import NDArray
import Testing

/// `DType.convertElements` gives exactly `astype`'s values (NumPy's casts, checked against
/// NumPy by the casting suites) on its direct loops and its general path alike.
@Suite struct RawConversionTests {
  func check<Target: NDArrayElement & BinaryFloatingPoint>(_ array: AnyNDArray, to: Target.Type) {
    let expected = array.astype(Target.dtype).withTyped { $0.withUnsafeRawBytes { Array($0) } }
    var converted = [Target](repeating: 0, count: array.count)
    array.withTyped { typed in
      typed.withUnsafeRawBytes { raw in
        converted.withUnsafeMutableBufferPointer {
          array.dtype.convertElements(raw.baseAddress!, count: array.count, into: $0.baseAddress!)
        }
      }
    }
    let bytes = converted.withUnsafeBytes { Array($0) }
    #expect(bytes == expected, "\(array.dtype) to \(Target.dtype)")
  }

  @Test func everyRealDTypeToEachFloat() {
    let values: [Double] = [0, 1, -1, 2.5, -7.75, 100, 255, 1e5, -3e4, 65504, 1e-3, 16_777_217, 0.1]
    let source = AnyNDArray(NDArray<Double>(values))
    for dtype in DType.allCases where dtype.kind != "c" {
      let array = source.astype(dtype)
      check(array, to: Double.self)
      check(array, to: Float.self)
      check(array, to: Float16.self)
    }
  }
}
