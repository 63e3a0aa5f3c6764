import Foundation
import Testing

@testable import NDArray

/// `_TridiagonalEigenpairs`: LAPACK `dstemr`'s steps with the eigenvectors computed in runs
/// on several threads. Each case is checked against `dstemr` itself on the same matrix
/// (`wholeByDSTEMR`): the same eigenvalues to rounding, the same eigenvectors up to sign,
/// and bit for bit the same result on 1 and 2 threads.
@Suite struct TridiagonalEigenpairsTests {
  /// A tridiagonal matrix (diagonal, off-diagonal with a spare) of the kinds MRRR treats
  /// differently: spread-out eigenvalues, tight clusters, and a zero off-diagonal that
  /// splits it into blocks (whose eigenvalues dstemr then sorts), a diagonal matrix (every
  /// block 1×1) and the zero matrix.
  static func matrix(_ kind: String, n: Int) -> (diagonal: [Double], offDiagonal: [Double]) {
    var generator = SplitMix64(seed: 17)
    func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
    var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
    for i in 0..<n {
      switch kind {
      case "random":
        d[i] = uniform() - 0.5
        e[i] = uniform() - 0.5
      case "diagonal":
        d[i] = Double((i * 7919) % n) - Double(n / 2)
      case "zero":
        break
      case "clustered":
        // Wilkinson-like: pairs of nearly equal eigenvalues, and a dense bulk of small ones.
        d[i] = i < n / 3 ? Double(abs(n / 6 - i)) : 1e-3 * (1 + 1e-4 * uniform())
        e[i] = i < n / 3 ? 1 : 1e-5 * uniform()
      default:  // "split": two unreduced blocks and a 1×1 one
        d[i] = Double(i % 7) + uniform()
        e[i] = (i == n / 2 || i == n - 2) ? 0 : uniform()
      }
    }
    e[n - 1] = 0
    return (d, e)
  }

  /// Eigenvalues (ascending), eigenvectors (row k for eigenvalue k) and the number of runs,
  /// by `compute`, or by `dstemr` in one call.
  static func eigenpairs(
    _ t: (diagonal: [Double], offDiagonal: [Double]), whole: Bool,
    gap: Double = _TridiagonalEigenpairs.dstemrMinimumRelativeGap
  ) throws -> (
    [Double], [Double], runs: Int
  ) {
    let n = t.diagonal.count
    var runs = 1
    var values = [Double](repeating: 0, count: n), vectors = [Double](repeating: .nan, count: n * n)
    try values.withUnsafeMutableBufferPointer { w in
      try vectors.withUnsafeMutableBufferPointer { z in
        if whole {
          try _TridiagonalEigenpairs.wholeByDSTEMR(
            diagonal: t.diagonal, offDiagonal: t.offDiagonal, eigenvalues: w, z: z.baseAddress!)
        } else {
          runs = try _TridiagonalEigenpairs.compute(
            diagonal: t.diagonal, offDiagonal: t.offDiagonal, eigenvalues: w, z: z.baseAddress!,
            minimumRelativeGap: gap)
        }
      }
    }
    return (values, vectors, runs)
  }

  /// With dstemr's cluster gap (1e-3) the vectors are dstemr's own; with the whitening
  /// fit's 1e-5 (fewer clusters) they are checked as eigenpairs: residuals, and
  /// orthogonality within the n·ε/gap that a smaller gap guarantees.
  @Test(arguments: ["random", "clustered", "split", "diagonal", "zero"], [700, 3])
  func runsOnThreadsAgreeWithDSTEMR(kind: String, n: Int) throws {
    for gap in [_TridiagonalEigenpairs.dstemrMinimumRelativeGap, 1e-5] {
      try checkRuns(kind: kind, n: n, gap: gap)
    }
  }

