import ComplexModule
import Testing

@testable import NDArray

/// Cases outside the generated fixture (complex, float16, bool matrices), with NumPy
/// 2.4's output written in.
@Test func descriptionOfOtherDTypes() {
  let c = NDArray<Complex<Double>>([Complex(1, 2), Complex(-3.5, 0.5)])
  #expect("\(c)" == "[ 1. +2.j  -3.5+0.5j]")
  #expect(c.debugDescription == "array([ 1. +2.j , -3.5+0.5j])")
  let c64 = NDArray<Complex<Float>>([Complex(1, 0)])
  #expect(c64.debugDescription == "array([1.+0.j], dtype=complex64)")
  let h = NDArray<Float16>([0.1, 0.25])
  #expect("\(h)" == "[0.1  0.25]")
  #expect(h.debugDescription == "array([0.1 , 0.25], dtype=float16)")
  let b = NDArray<Bool>([true, false, false, false], shape: [2, 2])
  #expect("\(b)" == "[[ True False]\n [False False]]")
  #expect(b.debugDescription == "array([[ True, False],\n       [False, False]])")
}
