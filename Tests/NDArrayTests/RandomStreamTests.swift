import Foundation
import RealModule
import Testing

@testable import NDArray

/// NumPy's random streams in Tests/Fixtures/random/streams.json, written by
/// python-interop/gen_random_streams.py (which documents the encoding).
struct RandomStreams: Decodable, Sendable {
  struct BitState: Decodable, Sendable, Equatable {
    let state: String
    let inc: String
    let hasUint32: Int
    let uinteger: String
  }

  /// One call on the generator and NumPy's answer.
  struct Op: Decodable, Sendable {
    let op: String
    let count: Int?
    let n: Int?
    let size: Int?
    let dtype: String?
    let low: String?
    let high: String?
    let last: String?
    let endpoint: Bool?
    let mean: String?
    let std: String?
    let shape: [Int]?
    let replace: Bool?
    let shuffle: Bool?
    let values: [String]
  }

  /// One seed: NumPy's seeding results and its answers to a fixed script of calls.
  struct SeedCase: Decodable, Sendable, CustomTestStringConvertible {
    let label: String
    let seed: String?
    let words: [String]?
    let seedState: [String]
    let pool: [String]
    let pcgState: BitState
    let ops: [Op]
    let finalState: BitState
    var testDescription: String { label }
  }

  /// A digest of one long stream from a fresh generator.
  struct LongCase: Decodable, Sendable, CustomTestStringConvertible {
    let seed: String
    let op: String
    let count: Int?
    let n: Int?
    let size: Int?
    let shuffle: Bool?
    let dtype: String?
    let low: String?
    let high: String?
    let digest: String
    let after: [String]
    let tailCount: Int?
    var testDescription: String { "\(op) seed \(seed) \(count ?? size ?? n ?? 0)" }
  }

  let numpyVersion: String
  let cases: [SeedCase]
  let long: [LongCase]

  static let url = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/random/streams.json")

  /// The fixture, or an empty one if it cannot be read (``fixtureIsPresent`` then fails).
  static let golden: RandomStreams = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    guard let data = try? Data(contentsOf: url),
      let streams = try? decoder.decode(RandomStreams.self, from: data)
    else {
      return RandomStreams(numpyVersion: "", cases: [], long: [])
    }
    return streams
  }()
}

// MARK: - Encodings shared with gen_random_streams.py

func hex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}

func hex(_ value: Double) -> String { hex(value.bitPattern) }

func hex(_ value: Float) -> String {
  let digits = String(value.bitPattern, radix: 16)
  return String(repeating: "0", count: 8 - digits.count) + digits
}

/// The script's digest: one 64-bit word per value folded through MurmurHash3's finalizer.
func digest<S: Sequence>(_ words: S) -> String where S.Element == UInt64 {
  func fmix64(_ input: UInt64) -> UInt64 {
    var k = input
    k ^= k >> 33
    k &*= 0xFF51_AFD7_ED55_8CCD
    k ^= k >> 33
    k &*= 0xC4CE_B9FE_1A85_EC53
    return k ^ (k >> 33)
  }
  var hash: UInt64 = 0
  for word in words { hash = fmix64((hash ^ word) &+ 0x9E37_79B9_7F4A_7C15) }
  return hex(hash)
}

extension PCG64 {
  /// The state as the fixture writes NumPy's `bit_generator.state`.
  var fixtureState: RandomStreams.BitState {
    .init(
      state: hex(stateHigh) + hex(stateLow), inc: hex(incrementHigh) + hex(incrementLow),
      hasUint32: hasUInt32 ? 1 : 0, uinteger: String(bufferedUInt32))
  }
}

extension NumPyRandomGenerator {
  /// The generator for a fixture seed: a decimal integer or a list of 32-bit words.
  init(fixtureSeed seed: String?, words: [String]?) {
    if let words {
      self.init(seed: words.map { UInt32($0)! })
    } else {
      self.init(seed: UInt64(seed!)!)
    }
  }

