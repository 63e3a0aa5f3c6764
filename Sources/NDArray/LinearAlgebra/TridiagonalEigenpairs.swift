import CLinearAlgebra

/// All eigenpairs of a symmetric tridiagonal matrix by MRRR: LAPACK `dstemr('V', 'A')` step
/// by step, with its eigenvector step run in parts on several threads.
///
/// `dstemr` finds every eigenvalue and a root representation (`dlarre`), then computes the
/// eigenvectors one cluster of close eigenvalues at a time (`dlarrv`), on one thread: for a
/// 3072×3072 covariance that took 1.2 s while the other core waited. Clusters are
/// independent once `dlarre` has run, so the eigenvalues are cut into ``parts`` runs at
/// gaps where `dlarrv` itself would split them into separate clusters (a relative gap of
/// at least `MINRGP`, or the border of an unreduced block), and each run is handed to
/// `dlarrv` alone, as `dstemr` hands it the eigenvalues of an index range. Every eigenvector
/// comes from the same representation and the same cluster tree as in `dstemr`; the
/// eigenvalue next to a cut is refined with the smaller gap `dlarrv` assumes at the end of
/// a range, so vectors there can differ from `dstemr`'s in the last bits. The cuts depend
/// on the matrix only, never on the thread count, so the result does not either.
///
/// SciPy: `scipy.linalg.eigh_tridiagonal(d, e, lapack_driver="stemr")`. Implementation
/// detail of ``SymmetricTridiagonalReduction``.
enum _TridiagonalEigenpairs {
  /// How many runs the eigenvalues are cut into (at most; fewer when there are fewer gaps).
  static let parts = 2
  /// `dstemr`'s MINRGP: `dlarrv` starts a new cluster after eigenvalue j when the gap to
  /// the next one is at least this times |λ_j|. The default of `compute`.
  static let dstemrMinimumRelativeGap = 1e-3

