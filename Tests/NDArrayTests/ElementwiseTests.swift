import ComplexModule
import Testing

@testable import NDArray

func binaryResults<E: NDArrayRealElement & NDArrayNumeric>(_ a: NDArray<E>, _ b: NDArray<E>) -> [String: AnyNDArray] {
  [
    "add": AnyNDArray(a + b), "subtract": AnyNDArray(a - b), "multiply": AnyNDArray(a * b),
    "minimum": AnyNDArray(NDArray.minimum(a, b)), "maximum": AnyNDArray(NDArray.maximum(a, b)),
  ]
}

/// `+ - * /`, minimum and maximum with NumPy broadcasting, for pairs of shapes that
/// include 0-d, empty and size-1 dimensions, against NumPy (integers wrap, exactly).
@Test(arguments: Fixture.cases("binary.json").indices)
func binaryOperationsMatchNumPy(caseIndex: Int) {
  let entry = Fixture.cases("binary.json")[caseIndex]
  let a = Encoded(entry["a"]), b = Encoded(entry["b"])
  var ours: [String: AnyNDArray]
  switch (a.array, b.array) {
  case (.int8(let x), .int8(let y)): ours = binaryResults(x, y)
  case (.uint8(let x), .uint8(let y)): ours = binaryResults(x, y)
  case (.int32(let x), .int32(let y)): ours = binaryResults(x, y)
  case (.int64(let x), .int64(let y)): ours = binaryResults(x, y)
  case (.float32(let x), .float32(let y)):
    ours = binaryResults(x, y)
    ours["divide"] = AnyNDArray(x / Encoded(entry["b_nonzero"]).array.typed(as: Float.self)!)
  case (.float64(let x), .float64(let y)):
    ours = binaryResults(x, y)
    ours["divide"] = AnyNDArray(x / Encoded(entry["b_nonzero"]).array.typed(as: Double.self)!)
  default: Issue.record("unexpected dtypes"); return
  }
  for (name, result) in ours {
    expectMatches(result, Encoded(entry[name]), "\(name) of \(a) and \(b)")
  }
}

/// In-place forms with a broadcast right-hand side equal the out-of-place forms, and
/// never change another array that shared the storage.
@Test func inPlaceOperationsBroadcast() {
  let x = NDArray<Float>.random(shape: [4, 5, 3], seed: 1)
  let mean = NDArray<Float>([0.485, 0.456, 0.406])
  let std = NDArray<Float>([0.229, 0.224, 0.225])
  var y = x
  y -= mean
  y /= std
  #expect(y == (x - mean) / std)
  #expect(x == NDArray<Float>.random(shape: [4, 5, 3], seed: 1))  // x untouched (copy on write)
  var z = x
  z += 1
  z *= 2
  #expect(z == (x + 1) * 2)
  var w = x
  w -= w  // aliasing operand
  #expect(w == NDArray<Float>(zeros: [4, 5, 3]))
  var column = NDArray<Int32>(Array(0..<6), shape: [2, 3])
  column += NDArray<Int32>([10, 20], shape: [2, 1])
  #expect(column.flatElements == [10, 11, 12, 23, 24, 25])
  // Scalar on the left.
  #expect((1 - NDArray<Double>([1, 2])).flatElements == [0, -1])
  #expect((2 / NDArray<Double>([1, 4])).flatElements == [2, 0.5])
  #expect((-NDArray<Int8>([1, -128])).flatElements == [-1, -128])
  // A non-contiguous, broadcast-strided left operand takes the general path.
  let t = x.transposed([2, 0, 1])
  let expected = NDArray<Float>(t.flatElements, shape: t.shape) - NDArray<Float>([1, 2, 3], shape: [3, 1, 1])
  #expect(t - NDArray<Float>([1, 2, 3], shape: [3, 1, 1]) == expected)
}

