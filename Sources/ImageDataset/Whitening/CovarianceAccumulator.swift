import Dispatch
import NDArray

/// Exact streaming sums for the covariance of `uint8` vectors: the count `n`, the first
/// moments `Σ v` and the second moments `Σ v·vᵀ` of the raw values (0…255), all integers.
///
/// A vector is one flattened image (`--whiten-scope image`, D = H·W·C) or one pixel
/// (`--whiten-scope channel`, D = C). The NumPy equivalent of the finished covariance is
/// `Xc = X / 255 - (X / 255).mean(0); Xc.T @ Xc / n` with `X` the (n, D) vectors in float64.
///
/// Exactness: every sum is an integer held in `Int64` (`Σ v_i·v_j ≤ n·255² < 2^63` for
/// n < 1.4·10^14 vectors: 50,000 CIFAR images give at most 3.3·10^9 per entry; the pixels of
/// a dataset, at most 1.4·10^14 pixels). Large D goes in blocks of ``blockRows`` vectors
/// through ``IntegerGramKernel``: AVX-512 VNNI integer products where the CPU has them, else
/// BLAS `ssyrk` on values shifted to −128…127 (every partial sum at most 2^24 in magnitude,
/// exact in `Float`); either way the result is the same integers whatever the blocking,
/// thread count or summation order. Partial sums of
/// disjoint vector sets (shards) ``merge(_:)`` by integer addition, so 1 and 8 shards give
/// bit-identical sums. Memory is D² integers plus one block, never n·D.
///
/// The product sums keep the upper triangle only (`products[i·D + j]`, i ≤ j; the strict
/// lower triangle is zero); ``covariance()`` fills both.
public struct CovarianceAccumulator: Sendable, Equatable, Codable {
  /// D, the length of every vector.
  public let dimension: Int
  /// The number of vectors added.
  public private(set) var count: Int64 = 0
  /// `Σ v` per dimension (D entries).
  public private(set) var sums: [Int64]
  /// `Σ v_i·v_j` for i ≤ j, row-major D×D with a zero strict lower triangle.
  public private(set) var products: [Int64]
  /// The Gram kernel's scratch for one block, kept from block to block: allocated afresh
  /// each time, the 12 MB blocks made glibc raise its mmap threshold and keep 9 MB of freed
  /// heap through the fit. Not part of the value (not compared, not encoded).
  private var gramScratch: [UInt8] = []

  private enum CodingKeys: String, CodingKey {
    case dimension, count, sums, products
  }

  /// Equal sums: the same dimension, count, first and second moments.
  public static func == (a: CovarianceAccumulator, b: CovarianceAccumulator) -> Bool {
    a.dimension == b.dimension && a.count == b.count && a.sums == b.sums && a.products == b.products
  }

  /// The vectors of one Gram block on this CPU (4096 with AVX-512 VNNI, else 1024: see
  /// `IntegerGramKernel.blockRows`); callers that stream vectors add this many at a time.
  public static let blockRows = IntegerGramKernel.best.blockRows
  /// Below this dimension vectors are summed in integer loops; from it, through a Gram kernel.
  static let blasDimension = 16

  /// Empty sums for vectors of `dimension` values.
  public init(dimension: Int) {
    precondition(dimension >= 1, "covariance of vectors of \(dimension) values")
    self.dimension = dimension
    sums = Array(repeating: 0, count: dimension)
    products = Self.zeros(count: dimension * dimension)
  }

  /// `count` zeros; from a million on, on huge pages where the system has them (the sums
  /// become the covariance that `dsytrd` streams through in place: 4% faster at D = 3072)
  /// and written in two halves on two threads (first writes fault the pages in: 40 ms on
  /// one thread for D = 3072's 75 MB).
  static func zeros(count: Int) -> [Int64] {
    let parts = count >= 1 << 20 ? 2 : 1
    return [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
      if parts > 1, let start = buffer.baseAddress { _adviseHugePages(start, bytes: count * 8) }
      let base = UInt(bitPattern: buffer.baseAddress)  // not Sendable as a pointer
      DispatchQueue.concurrentPerform(iterations: parts) { part in
        let (start, end) = (part * count / parts, (part + 1) * count / parts)
        UnsafeMutablePointer<Int64>(bitPattern: base)!.advanced(by: start).initialize(repeating: 0, count: end - start)
      }
      initialized = count
    }
  }