  /// Runs one fixture call and encodes the result as the fixture does.
  mutating func run(_ op: RandomStreams.Op) -> [String] {
    switch op.op {
    case "raw": return (0..<op.count!).map { _ in hex(next()) }
    case "random": return random(count: op.count!).flatElements.map(hex)
    case "random_scalar": return [hex(random())]
    case "random_f32": return random(shape: [op.count!], as: Float.self).flatElements.map(hex)
    case "random_f32_scalar": return [hex(randomFloat())]
    case "integers", "integers_scalar": return runIntegers(op)
    case "uniform":
      return uniform(low: Double(op.low!)!, high: Double(op.high!)!, shape: [op.count!]).flatElements.map(hex)
    case "uniform_scalar": return [hex(uniform(low: Double(op.low!)!, high: Double(op.high!)!))]
    case "standard_normal": return standardNormal(shape: [op.count!]).flatElements.map(hex)
    case "standard_normal_scalar": return [hex(standardNormal())]
    case "standard_normal_f32": return standardNormal(shape: [op.count!], as: Float.self).flatElements.map(hex)
    case "standard_normal_f32_scalar": return [hex(standardNormalFloat())]
    case "normal":
      return normal(mean: Double(op.mean!)!, std: Double(op.std!)!, shape: [op.count!]).flatElements.map(hex)
    case "normal_scalar": return [hex(normal(mean: Double(op.mean!)!, std: Double(op.std!)!))]
    case "permutation": return permutation(op.n!).flatElements.map { String($0) }
    case "shuffle": return runShuffle(shape: op.shape!)
    case "choice":
      return choice(op.n!, size: op.size!, replace: op.replace!, shuffle: op.shuffle!).flatElements.map { String($0) }
    default:
      Issue.record("unknown fixture op \(op.op)")
      return []
    }
  }

  mutating func runIntegers(_ op: RandomStreams.Op) -> [String] {
    func draw<T: FixedWidthInteger & NDArrayElement>(_: T.Type) -> [String] {
      let low = T(op.low!)!
      // NumPy's exclusive `high` may not fit the dtype (uint8's 256); the inclusive
      // `last` always does, and `endpoint: true` with it is the same call in NumPy.
      let exclusive = op.endpoint == false ? T(op.high!) : nil
      let endpoint = exclusive == nil
      let high = exclusive ?? T(op.last!)!
      if op.op == "integers_scalar" { return [String(integers(low: low, high: high, endpoint: endpoint))] }
      return integers(low: low, high: high, count: op.count!, endpoint: endpoint).flatElements.map { String($0) }
    }
    switch op.dtype! {
    case "int64": return draw(Int64.self)
    case "int32": return draw(Int32.self)
    case "int16": return draw(Int16.self)
    case "int8": return draw(Int8.self)
    case "uint64": return draw(UInt64.self)
    case "uint32": return draw(UInt32.self)
    case "uint16": return draw(UInt16.self)
    case "uint8": return draw(UInt8.self)
    default:
      Issue.record("unknown dtype \(op.dtype!)")
      return []
    }
  }

  /// Shuffles `np.arange(7) * 10` (1-d) or `np.arange(12).reshape(4, 3)` (2-d). The 1-d
  /// case runs both the Swift-array and the NDArray shuffle on copies of the generator and
  /// requires the same result and the same state after; the 2-d case shuffles a transposed
  /// (non-contiguous) view.
  mutating func runShuffle(shape: [Int]) -> [String] {
    if shape.count == 1 {
      var copy = self
      var elements = (0..<Int64(shape[0])).map { $0 * 10 }
      copy.shuffle(&elements)
      var array = NDArray<Int64>((0..<Int64(shape[0])).map { $0 * 10 })
      shuffle(&array)
      #expect(array.flatElements == elements, "Array and NDArray shuffles differ")
      #expect(copy.bitGenerator.fixtureState == bitGenerator.fixtureState)
      return array.flatElements.map { String($0) }
    }
    let (rows, columns) = (shape[0], shape[1])
    let columnMajor = (0..<columns).flatMap { c in (0..<rows).map { r in Int64(r * columns + c) } }
    var array = NDArray<Int64>(columnMajor, shape: [columns, rows]).transposed()
    shuffle(&array)
    #expect(array.shape == shape)
    return array.flatElements.map { String($0) }
  }
}

// MARK: - Tests

