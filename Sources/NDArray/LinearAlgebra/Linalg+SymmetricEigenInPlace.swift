import CLinearAlgebra

/// A symmetric matrix reduced to tridiagonal form, `A = Q·T·Qᵀ` (LAPACK `dsytrd`, uplo
/// 'L'), holding only what the eigenvectors need: T's diagonal and off-diagonal, and Q's
/// n−1 Householder reflectors packed one after another (n²/2 values) so that the n×n matrix
/// they came from can be freed before the n×n eigenvectors are allocated. SciPy has no
/// direct equivalent (`scipy.linalg.lapack.dsytrd` returns the reflectors inside the
/// matrix); the eigenpairs are `numpy.linalg.eigh(A)`'s.
public struct SymmetricTridiagonalReduction: Sendable {
  /// n.
  public let dimension: Int
  /// T's diagonal (n values).
  var diagonal: [Double]
  /// T's off-diagonal (n − 1 values, plus one spare that `dstemr` uses).
  var offDiagonal: [Double]
  /// The reflectors' scale factors τ (n − 1 values).
  var tau: [Double]
  /// Reflector i's entries below its implicit leading 1: rows i+2… of column i of dsytrd's
  /// output, n−2−i values, for i = 0, 1, …, n−2 in order.
  var reflectors: [Double]

  /// LAPACK `dstemr`'s MINRGP, the default ``eigen(eigenvalues:eigenvectors:clusterGap:stage:)``
  /// uses: MRRR treats eigenvalues closer than this relative gap as a cluster.
  public static let defaultClusterGap = _TridiagonalEigenpairs.dstemrMinimumRelativeGap

  /// The reflectors applied per block in the back-transformation (LAPACK's `dormtr` uses
  /// 32; wider blocks make its products larger matrix multiplications).
  static let backTransformBlock = 128

  /// Where reflector `i` starts in ``reflectors``.
  func offset(ofReflector i: Int) -> Int { i * (dimension - 2) - i * (i - 1) / 2 }

  /// All eigenvalues (ascending) and eigenvectors of the reduced matrix A: T's eigenpairs
  /// (``tridiagonalEigen(eigenvalues:eigenvectors:clusterGap:)``) written straight into `eigenvectors`
  /// (n·n; row `k`, read row-major, is the eigenvector of `eigenvalues[k]`), then Q applied
  /// in blocks of reflectors (``applyReflectors(to:)``). `stage` is called after each of the
  /// two steps with its name.
  ///
  /// `clusterGap` is the relative gap below which MRRR treats neighbouring eigenvalues as a
  /// cluster (LAPACK `dstemr`'s MINRGP, 1e-3 by default). A smaller one is less work where
  /// eigenvalues lie close together: each eigenvector stays as accurate as a
  /// backward-stable solver's (within about n·ε·‖A‖ / its absolute gap), but close pairs
  /// are only guaranteed orthogonal to about n·ε/`clusterGap` (3·10⁻⁸ for n = 3072 and
  /// 1e-5) instead of n·ε/1e-3. Spectral functions of A such as `U·f(Λ)·Uᵀ` do not see the
  /// difference; see ``defaultClusterGap``.
  ///
  /// - Throws: ``LinearAlgebraError/eigenvaluesDidNotConverge``. Traps when the buffers'
  ///   sizes do not fit ``dimension`` or `clusterGap` is not in (0, 1).
  public consuming func eigen(
    eigenvalues: UnsafeMutableBufferPointer<Double>, eigenvectors z: UnsafeMutableBufferPointer<Double>,
    clusterGap: Double = defaultClusterGap, stage: (String) -> Void = { _ in }
  ) throws(LinearAlgebraError) {
    try tridiagonalEigen(eigenvalues: eigenvalues, eigenvectors: z, clusterGap: clusterGap)
    stage("tridiagonal eigenvectors (MRRR)")
    if let base = z.baseAddress { applyReflectors(to: base) }
    stage("back-transformation (dlarft, dgemm)")
  }

  /// The eigenvalues (ascending) and eigenvectors of T itself, by MRRR (`dstemr`'s steps,
  /// the eigenvectors in parts on several threads: `_TridiagonalEigenpairs`): row `k` of
  /// `eigenvectors` (n·n, row-major) is the eigenvector of `eigenvalues[k]`. The SciPy
  /// equivalent is `scipy.linalg.eigh_tridiagonal(d, e, lapack_driver="stemr")`; A's
  /// eigenvectors are these with Q applied (``applyReflectors(to:)``).
  ///
  /// - Throws: ``LinearAlgebraError/eigenvaluesDidNotConverge``. Traps when the buffers'
  ///   sizes do not fit ``dimension``.
  func tridiagonalEigen(
    eigenvalues: UnsafeMutableBufferPointer<Double>, eigenvectors z: UnsafeMutableBufferPointer<Double>,
    clusterGap: Double
  ) throws(LinearAlgebraError) {
    let n = dimension
    precondition(z.count == n * n && eigenvalues.count == n, "eigen: buffer sizes for n = \(n)")
    precondition(clusterGap > 0 && clusterGap < 1, "eigen: clusterGap \(clusterGap) is not in (0, 1)")
    if n == 0 { return }
    try _TridiagonalEigenpairs.compute(
      diagonal: diagonal, offDiagonal: offDiagonal, eigenvalues: eigenvalues, z: z.baseAddress!,
      minimumRelativeGap: clusterGap)
  }

