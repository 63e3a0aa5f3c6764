import Foundation
import NDArray
import Testing

@testable import ImageDataset

@Suite struct WhiteningTests {
  /// `rows` vectors of `dimension` values: SplitMix64 bytes, with correlated neighbours and
  /// whole runs of 0 and 255 (the extremes of the shifted Float blocks).
  static func vectors(rows: Int, dimension: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    var values = [UInt8](repeating: 0, count: rows * dimension)
    for r in 0..<rows {
      let kind = r % 7
      for i in 0..<dimension {
        let random = UInt8(truncatingIfNeeded: generator.next() >> 56)
        switch kind {
        case 0: values[r * dimension + i] = 0
        case 1: values[r * dimension + i] = 255
        default:
          let previous = i == 0 ? random : values[r * dimension + i - 1]
          values[r * dimension + i] = UInt8((Int(previous) * 3 + Int(random)) / 4)
        }
      }
    }
    return values
  }

  /// Σ v and Σ v_i·v_j (upper triangle) by direct integer loops: the reference.
  static func directSums(_ values: [UInt8], dimension d: Int) -> (sums: [Int64], products: [Int64]) {
    var sums = [Int64](repeating: 0, count: d), products = [Int64](repeating: 0, count: d * d)
    for r in 0..<(values.count / d) {
      for i in 0..<d {
        let a = Int64(values[r * d + i])
        sums[i] += a
        for j in i..<d { products[i * d + j] += a * Int64(values[r * d + j]) }
      }
    }
    return (sums, products)
  }

  static func accumulate(_ values: [UInt8], dimension: Int, rows range: Range<Int>) -> CovarianceAccumulator {
    var sums = CovarianceAccumulator(dimension: dimension)
    values.withUnsafeBufferPointer {
      sums.add(UnsafeBufferPointer(rebasing: $0[(range.lowerBound * dimension)..<(range.upperBound * dimension)]))
    }
    return sums
  }

  /// D = 3 (integer loops) and D = 48 (2600 rows: cut into blocks on the ssyrk path, one
  /// block of the VNNI kernel; shards cut anywhere).
  @Test(arguments: [3, 48])
  func sumsAreExactAndBitIdenticalForOneAndEightShards(dimension: Int) {
    let rows = 2600
    let values = Self.vectors(rows: rows, dimension: dimension, seed: 11)
    let whole = Self.accumulate(values, dimension: dimension, rows: 0..<rows)
    let direct = Self.directSums(values, dimension: dimension)
    #expect(whole.count == Int64(rows))
    #expect(whole.sums == direct.sums)
    #expect(whole.products == direct.products)
    // Eight shards of uneven row ranges, merged in order and in reverse.
    let cuts = [0, 1, 300, 1024, 1025, 1700, 2047, 2400, rows]
    let shards = (0..<8).map { Self.accumulate(values, dimension: dimension, rows: cuts[$0]..<cuts[$0 + 1]) }
    var forward = CovarianceAccumulator(dimension: dimension)
    for shard in shards { forward.merge(shard) }
    var backward = CovarianceAccumulator(dimension: dimension)
    for shard in shards.reversed() { backward.merge(shard) }
    #expect(forward == whole)
    #expect(backward == whole)
    let (mean1, covariance1) = (whole.mean, whole.covariance())
    let (mean8, covariance8) = (forward.mean, forward.covariance())
    #expect(mean1.map(\.bitPattern) == mean8.map(\.bitPattern))
    #expect(covariance1.flatElements.map(\.bitPattern) == covariance8.flatElements.map(\.bitPattern))
  }