@Suite("RandomStream: NumPy's default_rng, bit for bit")
struct RandomStreamTests {
  @Test func fixtureIsPresent() {
    #expect(
      RandomStreams.golden.cases.count >= 25,
      "read \(RandomStreams.url.path); run python3 python-interop/gen_random_streams.py")
    #expect(RandomStreams.golden.long.count >= 52)
    #expect(!RandomStreams.golden.numpyVersion.isEmpty)
  }

  @Test(arguments: RandomStreams.golden.cases)
  func seedSequenceMatchesNumPy(_ golden: RandomStreams.SeedCase) {
    let sequence =
      golden.words.map { SeedSequence(entropy: $0.map { UInt32($0)! }) }
      ?? SeedSequence(UInt64(golden.seed!)!)
    #expect(sequence.pool.map { String($0) } == golden.pool)
    #expect(sequence.generateState64(count: 4).map(hex) == golden.seedState)
    let words = sequence.generateState(wordCount: 8)
    let paired: [String] = (0..<4).map { (i: Int) -> String in
      let low = UInt64(words[2 * i]), high = UInt64(words[2 * i + 1])
      return hex(low | high << 32)
    }
    #expect(paired == golden.seedState)
    let rng = NumPyRandomGenerator(fixtureSeed: golden.seed, words: golden.words)
    #expect(rng.bitGenerator.fixtureState == golden.pcgState)
  }

  @Test(arguments: RandomStreams.golden.cases)
  func callScriptMatchesNumPy(_ golden: RandomStreams.SeedCase) {
    var rng = NumPyRandomGenerator(fixtureSeed: golden.seed, words: golden.words)
    #expect(golden.ops.count > 40)
    for (index, op) in golden.ops.enumerated() {
      let ours = rng.run(op)
      guard ours == op.values else {
        Issue.record("\(golden.label): call \(index) (\(op.op) \(op.dtype ?? "")): ours \(ours), NumPy \(op.values)")
        return
      }
    }
    #expect(rng.bitGenerator.fixtureState == golden.finalState)
  }

  @Test(arguments: RandomStreams.golden.long)
  func longStreamDigestMatchesNumPy(_ golden: RandomStreams.LongCase) {
    var rng = NumPyRandomGenerator(seed: UInt64(golden.seed)!)
    let words: [UInt64]
    switch golden.op {
    case "standard_normal":
      let values = rng.standardNormal(shape: [golden.count!]).flatElements
      words = values.map(\.bitPattern)
      let tail = values.filter { Swift.abs($0) >= _NormalZiggurat.r }.count
      #expect(tail == golden.tailCount)
      #expect(tail > 0, "the ziggurat's tail path was not exercised")
    case "standard_normal_f32":
      let values = rng.standardNormal(shape: [golden.count!], as: Float.self).flatElements
      words = values.map { UInt64($0.bitPattern) }
      let tail = values.filter { Swift.abs($0) >= _NormalZigguratFloat.r }.count
      #expect(tail == golden.tailCount)
      #expect(tail > 0, "the float32 ziggurat's tail path was not exercised")
    case "random": words = rng.random(count: golden.count!).flatElements.map(\.bitPattern)
    case "random_f32":
      words = rng.random(shape: [golden.count!], as: Float.self).flatElements.map { UInt64($0.bitPattern) }
    case "integers":
      switch golden.dtype! {
      case "int64":
        words = rng.integers(low: Int64(golden.low!)!, high: Int64(golden.high!)!, count: golden.count!)
          .flatElements.map { UInt64(bitPattern: $0) }
      case "int16":
        words = rng.integers(low: Int16(golden.low!)!, high: Int16(golden.high!)!, count: golden.count!)
          .flatElements.map { UInt64(bitPattern: Int64($0)) }
      case "uint8":
        words = rng.integers(low: UInt8(golden.low!)!, high: UInt8(golden.high!)!, count: golden.count!)
          .flatElements.map { UInt64($0) }
      default:
        Issue.record("unknown dtype \(golden.dtype!)")
        return
      }
    case "permutation": words = rng.permutation(golden.n!).flatElements.map { UInt64(bitPattern: $0) }
    case "choice":
      words = rng.choice(golden.n!, size: golden.size!, replace: false, shuffle: golden.shuffle!)
        .flatElements.map { UInt64(bitPattern: $0) }
    default:
      Issue.record("unknown long op \(golden.op)")
      return
    }
    #expect(!words.isEmpty)
    #expect(digest(words) == golden.digest)
    #expect([hex(rng.random())] == golden.after)
  }

  /// The tables in `_NormalZiggurat` are NumPy's; rebuilding them by the documented
  /// recursion must land within rounding of every entry (a mistyped digit would not).
  @Test func zigguratTablesFollowTheirConstruction() {
    let r = _NormalZiggurat.r, v = _NormalZiggurat.layerArea
    let scale = 0x1p52
    func f(_ x: Double) -> Double { Double.exp(-0.5 * x * x) }
    var wi = [Double](repeating: 0, count: 256), fi = wi, ki = wi
    wi[0] = v / f(r) / scale
    ki[0] = r * f(r) / v * scale
    wi[255] = r / scale
    fi[0] = 1
    fi[255] = f(r)
    var x = r
    for i in stride(from: 254, through: 1, by: -1) {
      let inner = (-2 * Double.log(v / x + f(x))).squareRoot()
      ki[i + 1] = inner / x * scale
      x = inner
      fi[i] = f(x)
      wi[i] = x / scale
    }
    #expect(_NormalZiggurat.ki.count == 256 && _NormalZiggurat.wi.count == 256 && _NormalZiggurat.fi.count == 256)
    #expect(_NormalZiggurat.ki[1] == 0)
    for i in 0..<256 {
      #expect(close(_NormalZiggurat.wi[i], wi[i], rtol: 1e-9), "wi[\(i)]")
      #expect(close(_NormalZiggurat.fi[i], fi[i], rtol: 1e-9), "fi[\(i)]")
      if i != 1 { #expect(close(Double(_NormalZiggurat.ki[i]), ki[i], rtol: 1e-9), "ki[\(i)]") }
    }
    #expect(close(_NormalZiggurat.inverseR, 1 / r, rtol: 1e-15))
  }

  /// NumPy's float32 tables are its float64 tables at 23 bits; every entry must agree.
  @Test func floatZigguratTablesAreTheDoubleTablesAt23Bits() {
    #expect(
      _NormalZigguratFloat.ki.count == 256 && _NormalZigguratFloat.wi.count == 256
        && _NormalZigguratFloat.fi.count == 256)
    for i in 0..<256 {
      #expect(close(Double(_NormalZigguratFloat.wi[i]), _NormalZiggurat.wi[i] * 0x1p29, rtol: 1e-6), "wi[\(i)]")
      #expect(close(Double(_NormalZigguratFloat.fi[i]), _NormalZiggurat.fi[i], rtol: 1e-6), "fi[\(i)]")
      let narrowed = Int64(_NormalZiggurat.ki[i] >> 29), ours = Int64(_NormalZigguratFloat.ki[i])
      #expect(Swift.abs(ours - narrowed) <= 1, "ki[\(i)]: \(ours) vs \(narrowed)")
    }
    #expect(_NormalZigguratFloat.r == Float(_NormalZiggurat.r))
  }

  @Test func copiesContinueTheSameStream() {
    var a = NumPyRandomGenerator(seed: 7)
    _ = a.randomFloat()  // leaves a buffered half behind
    var b = a
    #expect(
      (0..<5).map { _ in a.integers(low: Int64(0), high: 1000) }
        == (0..<5).map { _ in b.integers(low: Int64(0), high: 1000) })
    #expect(a.random() == b.random())
    // A different seed gives a different stream.
    var seven = NumPyRandomGenerator(seed: 7), eight = NumPyRandomGenerator(seed: 8)
    #expect(seven.random() != eight.random())
  }

  @Test func seedsAsWordsEqualSeedsAsIntegers() {
    var fromInteger = NumPyRandomGenerator(seed: 0x0000_0002_0000_0001)
    var fromWords = NumPyRandomGenerator(seed: [1, 2])
    #expect(fromInteger.random(count: 4) == fromWords.random(count: 4))
    // Zero is one word of zero, not an empty or longer list.
    #expect(SeedSequence(0) == SeedSequence(entropy: [0]))
    #expect(SeedSequence(0) != SeedSequence(entropy: [0, 0]))
  }

  /// Plain `Int` bounds mean NumPy's default int64 dtype: the same draws as `Int64` bounds.
  @Test func intBoundsDrawInt64() {
    var plain = NumPyRandomGenerator(seed: 5), typed = NumPyRandomGenerator(seed: 5)
    let a: NDArray<Int64> = plain.integers(low: -3, high: 1 << 40, shape: [2, 3])
    let b = typed.integers(low: Int64(-3), high: Int64(1) << 40, shape: [2, 3])
    #expect(a.shape == [2, 3] && a == b)
    #expect(plain.integers(low: 0, high: 10, count: 4) == typed.integers(low: Int64(0), high: 10, count: 4))
  }

  @Test func worksAsSwiftRandomNumberGenerator() {
    var rng = NumPyRandomGenerator(seed: 3)
    var raw = PCG64(seed: 3)
    let expected = raw.next()
    #expect(rng.next() == expected)
    let drawn = Int.random(in: 0..<10, using: &rng)
    #expect((0..<10).contains(drawn))
  }

  @Test func emptyAndDegenerateRequests() {
    var rng = NumPyRandomGenerator(seed: 11)
    #expect(rng.random(count: 0).shape == [0])
    #expect(rng.permutation(0).shape == [0])
    #expect(rng.choice(0, size: 0, replace: false).shape == [0])
    #expect(rng.integers(low: Int64(5), high: 5, count: 3, endpoint: true).flatElements == [5, 5, 5])
    var single = NDArray<Double>([1.5])
    rng.shuffle(&single)
    #expect(single.flatElements == [1.5])
    // None of the above drew anything: the stream is where a fresh one starts.
    var fresh = NumPyRandomGenerator(seed: 11)
    #expect(rng.random() == fresh.random())
  }
}