  /// Writes reflectors `start..<start+width` into `panel` as a unit lower trapezoid: rows
  /// start… of the (n−1)×(n−1) V, column-major with leading dimension n−1−start.
  func fillPanel(_ panel: inout [Double], start: Int, width: Int) {
    let n = dimension, height = n - 1 - start
    for c in 0..<width {
      let i = start + c
      let column = c * height
      for s in 0..<c { panel[column + s] = 0 }
      panel[column + c] = 1
      let first = offset(ofReflector: i), length = n - 2 - i
      for t in 0..<length { panel[column + c + 1 + t] = reflectors[first + t] }
    }
  }

  /// `Z ← Q·Z`, Q = H(0)⋯H(n−2) acting on rows 1… of the column-major `Z`: LAPACK
  /// `dormtr('L', 'L', 'N')` (`dormqr` on rows 1…), the last block of reflectors first.
  /// Each block `P = I − V·T·Vᵀ` (`dlarft`) is applied as `dlarfb` does, but as two plain
  /// products on the whole block of rows, `Y = Vᵀ·Z` then `Z −= V·(T·Y)` (the panel holds
  /// V's zeros and unit diagonal explicitly): 20% faster than `dlarfb`'s triangular and
  /// rectangular pieces on a 3072×3072 Z.
  ///
  /// A block acting on rows s+1… leaves a column that is zero in those rows as it is, so
  /// each block's products take only the columns from the first to the last one with a
  /// nonzero there. MRRR's eigenvectors are exactly zero outside their support, and the
  /// extreme eigenvalues' vectors end high up (Householder tridiagonalization finds them
  /// first): for an image covariance at D = 3072 this skips 13% of the work, for a
  /// rank-deficient one a third. Returns the fraction of the full products' work done.
  @discardableResult
  func applyReflectors(to z: UnsafeMutablePointer<Double>) -> Double {
    let n = dimension, count = n - 1, rows = n - 1
    if count <= 0 { return 1 }
    let block = Self.backTransformBlock
    let lastNonzeroRow = Self.lastNonzeroRows(z, dimension: n)
    var triangle = [Double](repeating: 0, count: block * block)
    var products = [Double](repeating: 0, count: n * block)
    var panel = [Double](repeating: 0, count: rows * block)
    var (done, full) = (0.0, 0.0)
    var start = ((count - 1) / block) * block
    while start >= 0 {
      defer { start -= block }
      let width = Swift.min(block, count - start), height = rows - start
      full += Double(height * n)
      // The columns with a nonzero in rows start+1… (a column once included stays so for
      // every later block, which reaches further up).
      guard let first = lastNonzeroRow.firstIndex(where: { $0 > start }),
        let last = lastNonzeroRow.lastIndex(where: { $0 > start })
      else { continue }
      let columns = last - first + 1
      done += Double(height * columns)
      fillPanel(&panel, start: start, width: width)
      tau.withUnsafeBufferPointer { t in
        _ = LAPACKE_dlarft_work(
          LAPACK_COL_MAJOR, _lapackChar("F"), _lapackChar("C"), _lapackInt(height), _lapackInt(width), panel,
          _lapackInt(height), t.baseAddress! + start, &triangle, _lapackInt(block))
      }
      let (h, w, m, ldz, ldt) = (
        _lapackInt(height), _lapackInt(width), _lapackInt(columns), _lapackInt(n), _lapackInt(block)
      )
      let rowsOfZ = z + first * n + 1 + start
      // Yᵀ = Zᵀ·V (columns × width), Yᵀ = Yᵀ·Tᵀ, Z −= V·Y. (With Z as the first product's
      // left factor OpenBLAS packs it in small pieces; as the right one it packed 6 MB more.)
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, m, w, h, 1, rowsOfZ, ldz, panel, h, 0, &products, m)
      cblas_dtrmm(
        CblasColMajor, CblasRight, CblasUpper, CblasTrans, CblasNonUnit, m, w, 1, triangle, ldt, &products, m)
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, h, m, w, -1, panel, h, products, m, 1, rowsOfZ, ldz)
    }
    return full > 0 ? done / full : 1
  }

  /// For each column of the column-major n×n `z`, the index of its last nonzero row (−1
  /// for a zero column), read from the bottom up on several threads.
  static func lastNonzeroRows(_ z: UnsafeMutablePointer<Double>, dimension n: Int) -> [Int] {
    let parts = 8
    let matrix = _UnsafeSendable(z)
    return [Int](unsafeUninitializedCapacity: n) { buffer, initialized in
      let result = _UnsafeSendable(buffer.baseAddress!)
      _Parallel.forEach(items: parts, elements: n * n) { part in
        for k in (part * n / parts)..<((part + 1) * n / parts) {
          let column = matrix.value + k * n
          var row = n - 1
          while row >= 0 && column[row] == 0 { row -= 1 }
          (result.value + k).initialize(to: row)
        }
      }
      initialized = n
    }
  }
}