  /// Writes the eigenvalues of the n×n tridiagonal matrix (`diagonal`, n values;
  /// `offDiagonal`, n − 1 values and a spare) into `eigenvalues` (ascending), and the
  /// eigenvector of `eigenvalues[k]` into column k of the column-major n×n `z`.
  ///
  /// `minimumRelativeGap` is MINRGP, the relative gap at which `dlarrv` treats an
  /// eigenvalue as a singleton rather than part of a cluster (which gets a new representation
  /// and bisection): `dstemr`'s 1e-3 by default. A smaller one means fewer clusters and less
  /// work; each singleton's vector stays within about n·ε/gap of the true one (the accuracy
  /// of a backward-stable solver, which is eps·‖T‖/absolute gap), but the guaranteed
  /// orthogonality of close pairs loosens from about n·ε/1e-3 to n·ε/`minimumRelativeGap`.
  ///
  /// Returns how many runs `dlarrv` was given (1 for n ≤ 2, where `dstemr` itself runs).
  ///
  /// - Throws: ``LinearAlgebraError/eigenvaluesDidNotConverge`` when a LAPACK step fails.
  @discardableResult
  static func compute(
    diagonal: [Double], offDiagonal: [Double], eigenvalues: UnsafeMutableBufferPointer<Double>,
    z: UnsafeMutablePointer<Double>, minimumRelativeGap: Double = dstemrMinimumRelativeGap
  ) throws(LinearAlgebraError) -> Int {
    let n = diagonal.count
    precondition(offDiagonal.count >= n && eigenvalues.count == n, "tridiagonal eigenpairs: sizes for n = \(n)")
    if n <= 2 {
      try wholeByDSTEMR(diagonal: diagonal, offDiagonal: offDiagonal, eigenvalues: eigenvalues, z: z)
      return 1
    }
    var d = diagonal, e = offDiagonal
    var order = _lapackInt(n)

    // dstemr: scale T into the range where MRRR's bounds hold.
    let epsilon = Double.ulpOfOne  // dlamch('P')
    let safeMinimum = Double.leastNormalMagnitude  // dlamch('S')
    let smallNumber = safeMinimum / epsilon
    let rangeMinimum = smallNumber.squareRoot()
    let rangeMaximum = Swift.min((1 / smallNumber).squareRoot(), 1 / safeMinimum.squareRoot().squareRoot())
    var norm = d.reduce(0) { Swift.max($0, abs($1)) }
    for j in 0..<(n - 1) { norm = Swift.max(norm, abs(e[j])) }
    var scale = 1.0
    if norm > 0 && norm < rangeMinimum {
      scale = rangeMinimum / norm
    } else if norm > rangeMaximum {
      scale = rangeMaximum / norm
    }
    if scale != 1 {
      for j in 0..<n { d[j] *= scale }
      for j in 0..<(n - 1) { e[j] *= scale }
      norm *= scale
    }

    // dstemr with TRYRAC: high relative accuracy when dlarrr finds T warrants it.
    var relativeInfo: Int32 = 0
    dlarrr_(&order, d, e, &relativeInfo)
    let relativeAccuracy = relativeInfo == 0
    var splitTolerance = relativeAccuracy ? epsilon : -epsilon
    let unreducedDiagonal = relativeAccuracy ? d : []
    var squares = [Double](repeating: 0, count: n)
    for j in 0..<(n - 1) { squares[j] = e[j] * e[j] }
    var tolerance1 = epsilon.squareRoot(), tolerance2 = Swift.max(epsilon.squareRoot() * 5e-3, 4 * epsilon)

    // dlarre: every eigenvalue (dqds), each block's root representation in d and e.
    var lower = 0.0, upper = 0.0
    var (first, last): (Int32, Int32) = (0, 0)
    var blocks: Int32 = 0, found: Int32 = 0, info: Int32 = 0, pivotMinimum = 0.0
    var blockEnds = [Int32](repeating: 0, count: n), blockOf = [Int32](repeating: 0, count: n)
    var indexInBlock = [Int32](repeating: 0, count: n)
    var errors = [Double](repeating: 0, count: n), gaps = [Double](repeating: 0, count: n)
    var gershgorin = [Double](repeating: 0, count: 2 * n)
    do {
      var work = [Double](repeating: 0, count: 6 * n), integerWork = [Int32](repeating: 0, count: 5 * n)
      var range = CChar(UInt8(ascii: "A"))
      dlarre_(
        &range, &order, &lower, &upper, &first, &last, &d, &e, &squares, &tolerance1, &tolerance2, &splitTolerance,
        &blocks, &blockEnds, &found, eigenvalues.baseAddress, &errors, &gaps, &blockOf, &indexInBlock, &gershgorin,
        &pivotMinimum, &work, &integerWork, &info, 1)
    }
    if info != 0 || found != order { throw .eigenvaluesDidNotConverge }

    // dlarrv, one run of eigenvalues per part.
    let w = eigenvalues.baseAddress!
    let cuts = partBoundaries(
      eigenvalues: UnsafeBufferPointer(eigenvalues), gaps: gaps, blockOf: blockOf,
      minimumRelativeGap: minimumRelativeGap)
    var results = [Int32](repeating: 0, count: cuts.count - 1)
    // Each run's VL: where a run starts inside a block, the left gap of its first cluster is
    // the one dlarrv would see in the whole run, so VL lies just below that cluster. Taken
    // from dlarre's output before any run starts: dlarrv widens the gaps of its own run as
    // it refines them, and a later run must not see them (nor race with them).
    let lowerBounds = cuts.dropLast().map { start -> Double in
      guard start > 0 && blockOf[start] == blockOf[start - 1] else { return lower }
      let shift = e[Int(blockEnds[Int(blockOf[start]) - 1]) - 1]
      return (w[start] + shift) - errors[start] - gaps[start - 1]
    }
    let shared = _UnsafeSendable(
      (
        w: w, z: z, d: d, e: e, lowerBounds: lowerBounds, upper: upper, pivotMinimum: pivotMinimum,
        tolerances: (tolerance1, tolerance2), blockEnds: blockEnds, blockOf: blockOf, indexInBlock: indexInBlock,
        gershgorin: gershgorin
      ))
    errors.withUnsafeMutableBufferPointer { errors in
      gaps.withUnsafeMutableBufferPointer { gaps in
        results.withUnsafeMutableBufferPointer { results in
          let pointers = _UnsafeSendable((errors: errors.baseAddress!, gaps: gaps.baseAddress!, results: results))
          _Parallel.forEach(items: cuts.count - 1, elements: n * n) { part in
            let s = shared.value, p = pointers.value
            let start = cuts[part], count = cuts[part + 1] - cuts[part]
            var runLower = s.lowerBounds[part]
            var (d, l) = (s.d, s.e)
            var work = [Double](repeating: 0, count: 12 * n), integerWork = [Int32](repeating: 0, count: 7 * n)
            var support = [Int32](repeating: 0, count: 2 * count)
            var (order, runCount, firstIndex, lastIndex) = (
              _lapackInt(n), _lapackInt(count), Int32(1), _lapackInt(count)
            )
            var (upper, pivotMinimum, minimumGap) = (s.upper, s.pivotMinimum, minimumRelativeGap)
            var (tolerance1, tolerance2) = s.tolerances
            var (leadingDimension, info) = (_lapackInt(n), Int32(0))
            s.blockOf.withUnsafeBufferPointer { blockOf in
              s.indexInBlock.withUnsafeBufferPointer { indexInBlock in
                dlarrv_(
                  &order, &runLower, &upper, &d, &l, &pivotMinimum, s.blockEnds, &runCount, &firstIndex, &lastIndex,
                  &minimumGap, &tolerance1, &tolerance2, s.w + start, p.errors + start, p.gaps + start,
                  blockOf.baseAddress! + start, indexInBlock.baseAddress! + start, s.gershgorin, s.z + start * n,
                  &leadingDimension, &support, &work, &integerWork, &info)
              }
            }
            p.results[part] = info
          }
        }
      }
    }
    if results.contains(where: { $0 != 0 }) { throw .eigenvaluesDidNotConverge }

    // dstemr with TRYRAC: bisection to full relative accuracy against the unshifted T.
    if relativeAccuracy {
      var work = [Double](repeating: 0, count: 2 * n), integerWork = [Int32](repeating: 0, count: 2 * n)
      var blockStart = 0, runStart = 0
      for block in 1...Int(blockOf[n - 1]) {
        let blockEnd = Int(blockEnds[block - 1])
        var runEnd = runStart
        while runEnd < n && Int(blockOf[runEnd]) == block { runEnd += 1 }
        if runEnd > runStart {
          var size = _lapackInt(blockEnd - blockStart)
          var (firstInBlock, lastInBlock) = (indexInBlock[runStart], indexInBlock[runEnd - 1])
          var offset = firstInBlock - 1
          var tolerance = 4 * epsilon
          var spread = norm
          var info: Int32 = 0
          unreducedDiagonal.withUnsafeBufferPointer { diagonal in
            squares.withUnsafeBufferPointer { squares in
              errors.withUnsafeMutableBufferPointer { errors in
                dlarrj_(
                  &size, diagonal.baseAddress! + blockStart, squares.baseAddress! + blockStart, &firstInBlock,
                  &lastInBlock, &tolerance, &offset, w + runStart, errors.baseAddress! + runStart, &work,
                  &integerWork, &pivotMinimum, &spread, &info)
              }
            }
          }
          runStart = runEnd
        }
        blockStart = blockEnd
      }
    }
    if scale != 1 {
      let unscale = 1 / scale
      for j in 0..<n { w[j] *= unscale }
    }
    // With several blocks the eigenvalues come block by block: sort them (dstemr's
    // selection sort, swapping eigenvectors along).
    if blocks > 1 {
      for j in 0..<(n - 1) {
        var smallest = j
        for k in (j + 1)..<n where w[k] < w[smallest] { smallest = k }
        if smallest != j {
          (w[j], w[smallest]) = (w[smallest], w[j])
          for r in 0..<n { swap(&z[j * n + r], &z[smallest * n + r]) }
        }
      }
    }
    return cuts.count - 1
  }

