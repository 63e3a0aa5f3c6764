extension Linalg {
  /// The eigenvalues (ascending) and eigenvectors (the columns `vectors[..., :, i]`) of a
  /// symmetric matrix or stack of them (`numpy.linalg.eigh(a, UPLO='L')`, LAPACK `syevd`).
  ///
  /// Only the lower triangle is read, or the upper one when `upper` is true (`UPLO='U'`).
  /// Eigenvectors are unique only up to sign; compare `a @ v` with `v * w`, not the signs.
  ///
  /// - Throws: ``LinearAlgebraError/tooFewDimensions(rank:)``,
  ///   ``LinearAlgebraError/notSquare(shape:)``, ``LinearAlgebraError/nonFinite``, or
  ///   ``LinearAlgebraError/eigenvaluesDidNotConverge``.
  public static func eigh<T: LinearAlgebraScalar>(_ a: NDArray<T>, upper: Bool = false)
    throws(LinearAlgebraError) -> (eigenvalues: NDArray<T>, eigenvectors: NDArray<T>)
  {
    let (values, vectors) = try _symmetricEigen(a, upper: upper, vectors: true)
    return (values, vectors!)
  }

  /// The eigenvalues (ascending) and eigenvectors (columns) of one symmetric matrix, using
  /// no memory beyond `a`, the eigenvectors and O(n) workspace: `a` is consumed (its
  /// storage overwritten when no other array shares it) and LAPACK's MRRR solver `?syevr`
  /// needs no n² workspace, where ``eigh(_:upper:)`` (`?syevd`, NumPy's) holds about four
  /// n×n matrices. For a 3072×3072 covariance that is 150 MB instead of 300 MB.
  ///
  /// The NumPy equivalent is `numpy.linalg.eigh(a)` (`scipy.linalg.eigh(a,
  /// driver="evr", overwrite_a=True)`); eigenvalues agree to rounding, eigenvectors up to sign
  /// (and rotation within repeated eigenvalues). `a` must be symmetric: both triangles are
  /// read. The eigenvectors are returned as the transposed view of a C-contiguous array
  /// whose rows are the eigenvectors (`eigenvectors.transposed()` needs no copy).
  ///
  /// - Throws: ``LinearAlgebraError/notSquare(shape:)``, ``LinearAlgebraError/nonFinite``,
  ///   or ``LinearAlgebraError/eigenvaluesDidNotConverge``.
  public static func eigh<T: LinearAlgebraScalar>(consuming a: consuming NDArray<T>)
    throws(LinearAlgebraError) -> (eigenvalues: NDArray<T>, eigenvectors: NDArray<T>)
  {
    var matrix = consume a
    guard matrix.rank == 2, matrix.shape[0] == matrix.shape[1] else {
      if matrix.rank < 2 { throw .tooFewDimensions(rank: matrix.rank) }
      throw .notSquare(shape: matrix.shape)
    }
    try _requireFinite(matrix)
    let n = matrix.shape[0]
    var values = NDArray<T>(zeros: [n])
    // Row i is eigenvector i; the result is its transposed view (columns, as NumPy's).
    var rows = NDArray<T>(zeros: [n, n])
    if n == 0 { return (values, rows) }
    let info = matrix.withUnsafeMutableBufferPointer { m in
      values.withUnsafeMutableBufferPointer { w in
        rows.withUnsafeMutableBufferPointer { z in
          T._syevr(n: n, a: m.baseAddress!, w: w.baseAddress!, z: z.baseAddress!)
        }
      }
    }
    if info > 0 { throw .eigenvaluesDidNotConverge }
    precondition(info == 0, "LAPACK syevr rejected argument \(-info)")
    return (values, rows.transposed())
  }

  /// The eigenvalues (ascending) of a symmetric matrix or stack of them, without the
  /// eigenvectors (`numpy.linalg.eigvalsh(a, UPLO='L')`, LAPACK `syevd` with jobz 'N').
  ///
  /// - Throws: as ``eigh(_:upper:)``.
  public static func eigvalsh<T: LinearAlgebraScalar>(_ a: NDArray<T>, upper: Bool = false)
    throws(LinearAlgebraError) -> NDArray<T>
  {
    try _symmetricEigen(a, upper: upper, vectors: false).values
  }

  static func _symmetricEigen<T: LinearAlgebraScalar>(_ a: NDArray<T>, upper: Bool, vectors: Bool)
    throws(LinearAlgebraError) -> (values: NDArray<T>, vectors: NDArray<T>?)
  {
    let (batch, n) = try _squareStack(a)
    try _requireFinite(a)
    let count = NDArray<T>.elementCount(of: batch)
    var values = NDArray<T>(zeros: batch + [n])
    var vectorStack = NDArray<T>(zeros: vectors ? batch + [n, n] : [0])
    try values._withMutableElements { (w) throws(LinearAlgebraError) in
      try vectorStack._withMutableElements { (v) throws(LinearAlgebraError) in
        try _forEachMatrix(of: a, matrixCount: count, matrixSize: n * n) {
          (index, scratch) throws(LinearAlgebraError) in
          if n == 0 { return }
          let info = T._syevd(vectors: vectors, lower: !upper, n: n, a: scratch, w: w + index * n)
          if info > 0 { throw .eigenvaluesDidNotConverge }
          precondition(info == 0, "LAPACK syevd rejected argument \(-info)")
          if vectors { (v + index * n * n).update(from: scratch, count: n * n) }
        }
      }
    }
    return (values, vectors ? vectorStack : nil)
  }
}
