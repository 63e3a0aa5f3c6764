import CLinearAlgebra
import RealModule

/// An element type that BLAS and LAPACK compute with: `Float` and `Double`.
///
/// The NumPy equivalent is the real dtypes `numpy.linalg` and `numpy.matmul` hand to
/// BLAS/LAPACK: `float32` (the `s` routines) and `float64` (the `d` routines). Other
/// element types are refused at compile time; convert first with
/// ``NDArray/astype(_:)`` (NumPy promotes integer input of `numpy.linalg` to `float64`
/// the same way).
///
/// The requirements wrap CBLAS and LAPACKE (row-major) one to one. They are implementation
/// details of ``NDArray/matmul(_:)`` and ``Linalg``, not a stable API.
public protocol LinearAlgebraScalar: NDArrayRealElement & NDArrayDivisible & BinaryFloatingPoint & Real
where SumResult == Self {
  /// True when no element is an infinity or a NaN (a loop specialized for the type: the
  /// generic ``Linalg`` code would otherwise check element by element through witnesses).
  static func _allFinite(_ elements: UnsafeBufferPointer<Self>) -> Bool
  /// `C = op(A) · op(B)`, row-major (`cblas_?gemm` with alpha 1, beta 0).
  static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    c: UnsafeMutablePointer<Self>, ldc: Int)
  /// `C = Aᵀ·A` for row-major `A` (k×n), or `C = A·Aᵀ` for row-major `A` (n×k) when
  /// `transposeA` is false; the upper triangle of the row-major n×n `C` only
  /// (`cblas_?syrk` with uplo Upper, alpha 1, beta 0).
  static func _syrk(
    transposeA: Bool, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, c: UnsafeMutablePointer<Self>, ldc: Int)
  /// All eigenvalues `w` (ascending) and eigenvectors of a symmetric n×n matrix `a`
  /// (destroyed), `LAPACKE_?syevr` (MRRR: jobz 'V', range 'A') in column-major order, which
  /// for a symmetric matrix is the same data and spares LAPACKE's row-major transposed
  /// copies: read row-major, row `i` of `z` is eigenvector `i`.
  static func _syevr(
    n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>, z: UnsafeMutablePointer<Self>
  ) -> Int32
  /// Solves `A X = B` in place for row-major `A` (n×n) and `B` (n×nrhs) (`LAPACKE_?gesv`).
  static func _gesv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, pivots: UnsafeMutablePointer<Int32>,
    b: UnsafeMutablePointer<Self>
  ) -> Int32
  /// LU factorization in place of a row-major n×n matrix (`LAPACKE_?getrf`).
  static func _getrf(n: Int, a: UnsafeMutablePointer<Self>, pivots: UnsafeMutablePointer<Int32>) -> Int32
  /// Cholesky factorization in place of a row-major n×n matrix (`LAPACKE_?potrf`).
  static func _potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Self>) -> Int32
  /// Eigenvalues `w` and eigenvectors (overwriting `a`) of a symmetric row-major n×n matrix
  /// (`LAPACKE_?syevd`, jobz 'V' or 'N').
  static func _syevd(
    vectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Self>,
    w: UnsafeMutablePointer<Self>
  ) -> Int32
  /// Singular value decomposition of a row-major m×n matrix (`LAPACKE_?gesdd`); `job` is
  /// `A`, `S` or `N`.
  static func _gesdd(
    job: Character, m: Int, n: Int, a: UnsafeMutablePointer<Self>,
    s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>?, ldu: Int,
    vt: UnsafeMutablePointer<Self>?, ldvt: Int
  ) -> Int32
}

/// LAPACK's integer type here (`lapack_int`, 32-bit in Debian's builds); traps on a
/// dimension that does not fit, which no array in memory reaches in practice.
@inline(__always)
func _lapackInt(_ value: Int) -> Int32 {
  guard let narrowed = Int32(exactly: value) else {
    preconditionFailure("dimension \(value) exceeds LAPACK's 32-bit integer range")
  }
  return narrowed
}

