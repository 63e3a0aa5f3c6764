import NDArray
import Testing

@testable import ArrayTools

/// `numpy.array2string` of 0-d arrays and Python's `:.3g`; the expected strings were printed
/// by NumPy 2.4.6 (`np.array2string(np.array(v, dtype))`).
@Suite struct NumPyScalarTextTests {
  @Test func positionalAndScientificAsNumPyPrintsThem() {
    let cases: [(Double, DType, String)] = [
      (0.5, .float64, "0.5"), (1, .float64, "1."), (1.0 / 9, .float64, "0.11111111"),
      (9e8, .float64, "9.e+08"), (1e-10, .float64, "1.e-10"), (0, .float64, "0."),
      (Double(Float16(0.001953125)), .float16, "0.001953"), (Double.nan, .float64, "nan"),
      (.infinity, .float64, "inf"), (123.456, .float64, "123.456"), (2.5e-5, .float64, "2.5e-05"),
      (Double(Float(0.1)), .float32, "0.1"), (12345678.9, .float64, "12345678.9"),
      (0.000123456789123, .float64, "0.00012346"),
    ]
    for (value, dtype, expected) in cases {
      #expect(NumPyScalarText.array2string(value, dtype: dtype) == expected, "\(value) \(dtype)")
    }
  }

  @Test func percentWithThreeSignificantDigits() {
    #expect(NumPyScalarText.threeSignificant(100.0 * 2 / 6) == "33.3")
    #expect(NumPyScalarText.threeSignificant(100) == "100")
    #expect(NumPyScalarText.threeSignificant(50) == "50")
  }
}