  /// Partial sums read back from arrays a shard saved (NPYIO: `count`, `sums` (D,) and
  /// `products` (D, D), all int64, as `np.savez` would hold them); nil when the lengths do
  /// not fit one dimension, the count is negative, or the strict lower triangle is not zero.
  public init?(count: Int64, sums: [Int64], products: [Int64]) {
    let d = sums.count
    guard d >= 1, count >= 0, products.count == d * d else { return nil }
    for i in 0..<d where products[(i * d)..<(i * d + i)].contains(where: { $0 != 0 }) { return nil }
    self.dimension = d
    self.count = count
    self.sums = sums
    self.products = products
  }

  /// Adds `values.count / dimension` vectors stored one after another (an (n, D) `uint8`
  /// array in C order, like NumPy's `X.reshape(-1, D)`).
  ///
  /// Traps unless `values.count` is a multiple of ``dimension``.
  public mutating func add(_ values: UnsafeBufferPointer<UInt8>) {
    add(values, kernel: .best)
  }

  /// ``add(_:)`` through a chosen Gram kernel (tests compare the two; the sums are equal).
  mutating func add(_ values: UnsafeBufferPointer<UInt8>, kernel: IntegerGramKernel) {
    precondition(values.count % dimension == 0, "\(values.count) values are not whole vectors of \(dimension)")
    let rows = values.count / dimension
    if rows == 0 { return }
    if dimension < Self.blasDimension {
      addSmall(values, rows: rows)
    } else {
      var start = 0
      while start < rows {
        let block = Swift.min(kernel.blockRows, rows - start)
        kernel.add(
          UnsafeBufferPointer(rebasing: values[(start * dimension)..<((start + block) * dimension)]), rows: block,
          dimension: dimension, sums: &sums, products: &products, scratch: &gramScratch)
        start += block
      }
    }
    count += Int64(rows)
  }

  /// Adds the vectors of a `uint8` array whose last axis has ``dimension`` values, or
  /// (for one flattened image per vector) whose rows do.
  public mutating func add(_ array: NDArray<UInt8>) {
    array.withUnsafeBufferPointer { add($0) }
  }

  /// Adds the sums of a disjoint set of vectors (another shard): integer addition, so the
  /// order and the number of shards do not change a bit.
  ///
  /// Traps when the dimensions differ.
  public mutating func merge(_ other: CovarianceAccumulator) {
    precondition(other.dimension == dimension, "merging covariance sums of \(other.dimension) into \(dimension)")
    count += other.count
    for i in 0..<dimension { sums[i] += other.sums[i] }
    products.withUnsafeMutableBufferPointer { mine in
      other.products.withUnsafeBufferPointer { theirs in
        for i in 0..<mine.count { mine[i] += theirs[i] }
      }
    }
  }

  /// The mean on the unit scale (value / 255), D values: `Σv / (255·n)`, rounded once.
  /// The NumPy equivalent is `(X / 255).mean(axis=0)`. Traps when no vector was added.
  public var mean: [Double] {
    precondition(count > 0, "mean of no vectors")
    return sums.map { Double($0) / (Double(count) * 255) }
  }

  /// The population covariance (D×D, symmetric) on the unit scale, in Float64:
  /// `cov = (n·Σv·vᵀ − Σv·Σvᵀ) / (255²·n²)`, the numerator an exact integer (64-bit, or
  /// 128-bit when that could overflow), rounded once, then divided. The NumPy equivalent is
  /// `np.cov(X / 255, rowvar=False, bias=True)`.
  ///
  /// Traps when no vector was added.
  public func covariance() -> NDArray<Double> {
    precondition(count > 0, "covariance of no vectors")
    let d = dimension
    let rule = EntryRule(count: count)
    return NDArray<Double>(unsafeUninitializedShape: [d, d]) { output in
      sums.withUnsafeBufferPointer { s in
        products.withUnsafeBufferPointer { p in
          for i in 0..<d {
            for j in i..<d {
              output[i * d + j] = rule.entry(product: p[i * d + j], sumI: s[i], sumJ: s[j])
            }
          }
        }
      }
      // The lower triangle mirrors the upper one, a block at a time (cache-friendly).
      let block = 64
      for ib in stride(from: 0, to: d, by: block) {
        for jb in stride(from: 0, through: ib, by: block) {
          for i in ib..<Swift.min(ib + block, d) {
            for j in jb..<Swift.min(jb + block, i) { output[i * d + j] = output[j * d + i] }
          }
        }
      }
    }
  }