  /// The VNNI kernel and the `ssyrk` path give the integers of direct loops: random rows,
  /// all 0, all 255, dimensions that are not multiples of 4, 16 or 48 (the packing's groups,
  /// lanes and panels), row counts that are not multiples of 4 (the row groups), one row, and
  /// more rows than one block.
  @Test(arguments: [16, 17, 47, 49, 97, 130])
  func bothGramKernelsGiveTheExactSums(dimension: Int) throws {
    if !IntegerGramKernel.vnniAvailable {
      print("bothGramKernelsGiveTheExactSums: this CPU lacks AVX-512 VNNI; only the ssyrk path is checked")
    }
    let random = Self.vectors(rows: 1031, dimension: dimension, seed: UInt64(dimension))
    let zeros = [UInt8](repeating: 0, count: 9 * dimension)
    let full = [UInt8](repeating: 255, count: 1030 * dimension)
    let cases: [(name: String, values: [UInt8])] = [
      ("random 1031 rows", random), ("random 1 row", Array(random[dimension..<(2 * dimension)])),
      ("random 2 rows", Array(random[(3 * dimension)..<(5 * dimension)])),
      ("random 7 rows", Array(random[(8 * dimension)..<(15 * dimension)])),
      ("all 0", zeros), ("all 255", full),
    ]
    for (name, values) in cases {
      let direct = Self.directSums(values, dimension: dimension)
      for kernel in IntegerGramKernel.allCases where kernel != .vnni || IntegerGramKernel.vnniAvailable {
        var sums = CovarianceAccumulator(dimension: dimension)
        values.withUnsafeBufferPointer { sums.add($0, kernel: kernel) }
        #expect(sums.sums == direct.sums, "\(kernel) \(name) D = \(dimension)")
        #expect(sums.products == direct.products, "\(kernel) \(name) D = \(dimension)")
      }
    }
  }

  /// A full block of zeros for each kernel: every `ssyrk` shifted product is (−128)² and the
  /// block sum exactly 2^24; then a full block of values, against the direct sums.
  @Test(arguments: IntegerGramKernel.allCases)
  func aFullBlockAtTheKernelsBoundIsExact(kernel: IntegerGramKernel) {
    guard kernel != .vnni || IntegerGramKernel.vnniAvailable else {
      print("aFullBlockAtTheKernelsBoundIsExact: skipped for vnni (this CPU has no AVX-512 VNNI)")
      return
    }
    let d = 20
    var sums = CovarianceAccumulator(dimension: d)
    let zeros = [UInt8](repeating: 0, count: kernel.blockRows * d)
    zeros.withUnsafeBufferPointer { sums.add($0, kernel: kernel) }
    #expect(sums.products.enumerated().allSatisfy { $0.element == 0 })
    let values = Self.vectors(rows: kernel.blockRows + 3, dimension: d, seed: 3)
    values.withUnsafeBufferPointer { sums.add($0, kernel: kernel) }
    #expect(sums.products == Self.directSums(values, dimension: d).products)
  }

  /// The covariance from the sums equals the two-pass Float64 formula on the unit scale.
  @Test func covarianceIsThePopulationCovarianceOnTheUnitScale() {
    let d = 5, rows = 400
    let values = Self.vectors(rows: rows, dimension: d, seed: 8)
    let sums = Self.accumulate(values, dimension: d, rows: 0..<rows)
    let (mean, covariance) = (sums.mean, sums.covariance())
    let x = values.map { Double($0) / 255 }
    for i in 0..<d {
      let m = (0..<rows).map { x[$0 * d + i] }.reduce(0, +) / Double(rows)
      #expect(abs(mean[i] - m) <= 1e-15)
      for j in 0..<d {
        let mj = (0..<rows).map { x[$0 * d + j] }.reduce(0, +) / Double(rows)
        let c = (0..<rows).map { (x[$0 * d + i] - m) * (x[$0 * d + j] - mj) }.reduce(0, +) / Double(rows)
        #expect(abs(covariance[item: i, j] - c) <= 1e-14)
      }
    }
  }

