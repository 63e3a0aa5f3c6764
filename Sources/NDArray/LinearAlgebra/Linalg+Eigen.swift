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
