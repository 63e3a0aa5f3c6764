import CLinearAlgebra

extension Linalg {
  /// The reflectors applied per block in ``symmetricEigen(overwriting:dimension:eigenvalues:eigenvectors:stage:)``'s
  /// back-transformation (LAPACK's `dormtr` uses 32; wider blocks make its products
  /// larger matrix multiplications).
  static let backTransformBlock = 128

  /// All eigenvalues (ascending) and eigenvectors of one symmetric n×n `Float64` matrix held
  /// in caller memory, with no n×n workspace: `numpy.linalg.eigh(a)` (LAPACK `dsyevr`'s
  /// algorithm, `scipy.linalg.eigh(a, driver="evr", overwrite_a=True)`).
  ///
  /// `a` is read as its row-major upper triangle (the column-major lower one) and destroyed;
  /// `eigenvectors` (n·n) receives the eigenvectors as rows: row `k` (read row-major) is the
  /// eigenvector of `eigenvalues[k]`. The steps are LAPACK's `dsytrd` (the tridiagonal
  /// reduction, in place), `dstemr` (MRRR: the tridiagonal eigenvectors straight into
  /// `eigenvectors`) and the back-transformation by the reflectors, applied in blocks of
  /// ``backTransformBlock`` with `dlarft`/`dlarfb` (what `dormtr` does with blocks of 32).
  /// `stage` is called after each step with its name (for timing).
  ///
  /// Eigenvalues agree with NumPy's to rounding; eigenvectors up to sign (and rotation
  /// within repeated eigenvalues).
  ///
  /// - Throws: ``LinearAlgebraError/nonFinite`` or
  ///   ``LinearAlgebraError/eigenvaluesDidNotConverge``. Traps when the buffers' sizes do
  ///   not fit `dimension`.
  public static func symmetricEigen(
    overwriting a: UnsafeMutableBufferPointer<Double>, dimension n: Int,
    eigenvalues: UnsafeMutableBufferPointer<Double>, eigenvectors z: UnsafeMutableBufferPointer<Double>,
    stage: (String) -> Void = { _ in }
  ) throws(LinearAlgebraError) {
    precondition(
      a.count == n * n && z.count == n * n && eigenvalues.count == n, "symmetricEigen: buffer sizes for n = \(n)")
    if n == 0 { return }
    for i in 0..<n where !a[(i * n + i)..<(i * n + n)].allSatisfy(\.isFinite) { throw .nonFinite }
    let order = _lapackInt(n)
    var diagonal = [Double](repeating: 0, count: n)
    var offDiagonal = [Double](repeating: 0, count: n)  // dstemr wants n entries
    var tau = [Double](repeating: 0, count: Swift.max(n - 1, 1))
    // dsytrd: query, then reduce.
    var size = 0.0
    var info = LAPACKE_dsytrd_work(
      LAPACK_COL_MAJOR, _lapackChar("L"), order, a.baseAddress, order, &diagonal, &offDiagonal, &tau, &size, -1)
    precondition(info == 0, "LAPACK dsytrd rejected argument \(-info)")
    var work = [Double](repeating: 0, count: Swift.max(Int(size), 1))
    info = LAPACKE_dsytrd_work(
      LAPACK_COL_MAJOR, _lapackChar("L"), order, a.baseAddress, order, &diagonal, &offDiagonal, &tau, &work,
      _lapackInt(work.count))
    precondition(info == 0, "LAPACK dsytrd rejected argument \(-info)")
    work = []
    stage("tridiagonal reduction (dsytrd)")
    // dstemr: query, then all eigenpairs of the tridiagonal matrix.
    var found: Int32 = 0
    var support = [Int32](repeating: 0, count: 2 * n)
    var tryRelativeAccuracy: Int32 = 1
    var integerSize: Int32 = 0
    info = LAPACKE_dstemr_work(
      LAPACK_COL_MAJOR, _lapackChar("V"), _lapackChar("A"), order, &diagonal, &offDiagonal, 0, 0, 0, 0, &found,
      eigenvalues.baseAddress, z.baseAddress, order, order, &support, &tryRelativeAccuracy, &size, -1,
      &integerSize, -1)
    precondition(info == 0, "LAPACK dstemr rejected argument \(-info)")
    work = [Double](repeating: 0, count: Swift.max(Int(size), 1))
    var integerWork = [Int32](repeating: 0, count: Swift.max(Int(integerSize), 1))
    info = LAPACKE_dstemr_work(
      LAPACK_COL_MAJOR, _lapackChar("V"), _lapackChar("A"), order, &diagonal, &offDiagonal, 0, 0, 0, 0, &found,
      eigenvalues.baseAddress, z.baseAddress, order, order, &support, &tryRelativeAccuracy, &work,
      _lapackInt(work.count), &integerWork, _lapackInt(integerWork.count))
    if info > 0 || found != order { throw .eigenvaluesDidNotConverge }
    precondition(info == 0, "LAPACK dstemr rejected argument \(-info)")
    work = []
    integerWork = []
    stage("tridiagonal eigenvectors (dstemr)")
    _applyTridiagonalReflectors(a.baseAddress!, tau: tau, dimension: n, to: z.baseAddress!)
    stage("back-transformation (dlarft/dlarfb)")
  }

  /// `Z ← Q·Z` for dsytrd's (uplo 'L') Q = H(1)⋯H(n−1), whose reflector i lies below the
  /// subdiagonal of column i of `a` (column-major): LAPACK `dormtr('L', 'L', 'N')`, which is
  /// `dormqr` on rows 1… of `Z`, here with blocks of ``backTransformBlock`` reflectors, the
  /// last block first.
  static func _applyTridiagonalReflectors(
    _ a: UnsafeMutablePointer<Double>, tau: [Double], dimension n: Int, to z: UnsafeMutablePointer<Double>
  ) {
    let reflectors = n - 1, rows = n - 1
    if reflectors <= 0 { return }
    let block = backTransformBlock
    var triangle = [Double](repeating: 0, count: block * block)
    var work = [Double](repeating: 0, count: n * block)
    let leading = _lapackInt(n)
    var start = ((reflectors - 1) / block) * block
    while start >= 0 {
      let width = Swift.min(block, reflectors - start)
      // V: rows start… of the (n−1)×(n−1) block at a(1, 0); C: rows start… of z(1, 0).
      let v = a + 1 + start + start * n
      tau.withUnsafeBufferPointer { t in
        _ = LAPACKE_dlarft_work(
          LAPACK_COL_MAJOR, _lapackChar("F"), _lapackChar("C"), _lapackInt(rows - start), _lapackInt(width), v,
          leading, t.baseAddress! + start, &triangle, _lapackInt(block))
      }
      _ = LAPACKE_dlarfb_work(
        LAPACK_COL_MAJOR, _lapackChar("L"), _lapackChar("N"), _lapackChar("F"), _lapackChar("C"),
        _lapackInt(rows - start), leading, _lapackInt(width), v, leading, triangle, _lapackInt(block), z + 1 + start,
        leading, &work, leading)
      start -= block
    }
  }
}
