import NDArray
import Testing

/// `normalizeAxisTuple`: numpy.lib.array_utils.normalize_axis_tuple, sorted.
@Suite struct AxisNormalizationTests {
  @Test func negativeAxesCountFromTheEndAndTheResultIsSorted() throws {
    #expect(try normalizeAxisTuple([-1, 0], rank: 4) == [0, 3])
    #expect(try normalizeAxisTuple([2, 1, 0], rank: 3) == [0, 1, 2])
    #expect(try normalizeAxisTuple([], rank: 2) == [])
  }

  @Test func outOfBoundsAndRepeatedAxesThrowNumPysMessages() {
    #expect(throws: AxisError.outOfBounds(axis: 4, rank: 4)) { try normalizeAxisTuple([0, 4], rank: 4) }
    #expect(throws: AxisError.outOfBounds(axis: -5, rank: 4)) { try normalizeAxisTuple([-5], rank: 4) }
    #expect(throws: AxisError.repeated(axis: 3)) { try normalizeAxisTuple([3, -1], rank: 4) }
    #expect(AxisError.outOfBounds(axis: 4, rank: 4).description == "axis 4 is out of bounds for array of dimension 4")
    #expect(AxisError.repeated(axis: 3).description == "repeated axis 3")
  }
}
