import ComplexModule
import Testing

@testable import NDArray

// The scalar and non-numeric forms of the mask operations (the array forms are checked
// against NumPy in IndexingGoldenTests), with values from NumPy.

@Suite("Masks and comparisons")
struct MaskingTests {
  @Test func whereTakesScalarsOnEitherSide() {
    let x = NDArray<Float>([-2, 0.5, 3, -0.25])
    // np.where(x > 0, x, 0) and np.where(x > 0, 1, x)
    #expect(NDArray.where(x .> 0, x, 0).flatElements == [0, 0.5, 3, 0])
    #expect(NDArray.where(x .> 0, 1, x).flatElements == [-2, 1, 1, -0.25])
  }

  @Test func scalarOnTheLeftComparesAsNumPy() {
    let x = NDArray<Int8>([-3, 0, 3])
    #expect((0 .< x).flatElements == [false, false, true])  // 0 < x
    #expect((0 .>= x).flatElements == [true, true, false])  // 0 >= x
    #expect((3 .== x).flatElements == [false, false, true])
    #expect((3 .!= x).flatElements == [true, true, false])
  }

  @Test func equalityWorksForBoolAndComplexArrays() {
    let flags = NDArray<Bool>([true, false, true])
    #expect((flags .== true).flatElements == [true, false, true])
    let z = NDArray<Complex<Double>>([Complex(1, 2), Complex(0, 0)])
    #expect((z .!= Complex(0, 0)).flatElements == [true, false])
    #expect(z.nonzero()[0].flatElements == [0])
    #expect(z.any().item && !z.all().item)
  }

  @Test func flipIsAViewWithNegativeStrides() {
    let a = NDArray<Int32>(Array(0..<6), shape: [2, 3])
    let flipped = a.flipped(axes: [1])
    #expect(flipped._storage === a._storage)
    #expect(flipped.strides == [3, -1])
    #expect(flipped.flatElements == [2, 1, 0, 5, 4, 3])
  }

  @Test func maskAssignmentKeepsOtherViewsUnchanged() {
    var x = NDArray<Float>([-1, 2, -3, 4])
    let before = x
    x[x .< 0] = NDArray(scalar: 0)  // x[x < 0] = 0
    #expect(x.flatElements == [0, 2, 0, 4])
    #expect(before.flatElements == [-1, 2, -3, 4])
    var rows = NDArray<Int16>(Array(0..<6), shape: [3, 2])
    rows[NDArray<Bool>([true, false, true])] = NDArray([7, 8])  // broadcast (2,) into (2, 2)
    #expect(rows.flatElements == [7, 8, 2, 3, 7, 8])
  }
}