@inline(__always)
func _lapackChar(_ character: Character) -> CChar {
  CChar(bitPattern: character.asciiValue!)
}

extension Float: LinearAlgebraScalar {
  /// Whether every element is finite (`numpy.isfinite(a).all()`). Implementation detail.
  public static func _allFinite(_ elements: UnsafeBufferPointer<Float>) -> Bool {
    var finite = true
    for element in elements { finite = finite && element.isFinite }
    return finite
  }
  /// `cblas_sgemm`. Implementation detail.
  public static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      _lapackInt(m), _lapackInt(n), _lapackInt(k), 1, a, _lapackInt(lda), b, _lapackInt(ldb),
      0, c, _lapackInt(ldc))
  }
  /// `cblas_ssyrk`. Implementation detail.
  public static func _syrk(
    transposeA: Bool, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_ssyrk(
      CblasRowMajor, CblasUpper, transposeA ? CblasTrans : CblasNoTrans, _lapackInt(n), _lapackInt(k), 1, a,
      _lapackInt(lda), 0, c, _lapackInt(ldc))
  }
  /// `LAPACKE_ssyevr`. Implementation detail.
  public static func _syevr(
    n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>
  ) -> Int32 {
    var found: Int32 = 0
    let support = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * Swift.max(n, 1))
    defer { support.deallocate() }
    return LAPACKE_ssyevr(
      LAPACK_COL_MAJOR, _lapackChar("V"), _lapackChar("A"), _lapackChar("L"), _lapackInt(n), a,
      _lapackInt(Swift.max(n, 1)), 0, 0, 0, 0, 0, &found, w, z, _lapackInt(Swift.max(n, 1)), support)
  }
  /// `LAPACKE_sgesv`. Implementation detail.
  public static func _gesv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>,
    pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Float>
  ) -> Int32 {
    LAPACKE_sgesv(
      LAPACK_ROW_MAJOR, _lapackInt(n), _lapackInt(nrhs), a, _lapackInt(Swift.max(n, 1)),
      pivots, b, _lapackInt(Swift.max(nrhs, 1)))
  }
  /// `LAPACKE_sgetrf`. Implementation detail.
  public static func _getrf(n: Int, a: UnsafeMutablePointer<Float>, pivots: UnsafeMutablePointer<Int32>) -> Int32 {
    LAPACKE_sgetrf(LAPACK_ROW_MAJOR, _lapackInt(n), _lapackInt(n), a, _lapackInt(Swift.max(n, 1)), pivots)
  }
  /// `LAPACKE_spotrf`. Implementation detail.
  public static func _potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Float>) -> Int32 {
    LAPACKE_spotrf(LAPACK_ROW_MAJOR, _lapackChar(lower ? "L" : "U"), _lapackInt(n), a, _lapackInt(Swift.max(n, 1)))
  }
  /// `LAPACKE_ssyevd`. Implementation detail.
  public static func _syevd(
    vectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Float>,
    w: UnsafeMutablePointer<Float>
  ) -> Int32 {
    LAPACKE_ssyevd(
      LAPACK_ROW_MAJOR, _lapackChar(vectors ? "V" : "N"), _lapackChar(lower ? "L" : "U"),
      _lapackInt(n), a, _lapackInt(Swift.max(n, 1)), w)
  }
  /// `LAPACKE_sgesdd`. Implementation detail.
  public static func _gesdd(
    job: Character, m: Int, n: Int, a: UnsafeMutablePointer<Float>,
    s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>?, ldu: Int,
    vt: UnsafeMutablePointer<Float>?, ldvt: Int
  ) -> Int32 {
    LAPACKE_sgesdd(
      LAPACK_ROW_MAJOR, _lapackChar(job), _lapackInt(m), _lapackInt(n), a,
      _lapackInt(Swift.max(n, 1)), s, u, _lapackInt(Swift.max(ldu, 1)), vt, _lapackInt(Swift.max(ldvt, 1)))
  }
}

