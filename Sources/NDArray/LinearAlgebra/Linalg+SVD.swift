extension Linalg {
  /// The singular value decomposition `a = u @ diag(s) @ vh` of a matrix or stack of them
  /// (`numpy.linalg.svd(a, full_matrices=True, compute_uv=True)`, LAPACK `gesdd`).
  ///
  /// For an `(..., M, N)` input and `K = min(M, N)`: `s` is `(..., K)`, descending; with
  /// `fullMatrices` `u` is `(..., M, M)` and `vh` `(..., N, N)`, without it `(..., M, K)` and
  /// `(..., K, N)` (`full_matrices=False`). Singular vectors are unique only up to sign.
  /// For NumPy's `compute_uv=False` use ``svdvals(_:)``.
  ///
  /// - Throws: ``LinearAlgebraError/tooFewDimensions(rank:)``,
  ///   ``LinearAlgebraError/nonFinite``, or ``LinearAlgebraError/svdDidNotConverge``.
  public static func svd<T: LinearAlgebraScalar>(_ a: NDArray<T>, fullMatrices: Bool = true)
    throws(LinearAlgebraError) -> (u: NDArray<T>, s: NDArray<T>, vh: NDArray<T>)
  {
    let result = try _svd(a, job: fullMatrices ? "A" : "S")
    return (result.u!, result.s, result.vh!)
  }

  /// The singular values, descending, of a matrix or stack of them
  /// (`numpy.linalg.svdvals(a)`, the same as `numpy.linalg.svd(a, compute_uv=False)`;
  /// LAPACK `gesdd` with jobz 'N').
  ///
  /// - Throws: as ``svd(_:fullMatrices:)``.
  public static func svdvals<T: LinearAlgebraScalar>(_ a: NDArray<T>) throws(LinearAlgebraError) -> NDArray<T> {
    try _svd(a, job: "N").s
  }

  static func _svd<T: LinearAlgebraScalar>(_ a: NDArray<T>, job: Character)
    throws(LinearAlgebraError) -> (u: NDArray<T>?, s: NDArray<T>, vh: NDArray<T>?)
  {
    let (batch, m, n) = try _matrixStack(a)
    try _requireFinite(a)
    let k = Swift.min(m, n)
    let uColumns = job == "A" ? m : k, vhRows = job == "A" ? n : k
    let vectors = job != "N"
    let count = NDArray<T>.elementCount(of: batch)
    var s = NDArray<T>(zeros: batch + [k])
    var u = vectors ? _identityStack(batch: batch, rows: m, columns: uColumns) : NDArray<T>(zeros: [0])
    var vh = vectors ? _identityStack(batch: batch, rows: vhRows, columns: n) : NDArray<T>(zeros: [0])
    if k == 0 { return (vectors ? u : nil, s, vectors ? vh : nil) }
    try s._withMutableElements { (sBuffer) throws(LinearAlgebraError) in
      try u._withMutableElements { (uBuffer) throws(LinearAlgebraError) in
        try vh._withMutableElements { (vhBuffer) throws(LinearAlgebraError) in
          try _forEachMatrix(of: a, matrixCount: count, matrixSize: m * n) {
            (index, scratch) throws(LinearAlgebraError) in
            let info = T._gesdd(
              job: job, m: m, n: n, a: scratch, s: sBuffer + index * k,
              u: vectors ? uBuffer + index * m * uColumns : nil, ldu: uColumns,
              vt: vectors ? vhBuffer + index * vhRows * n : nil, ldvt: n)
            if info > 0 { throw .svdDidNotConverge }
            precondition(info == 0, "LAPACK gesdd rejected argument \(-info)")
          }
        }
      }
    }
    return (vectors ? u : nil, s, vectors ? vh : nil)
  }

  /// A stack of `rows`×`columns` matrices with ones on the diagonal (`numpy.eye` stacked),
  /// what NumPy's `svd` returns for the singular vectors of an empty matrix.
  static func _identityStack<T: LinearAlgebraScalar>(batch: [Int], rows: Int, columns: Int) -> NDArray<T> {
    var eye = NDArray<T>(zeros: [rows, columns])
    for i in 0..<Swift.min(rows, columns) { eye[i, i] = 1 }
    return eye.broadcast(to: batch + [rows, columns]).contiguousCopy()
  }
}