/// The program of the DocC article "Random Numbers Identical to NumPy's", with the values
/// NumPy 2.4.6 prints for the Python lines beside it.
@Test func randomNumbersArticleWorks() {
  var rng = NumPyRandomGenerator(seed: 42)
  #expect("\(rng.random())" == "0.7739560485559633")
  #expect("\(rng.integers(low: 0, high: 10, count: 5))" == "[6 4 4 8 0]")
  #expect("\(rng.permutation(8))" == "[0 2 7 1 4 5 3 6]")
  #expect(
    rng.normal(mean: 0, std: 1, shape: [3]).flatElements == [
      -0.3162425923435822, -0.016801157504288795, -0.85304392757358,
    ])
  #expect("\(rng.choice(100, size: 3, replace: false))" == "[49 36 18]")
  #expect("\(rng.random(shape: [2], as: Float.self).flatElements)" == "[0.6438651, 0.40241432]")
  #expect(rng.uniform(low: -1, high: 1, shape: [2]).flatElements == [-0.11317160234533774, -0.5455225564304462])
  var x = NDArray<Int64>([0, 10, 20, 30, 40])
  rng.shuffle(&x)
  #expect("\(x)" == "[10  0 40 30 20]")
  #expect("\(rng.integers(low: UInt8(0), high: 255, count: 4, endpoint: true))" == "[ 44 185 217  70]")
}

/// Programmer errors trap (where NumPy raises `ValueError`), as the doc comments say.
@Suite("RandomStream: programmer errors trap")
struct RandomStreamTrapTests {
  @Test func emptyIntegerIntervalTraps() async {
    await #expect(processExitsWith: .failure) {
      var rng = NumPyRandomGenerator(seed: 1)
      _ = rng.integers(low: Int64(5), high: 5)
    }
  }

  @Test func oversizedSampleWithoutReplacementTraps() async {
    await #expect(processExitsWith: .failure) {
      var rng = NumPyRandomGenerator(seed: 1)
      _ = rng.choice(3, size: 4, replace: false)
    }
  }

  @Test func reversedUniformBoundsTrap() async {
    await #expect(processExitsWith: .failure) {
      var rng = NumPyRandomGenerator(seed: 1)
      _ = rng.uniform(low: 1, high: 0)
    }
  }

  @Test func emptyEntropyTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = SeedSequence(entropy: [])
    }
  }
}