  /// The rule for one covariance entry from exact sums over `count` vectors:
  /// `(n·Σv_iv_j − Σv_i·Σv_j) / (255²·n²)`, the numerator an exact integer (n·Σv_iv_j ≤
  /// n²·255² and Σv_i·Σv_j ≤ (255·n)²: Int64 holds both below n ≈ 1.19·10^7, Int128 above),
  /// rounded once, then divided. ``covariance()`` and ``takeCovarianceUpperTriangle()`` give
  /// the same bits because both use it. The denominator is converted once here: Int128 to
  /// Double per entry made the D×D loop take seconds.
  struct EntryRule {
    /// n.
    let count: Int64
    /// 255²·n², rounded once.
    let denominator: Double

    init(count n: Int64) {
      count = n
      denominator = Double(Int128(n) * Int128(n) * 65025)
    }

    /// The entry for `Σv_iv_j = product`, `Σv_i = sumI`, `Σv_j = sumJ`.
    @inline(__always)
    func entry(product: Int64, sumI: Int64, sumJ: Int64) -> Double {
      if count <= 11_000_000 { return Double(count * product - sumI * sumJ) / denominator }
      return Double(Int128(count) * Int128(product) - Int128(sumI) * Int128(sumJ)) / denominator
    }
  }

  /// Moves the product sums out, leaving empty sums of dimension 1, and turns them in their
  /// own memory into ``covariance()``'s upper triangle (row-major; the same bits, each entry
  /// rounded once from the same exact integer numerator): the fit's covariance without a
  /// second D×D buffer. The strict lower triangle is left zero.
  ///
  /// Traps when no vector was added.
  mutating func takeCovarianceUpperTriangle() -> CovarianceStorage {
    precondition(count > 0, "covariance of no vectors")
    let d = dimension, rule = EntryRule(count: count), s = sums
    var storage: [Int64] = []
    swap(&storage, &products)
    self = CovarianceAccumulator(dimension: 1)
    storage.withUnsafeMutableBufferPointer { p in
      for i in 0..<d {
        for j in i..<d {
          let value = rule.entry(product: p[i * d + j], sumI: s[i], sumJ: s[j])
          p[i * d + j] = Int64(bitPattern: value.bitPattern)
        }
      }
    }
    return CovarianceStorage(dimension: d, bits: storage)
  }

  /// Small D (pixels of a few channels): integer loops, the upper triangle only.
  private mutating func addSmall(_ values: UnsafeBufferPointer<UInt8>, rows: Int) {
    let d = dimension
    var localSums = [Int64](repeating: 0, count: d)
    var localProducts = [Int64](repeating: 0, count: d * d)
    if d == 3 {
      var s0: Int64 = 0, s1: Int64 = 0, s2: Int64 = 0
      var p00: Int64 = 0, p01: Int64 = 0, p02: Int64 = 0, p11: Int64 = 0, p12: Int64 = 0, p22: Int64 = 0
      var i = 0
      for _ in 0..<rows {
        let a = Int64(values[i]), b = Int64(values[i + 1]), c = Int64(values[i + 2])
        s0 += a; s1 += b; s2 += c
        p00 += a * a; p01 += a * b; p02 += a * c
        p11 += b * b; p12 += b * c; p22 += c * c
        i += 3
      }
      localSums = [s0, s1, s2]
      localProducts = [p00, p01, p02, 0, p11, p12, 0, 0, p22]
    } else {
      for r in 0..<rows {
        let row = r * d
        for i in 0..<d {
          let a = Int64(values[row + i])
          localSums[i] += a
          for j in i..<d { localProducts[i * d + j] += a * Int64(values[row + j]) }
        }
      }
    }
    for i in 0..<d { sums[i] += localSums[i] }
    for i in 0..<(d * d) { products[i] += localProducts[i] }
  }
}

/// The Float64 covariance in the memory that held the integer product sums
/// (``CovarianceAccumulator/takeCovarianceUpperTriangle()``): D×D row-major, upper triangle.
struct CovarianceStorage {
  /// D.
  let dimension: Int
  /// The `Double` entries' bit patterns.
  var bits: [Int64]

  /// The entries as `Double`s, in place.
  mutating func withDoubles<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
    try bits.withUnsafeMutableBufferPointer { (raw) throws(E) -> R in
      try raw.withMemoryRebound(to: Double.self) { (values) throws(E) -> R in try body(values) }
    }
  }
}
