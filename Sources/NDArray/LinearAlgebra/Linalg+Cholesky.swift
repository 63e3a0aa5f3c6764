extension Linalg {
  /// The Cholesky factor of a symmetric positive-definite matrix or stack of them: lower
  /// triangular `L` with `a = L @ L.T`, or upper `U` with `a = U.T @ U` when `upper` is true
  /// (`numpy.linalg.cholesky(a, upper=False)`, LAPACK `potrf`).
  ///
  /// Only the lower (or upper) triangle of `a` is read; the other triangle of the result is
  /// zero.
  ///
  /// - Throws: ``LinearAlgebraError/notPositiveDefinite``,
  ///   ``LinearAlgebraError/tooFewDimensions(rank:)``, ``LinearAlgebraError/notSquare(shape:)``
  ///   or ``LinearAlgebraError/nonFinite``.
  public static func cholesky<T: LinearAlgebraScalar>(_ a: NDArray<T>, upper: Bool = false)
    throws(LinearAlgebraError) -> NDArray<T>
  {
    let (batch, n) = try _squareStack(a)
    try _requireFinite(a)
    let count = NDArray<T>.elementCount(of: batch)
    var factor = NDArray<T>(zeros: batch + [n, n])
    try factor._withMutableElements { (output) throws(LinearAlgebraError) in
      try _forEachMatrix(of: a, matrixCount: count, matrixSize: n * n) { (index, scratch) throws(LinearAlgebraError) in
        if n == 0 { return }
        let info = T._potrf(lower: !upper, n: n, a: scratch)
        if info > 0 { throw .notPositiveDefinite }
        precondition(info == 0, "LAPACK potrf rejected argument \(-info)")
        let matrix = output + index * n * n
        for row in 0..<n {  // the factor's triangle of each row; the rest stays zero
          let start = row * n + (upper ? row : 0)
          (matrix + start).update(from: scratch + start, count: upper ? n - row : row + 1)
        }
      }
    }
    return factor
  }
}
