extension Linalg {
  /// The sign and the natural log of the absolute value of the determinant of a square
  /// matrix or stack of them (`numpy.linalg.slogdet(a)`, from LAPACK `getrf`).
  ///
  /// `det = sign * exp(logabsdet)`, without overflow for large matrices. For an exactly
  /// singular matrix `sign` is 0 and `logabsdet` is `-inf`, as in NumPy; it does not throw.
  ///
  /// - Throws: the shape and finiteness errors of ``LinearAlgebraError``.
  public static func slogdet<T: LinearAlgebraScalar>(_ a: NDArray<T>)
    throws(LinearAlgebraError) -> (sign: NDArray<T>, logabsdet: NDArray<T>)
  {
    let (batch, n) = try _squareStack(a)
    try _requireFinite(a)
    let count = NDArray<T>.elementCount(of: batch)
    var signs = [T](repeating: 1, count: count)
    var logs = [T](repeating: 0, count: count)
    let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(n, 1))
    defer { pivots.deallocate() }
    try _forEachMatrix(of: a, matrixCount: count, matrixSize: n * n) { (index, scratch) throws(LinearAlgebraError) in
      if n == 0 { return }
      let info = T._getrf(n: n, a: scratch, pivots: pivots)
      precondition(info >= 0, "LAPACK getrf rejected argument \(-info)")
      if info > 0 {
        signs[index] = 0
        logs[index] = -.infinity
        return
      }
      // NumPy's slogdet_single_element: the parity of the row swaps, then each pivot's
      // sign and log magnitude, summed in order.
      var sign: T = 1
      var logSum: T = 0
      for i in 0..<n {
        if pivots[i] != Int32(i + 1) { sign = -sign }
        let pivot = scratch[i * n + i]
        if pivot < 0 { sign = -sign }
        logSum += T.log(Swift.abs(pivot))
      }
      signs[index] = sign
      logs[index] = logSum
    }
    return (NDArray(signs, shape: batch), NDArray(logs, shape: batch))
  }

  /// The determinant of a square matrix or stack of them (`numpy.linalg.det(a)`). As
  /// NumPy does, it is `sign * exp(logabsdet)` from ``slogdet(_:)`` (LAPACK `getrf`), and
  /// exactly 0 for an exactly singular matrix.
  ///
  /// - Throws: the shape and finiteness errors of ``LinearAlgebraError``.
  public static func det<T: LinearAlgebraScalar>(_ a: NDArray<T>) throws(LinearAlgebraError) -> NDArray<T> {
    let (sign, logabsdet) = try slogdet(a)
    return sign * logabsdet.exp()
  }
}