@Test func unaryFunctionsMatchNumPy() {
  for entry in Fixture.cases("unary.json") {
    let signed = Encoded(entry["signed"])
    switch signed.array {
    case .float32(let s):
      let p = Encoded(entry["positive"]).array.typed(as: Float.self)!
      expectMatches(AnyNDArray(p.sqrt()), Encoded(entry["sqrt"]), "sqrt")
      expectMatches(AnyNDArray(p.log()), Encoded(entry["log"]), rtol: 2.4e-7, atol: 1e-7, "log float32")
      let e = Encoded(entry["exp_input"]).array.typed(as: Float.self)!
      expectMatches(AnyNDArray(e.exp()), Encoded(entry["exp"]), rtol: 2.4e-7, "exp float32")
      expectMatches(AnyNDArray(s.abs()), Encoded(entry["abs"]), "abs")
      expectMatches(AnyNDArray(s.clip(-2, 5)), Encoded(entry["clip"]), "clip")
    case .float64(let s):
      let p = Encoded(entry["positive"]).array.typed(as: Double.self)!
      expectMatches(AnyNDArray(p.sqrt()), Encoded(entry["sqrt"]), "sqrt")
      expectMatches(AnyNDArray(p.log()), Encoded(entry["log"]), rtol: 4.5e-16, atol: 1e-16, "log float64")
      let e = Encoded(entry["exp_input"]).array.typed(as: Double.self)!
      expectMatches(AnyNDArray(e.exp()), Encoded(entry["exp"]), rtol: 4.5e-16, "exp float64")
      expectMatches(AnyNDArray(s.abs()), Encoded(entry["abs"]), "abs")
      expectMatches(AnyNDArray(s.clip(-2, 5)), Encoded(entry["clip"]), "clip")
    case .int8(let s):
      expectMatches(AnyNDArray(s.abs()), Encoded(entry["abs"]), "abs int8")
      expectMatches(AnyNDArray(s.clip(2, 100)), Encoded(entry["clip"]), "clip int8")
    case .int32(let s):
      expectMatches(AnyNDArray(s.abs()), Encoded(entry["abs"]), "abs int32")
      expectMatches(AnyNDArray(s.clip(2, 100)), Encoded(entry["clip"]), "clip int32")
    case .uint8(let s):
      expectMatches(AnyNDArray(s.abs()), Encoded(entry["abs"]), "abs uint8")
      expectMatches(AnyNDArray(s.clip(2, 100)), Encoded(entry["clip"]), "clip uint8")
    default: Issue.record("unexpected dtype \(signed.dtype)")
    }
  }
  let withNaN = NDArray<Double>([.nan, 1, 7])
  #expect(withNaN.clip(2, 5).flatElements[0].isNaN)
  #expect(Array(withNaN.clip(2, 5).flatElements.dropFirst()) == [2, 5])
  #expect(withNaN.map { $0 * 2 }.flatElements.dropFirst() == [2, 14])
}

@Test func allCloseFollowsNumPy() {
  let a = NDArray<Double>([1, 2, .infinity, .nan])
  #expect(!a.allClose(a))
  #expect(a.allClose(a, equalNaN: true))
  // The examples of numpy.allclose's documentation.
  #expect(!NDArray<Double>([1e10, 1e-7]).allClose(NDArray<Double>([1.00001e10, 1e-8])))
  #expect(NDArray<Double>([1e10, 1e-8]).allClose(NDArray<Double>([1.00001e10, 1e-9])))
  #expect(!NDArray<Double>([1e10, 1e-8]).allClose(NDArray<Double>([1.0001e10, 1e-9])))
  #expect(!NDArray<Double>([1e-8, 1e-7]).allClose(NDArray<Double>([1e-8, 1e-8]), atol: 0))
  #expect(
    NDArray<Float>([1, 2, 3], shape: [3, 1]).allClose(NDArray<Float>([1, 2, 3], shape: [3, 1]).broadcast(to: [3, 4])))
  #expect(!NDArray<Double>([.infinity]).allClose(NDArray<Double>([-.infinity])))
}

@Test func complexArithmeticAndCasts() {
  let a = NDArray<Complex<Double>>([Complex(1, 2), Complex(-3, 0.5)])
  let b = NDArray<Complex<Double>>([Complex(0, 1)])
  #expect((a * b).flatElements == [Complex(-2, 1), Complex(-0.5, -3)])
  #expect((a - a).flatElements == [Complex(0, 0), Complex(0, 0)])
  #expect((a / b).flatElements == [Complex(2, -1), Complex(0.5, 3)])
  #expect(a.astype(Double.self).flatElements == [1, -3])  // NumPy keeps the real part
  #expect(NDArray<Float>([1.5]).astype(Complex<Float>.self).flatElements == [Complex(1.5, 0)])
  #expect(a.astype(Complex<Float>.self).flatElements == [Complex(1, 2), Complex(-3, 0.5)])
}

/// A temporary over borrowed memory is never written in place, even when nothing else
/// holds it.
@Test func borrowedTemporariesAreNotReused() {
  let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 3)
  buffer.initialize(from: [1, 2, 3], count: 3)
  let result =
    NDArray<Float>(
      unsafeBorrowing: buffer, storageCount: 3, shape: [3], strides: [1],
      offset: 0, readOnly: false, release: {}) + 1
  #expect(result.flatElements == [2, 3, 4])
  #expect(Array(UnsafeBufferPointer(start: buffer, count: 3)) == [1, 2, 3])
  buffer.deallocate()
}