  /// The fit's in-place covariance has ``CovarianceAccumulator/covariance()``'s bits in the
  /// upper triangle, and empties the sums.
  @Test func inPlaceCovarianceHasTheSameBits() {
    let d = 33, rows = 500
    let values = Self.vectors(rows: rows, dimension: d, seed: 6)
    var sums = Self.accumulate(values, dimension: d, rows: 0..<rows)
    let expected = sums.covariance()
    var storage = sums.takeCovarianceUpperTriangle()
    #expect(sums == CovarianceAccumulator(dimension: 1))
    storage.withDoubles { c in
      for i in 0..<d {
        for j in 0..<d {
          #expect(c[i * d + j].bitPattern == (j >= i ? expected[item: i, j].bitPattern : 0))
        }
      }
    }
  }

  /// Partial sums saved with Codable (a shard's file) merge like the originals.
  @Test func partialSumsRoundTripThroughCodable() throws {
    let values = Self.vectors(rows: 100, dimension: 17, seed: 2)
    let shard = Self.accumulate(values, dimension: 17, rows: 0..<60)
    let decoded = try JSONDecoder().decode(CovarianceAccumulator.self, from: JSONEncoder().encode(shard))
    #expect(decoded == shard)
    var merged = decoded
    merged.merge(Self.accumulate(values, dimension: 17, rows: 60..<100))
    #expect(merged == Self.accumulate(values, dimension: 17, rows: 0..<100))
    // The array form (what a shard saves with NPYIO) rebuilds the same partial.
    #expect(CovarianceAccumulator(count: shard.count, sums: shard.sums, products: shard.products) == shard)
    #expect(CovarianceAccumulator(count: 1, sums: [1, 2], products: [1, 2, 3, 4]) == nil)
    #expect(CovarianceAccumulator(count: 1, sums: [1, 2], products: [1, 2, 3]) == nil)
  }

  /// The fitted matrix whitens: W·Σ·Wᵀ is diag(λ/(λ+ε)) for PCA (components in the
  /// eigenbasis) and U·diag(λ/(λ+ε))·Uᵀ for ZCA, so within max ε/(λ+ε) of the identity;
  /// ZCA's matrix is symmetric.
  @Test(arguments: [WhiteningMethod.zca, .pca])
  func theMatrixWhitensTheCovariance(method: WhiteningMethod) throws {
    let d = 24, rows = 3000
    let values = Self.vectors(rows: rows, dimension: d, seed: 4)
    let sums = Self.accumulate(values, dimension: d, rows: 0..<rows)
    var consumed = sums
    let whitening = try WhiteningMatrix(fitting: &consumed, options: WhiteningOptions(method: method, scope: .image))
    let covariance = sums.covariance()
    let product = whitening.matrix.matmul(covariance).matmul(whitening.matrix.transposed())
    let lambda = whitening.eigenvalues
    #expect(lambda == lambda.sorted(by: >))
    let shrink = lambda.map { 1e-6 / ($0 + 1e-6) }.max()!
    #expect(shrink < 1e-2)
    for i in 0..<d {
      for j in 0..<d {
        let value = product[item: i, j]
        switch method {
        case .pca:
          #expect(abs(value - (i == j ? lambda[i] / (lambda[i] + 1e-6) : 0)) < 1e-9)
        case .zca:
          #expect(abs(value - (i == j ? 1 : 0)) <= shrink + 1e-9)
          #expect(
            abs(whitening.matrix[item: i, j] - whitening.matrix[item: j, i]) <= 1e-12
              * abs(whitening.matrix[item: i, j]) + 1e-15)
        }
      }
    }
  }

  @Test func imageScopeAbove4096ValuesIsRefusedWithTheMemory() {
    #expect(WhiteningScope.image.refusal(width: 32, height: 32, channels: 4) == nil)
    #expect(WhiteningScope.channel.refusal(width: 4000, height: 4000, channels: 3) == nil)
    let refusal = WhiteningScope.image.refusal(width: 227, height: 227, channels: 3) ?? ""
    // Keras#1531's case: (227·227·3)² float64 values.
    #expect(
      refusal.contains("D = 154587") && refusal.contains("191.2 GB") && refusal.contains("--whiten-scope channel"))
  }
}
