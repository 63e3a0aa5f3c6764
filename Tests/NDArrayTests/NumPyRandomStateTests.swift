import Testing

@testable import NDArray

/// `NumPyRandomState` against NumPy 2.4.6: `np.random.RandomState(seed)._bit_generator
/// .random_raw(n)` and `RandomState(seed).shuffle(list)` (values printed by NumPy).
@Suite struct NumPyRandomStateTests {
  @Test func mt19937MatchesNumPysLegacySeeding() {
    var reference = MT19937(seed: 5489)
    #expect((0..<3).map { _ in reference.nextUInt32() } == [3_499_211_612, 581_869_302, 3_890_346_734])
    // Index 623, 624 (the first regeneration) and 699 of RandomState(0)'s stream.
    var generator = MT19937(seed: 0)
    let stream = (0..<700).map { _ in generator.nextUInt32() }
    #expect(
      [stream[0], stream[623], stream[624], stream[699]] == [2_357_136_044, 3_791_854_820, 341_544_762, 747_805_126])
  }

  @Test func shuffleMatchesRandomStateShuffle() {
    var small = Array(0..<10)
    var random = NumPyRandomState(seed: 42)
    random.shuffle(&small)
    #expect(small == [8, 1, 5, 0, 7, 2, 9, 4, 3, 6])
    var thousand = Array(0..<1000)
    random = NumPyRandomState(seed: 1)
    random.shuffle(&thousand)
    #expect(Array(thousand.prefix(8)) == [507, 818, 452, 368, 242, 929, 262, 810])
    var large = Array(0..<5000)
    random = NumPyRandomState(seed: UInt32.max)
    random.shuffle(&large)
    #expect(Array(large.prefix(6)) == [330, 4899, 4415, 3208, 3186, 2841])
  }
}