  func checkRuns(kind: String, n: Int, gap: Double) throws {
    let t = Self.matrix(kind, n: n)
    let (expectedValues, expectedVectors, _) = try Self.eigenpairs(t, whole: true)
    let (values, vectors, runs) = try _Parallel.$threadCountOverride.withValue(2) {
      try Self.eigenpairs(t, whole: false, gap: gap)
    }
    let (serialValues, serialVectors, _) = try _Parallel.$threadCountOverride.withValue(1) {
      try Self.eigenpairs(t, whole: false, gap: gap)
    }
    // Every matrix here has separated eigenvalues or blocks to cut at: the check above
    // compares two real runs, not one.
    let name = "\(kind) n=\(n) gap=\(gap)"
    #expect(runs == (n > 2 ? 2 : 1), "\(name): \(runs) runs")
    #expect(values == serialValues && vectors == serialVectors, "\(name): the result depends on threads")
    let scale = Swift.max(expectedValues.map(abs).max()!, Double.leastNormalMagnitude)
    for k in 0..<n {
      #expect(abs(values[k] - expectedValues[k]) <= 1e-14 * scale, "\(name): eigenvalue \(k)")
      guard gap == _TridiagonalEigenpairs.dstemrMinimumRelativeGap else { continue }
      let row = vectors[(k * n)..<(k * n + n)], expected = expectedVectors[(k * n)..<(k * n + n)]
      let sign: Double = zip(row, expected).reduce(0) { $0 + $1.0 * $1.1 } < 0 ? -1 : 1
      let difference = zip(row, expected).map { abs(sign * $0 - $1) }.max()!
      #expect(difference <= 1e-10, "\(name): eigenvector \(k) differs by \(difference)")
    }
    // VᵀV = I: unit vectors, orthogonal within n·ε/gap.
    let v = NDArray(vectors, shape: [n, n])
    let gram = v.matmul(v.T)
    var worstOrthogonality = 0.0
    gram.withUnsafeBufferPointer { g in
      for i in 0..<n {
        for j in 0..<n { worstOrthogonality = max(worstOrthogonality, abs(g[i * n + j] - (i == j ? 1 : 0))) }
      }
    }
    #expect(
      worstOrthogonality <= Double(n) * Double.ulpOfOne / gap,
      "\(name): vectors orthogonal only to \(worstOrthogonality)")
    // T·v = λ·v for every pair.
    let (d, e) = t
    for k in 0..<n {
      let v = Array(vectors[(k * n)..<(k * n + n)])
      var worst = 0.0
      for i in 0..<n {
        var product = d[i] * v[i]
        if i > 0 { product += e[i - 1] * v[i - 1] }
        if i < n - 1 { product += e[i] * v[i + 1] }
        worst = max(worst, abs(product - values[k] * v[i]))
      }
      #expect(worst <= 1e-13 * Double(n) * Swift.max(scale, 1), "\(name): residual \(worst) for pair \(k)")
    }
  }

  /// The runs are cut where dlarrv itself starts a new cluster, near the middle; a matrix
  /// whose eigenvalues form one cluster is one run.
  @Test func runsAreCutAtClusterBoundariesNearTheMiddle() {
    let spread: [Double] = (0..<10).map { Double($0) }
    let gaps = [Double](repeating: 1, count: 10), blocks = [Int32](repeating: 1, count: 10)
    let cuts = spread.withUnsafeBufferPointer {
      _TridiagonalEigenpairs.partBoundaries(eigenvalues: $0, gaps: gaps, blockOf: blocks)
    }
    #expect(cuts == [0, 5, 10])
    let cluster: [Double] = (0..<10).map { 1 + 1e-6 * Double($0) }
    let small = [Double](repeating: 1e-6, count: 10)
    let one = cluster.withUnsafeBufferPointer {
      _TridiagonalEigenpairs.partBoundaries(eigenvalues: $0, gaps: small, blockOf: blocks)
    }
    #expect(one == [0, 10])
    // A new block separates even where the gap is small.
    let twoBlocks: [Int32] = [1, 1, 1, 1, 1, 1, 1, 2, 2, 2]
    let byBlock = cluster.withUnsafeBufferPointer {
      _TridiagonalEigenpairs.partBoundaries(eigenvalues: $0, gaps: small, blockOf: twoBlocks)
    }
    #expect(byBlock == [0, 7, 10])
    // Gaps of 1e-4 relative: one cluster for dstemr's 1e-3, cut for a gap of 1e-5.
    let close = [Double](repeating: 1e-4, count: 10)
    let tight = cluster.withUnsafeBufferPointer {
      _TridiagonalEigenpairs.partBoundaries(eigenvalues: $0, gaps: close, blockOf: blocks)
    }
    #expect(tight == [0, 10])
    let loose = cluster.withUnsafeBufferPointer {
      _TridiagonalEigenpairs.partBoundaries(eigenvalues: $0, gaps: close, blockOf: blocks, minimumRelativeGap: 1e-5)
    }
    #expect(loose == [0, 5, 10])
  }
}