  /// The runs' bounds, `[0, …, n]`: cuts where dlarrv starts a new root cluster (a new
  /// block, or a relative gap of at least `minimumRelativeGap` after eigenvalue j of the
  /// shifted root representation), the one nearest each even share of eigenvalues.
  static func partBoundaries(
    eigenvalues w: UnsafeBufferPointer<Double>, gaps: [Double], blockOf: [Int32],
    minimumRelativeGap: Double = dstemrMinimumRelativeGap
  ) -> [Int] {
    let n = w.count
    var bounds = [0]
    for part in 1..<parts {
      let target = part * n / parts
      var best: Int?
      for k in (bounds.last! + 1)..<n {
        let separates = blockOf[k] != blockOf[k - 1] || gaps[k - 1] >= minimumRelativeGap * abs(w[k - 1])
        guard separates else { continue }
        if let current = best, abs(current - target) <= abs(k - target) { break }
        best = k
      }
      if let best { bounds.append(best) }
    }
    bounds.append(n)
    return bounds
  }

  /// `dstemr` itself, for n ≤ 2 (its closed forms).
  static func wholeByDSTEMR(
    diagonal: [Double], offDiagonal: [Double], eigenvalues: UnsafeMutableBufferPointer<Double>,
    z: UnsafeMutablePointer<Double>
  ) throws(LinearAlgebraError) {
    let n = diagonal.count
    if n == 0 { return }
    let order = _lapackInt(n)
    var (d, e) = (diagonal, offDiagonal)
    var found: Int32 = 0
    var support = [Int32](repeating: 0, count: 2 * n)
    var tryRelativeAccuracy: Int32 = 1
    var work = [Double](repeating: 0, count: 18 * n)
    var integerWork = [Int32](repeating: 0, count: 10 * n)
    let info = LAPACKE_dstemr_work(
      LAPACK_COL_MAJOR, _lapackChar("V"), _lapackChar("A"), order, &d, &e, 0, 0, 0, 0, &found,
      eigenvalues.baseAddress, z, order, order, &support, &tryRelativeAccuracy, &work, _lapackInt(work.count),
      &integerWork, _lapackInt(integerWork.count))
    if info > 0 || found != order { throw .eigenvaluesDidNotConverge }
    precondition(info == 0, "LAPACK dstemr rejected argument \(-info)")
  }
}