extension Linalg {
  /// Reduces one symmetric n×n `Float64` matrix in caller memory to tridiagonal form (LAPACK
  /// `dsytrd`, in place), for ``SymmetricTridiagonalReduction/eigen(eigenvalues:eigenvectors:clusterGap:stage:)``:
  /// together `numpy.linalg.eigh(a)` (`dsyevr`'s algorithm) with no n×n workspace, and
  /// with `a` free to be released before the eigenvectors are allocated (the reduction
  /// keeps n²/2 values).
  ///
  /// `a` is read as its row-major upper triangle (the column-major lower one) and destroyed.
  ///
  /// - Throws: ``LinearAlgebraError/nonFinite``. Traps unless `a` holds n·n values.
  public static func tridiagonalReduction(overwriting a: UnsafeMutableBufferPointer<Double>, dimension n: Int)
    throws(LinearAlgebraError) -> SymmetricTridiagonalReduction
  {
    precondition(a.count == n * n, "tridiagonalReduction: \(a.count) values for n = \(n)")
    for i in 0..<n where !a[(i * n + i)..<(i * n + n)].allSatisfy(\.isFinite) { throw .nonFinite }
    var reduction = SymmetricTridiagonalReduction(
      dimension: n, diagonal: [Double](repeating: 0, count: n), offDiagonal: [Double](repeating: 0, count: n),
      tau: [Double](repeating: 0, count: Swift.max(n - 1, 1)), reflectors: [])
    if n == 0 { return reduction }
    let order = _lapackInt(n)
    var size = 0.0
    var info = LAPACKE_dsytrd_work(
      LAPACK_COL_MAJOR, _lapackChar("L"), order, a.baseAddress, order, &reduction.diagonal, &reduction.offDiagonal,
      &reduction.tau, &size, -1)
    precondition(info == 0, "LAPACK dsytrd rejected argument \(-info)")
    var work = [Double](repeating: 0, count: Swift.max(Int(size), 1))
    info = LAPACKE_dsytrd_work(
      LAPACK_COL_MAJOR, _lapackChar("L"), order, a.baseAddress, order, &reduction.diagonal, &reduction.offDiagonal,
      &reduction.tau, &work, _lapackInt(work.count))
    precondition(info == 0, "LAPACK dsytrd rejected argument \(-info)")
    let packed = n >= 2 ? (n - 1) * (n - 2) / 2 : 0
    // Copied in parts of about equal size on several threads (one thread took 25 ms for
    // n = 3072, most of it first writes faulting the pages in).
    let parts = 4, columns = Swift.max(n - 1, 0)
    var starts = [0]
    for part in 1..<parts {
      var i = starts.last!
      while i < columns && reduction.offset(ofReflector: i) < part * packed / parts { i += 1 }
      starts.append(i)
    }
    starts.append(columns)
    let (source, layout) = (_UnsafeSendable(a.baseAddress!), reduction)
    reduction.reflectors = [Double](unsafeUninitializedCapacity: packed) { buffer, initialized in
      let target = _UnsafeSendable(buffer.baseAddress)
      _Parallel.forEach(items: parts, elements: packed) { part in
        for i in starts[part]..<starts[part + 1] {
          // Column i, rows i+2…: contiguous in column-major order.
          let length = n - 2 - i
          if length > 0 {
            (target.value! + layout.offset(ofReflector: i)).initialize(
              from: source.value + i * n + i + 2, count: length)
          }
        }
      }
      initialized = packed
    }
    return reduction
  }

  /// All eigenvalues (ascending) and eigenvectors of one symmetric n×n `Float64` matrix in
  /// caller memory, with no n×n workspace: ``tridiagonalReduction(overwriting:dimension:)``
  /// then ``SymmetricTridiagonalReduction/eigen(eigenvalues:eigenvectors:clusterGap:stage:)``
  /// (`numpy.linalg.eigh(a)`; `scipy.linalg.eigh(a, driver="evr", overwrite_a=True)`).
  /// `a` is read as its row-major upper triangle and destroyed; row `k` of `eigenvectors`
  /// (row-major) is the eigenvector of `eigenvalues[k]`. Eigenvalues agree with NumPy's to
  /// rounding; eigenvectors up to sign (and rotation within repeated eigenvalues).
  ///
  /// - Throws: ``LinearAlgebraError/nonFinite`` or
  ///   ``LinearAlgebraError/eigenvaluesDidNotConverge``.
  public static func symmetricEigen(
    overwriting a: UnsafeMutableBufferPointer<Double>, dimension n: Int,
    eigenvalues: UnsafeMutableBufferPointer<Double>, eigenvectors z: UnsafeMutableBufferPointer<Double>,
    stage: (String) -> Void = { _ in }
  ) throws(LinearAlgebraError) {
    let reduction = try tridiagonalReduction(overwriting: a, dimension: n)
    stage("tridiagonal reduction (dsytrd)")
    try reduction.eigen(eigenvalues: eigenvalues, eigenvectors: z, stage: stage)
  }
}