extension Double: LinearAlgebraScalar {
  /// Whether every element is finite (`numpy.isfinite(a).all()`). Implementation detail.
  public static func _allFinite(_ elements: UnsafeBufferPointer<Double>) -> Bool {
    var finite = true
    for element in elements { finite = finite && element.isFinite }
    return finite
  }
  /// `cblas_dgemm`. Implementation detail.
  public static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      _lapackInt(m), _lapackInt(n), _lapackInt(k), 1, a, _lapackInt(lda), b, _lapackInt(ldb),
      0, c, _lapackInt(ldc))
  }
  /// `cblas_dsyrk`. Implementation detail.
  public static func _syrk(
    transposeA: Bool, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dsyrk(
      CblasRowMajor, CblasUpper, transposeA ? CblasTrans : CblasNoTrans, _lapackInt(n), _lapackInt(k), 1, a,
      _lapackInt(lda), 0, c, _lapackInt(ldc))
  }
  /// `LAPACKE_dsyevr`. Implementation detail.
  public static func _syevr(
    n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>
  ) -> Int32 {
    var found: Int32 = 0
    let support = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * Swift.max(n, 1))
    defer { support.deallocate() }
    return LAPACKE_dsyevr(
      LAPACK_COL_MAJOR, _lapackChar("V"), _lapackChar("A"), _lapackChar("L"), _lapackInt(n), a,
      _lapackInt(Swift.max(n, 1)), 0, 0, 0, 0, 0, &found, w, z, _lapackInt(Swift.max(n, 1)), support)
  }
  /// `LAPACKE_dgesv`. Implementation detail.
  public static func _gesv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>,
    pivots: UnsafeMutablePointer<Int32>, b: UnsafeMutablePointer<Double>
  ) -> Int32 {
    LAPACKE_dgesv(
      LAPACK_ROW_MAJOR, _lapackInt(n), _lapackInt(nrhs), a, _lapackInt(Swift.max(n, 1)),
      pivots, b, _lapackInt(Swift.max(nrhs, 1)))
  }
  /// `LAPACKE_dgetrf`. Implementation detail.
  public static func _getrf(n: Int, a: UnsafeMutablePointer<Double>, pivots: UnsafeMutablePointer<Int32>) -> Int32 {
    LAPACKE_dgetrf(LAPACK_ROW_MAJOR, _lapackInt(n), _lapackInt(n), a, _lapackInt(Swift.max(n, 1)), pivots)
  }
  /// `LAPACKE_dpotrf`. Implementation detail.
  public static func _potrf(lower: Bool, n: Int, a: UnsafeMutablePointer<Double>) -> Int32 {
    LAPACKE_dpotrf(LAPACK_ROW_MAJOR, _lapackChar(lower ? "L" : "U"), _lapackInt(n), a, _lapackInt(Swift.max(n, 1)))
  }
  /// `LAPACKE_dsyevd`. Implementation detail.
  public static func _syevd(
    vectors: Bool, lower: Bool, n: Int, a: UnsafeMutablePointer<Double>,
    w: UnsafeMutablePointer<Double>
  ) -> Int32 {
    LAPACKE_dsyevd(
      LAPACK_ROW_MAJOR, _lapackChar(vectors ? "V" : "N"), _lapackChar(lower ? "L" : "U"),
      _lapackInt(n), a, _lapackInt(Swift.max(n, 1)), w)
  }
  /// `LAPACKE_dgesdd`. Implementation detail.
  public static func _gesdd(
    job: Character, m: Int, n: Int, a: UnsafeMutablePointer<Double>,
    s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>?, ldu: Int,
    vt: UnsafeMutablePointer<Double>?, ldvt: Int
  ) -> Int32 {
    LAPACKE_dgesdd(
      LAPACK_ROW_MAJOR, _lapackChar(job), _lapackInt(m), _lapackInt(n), a,
      _lapackInt(Swift.max(n, 1)), s, u, _lapackInt(Swift.max(ldu, 1)), vt, _lapackInt(Swift.max(ldvt, 1)))
  }
}
