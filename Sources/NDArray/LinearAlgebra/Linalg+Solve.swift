extension Linalg {
  /// The solution `x` of `a @ x = b` (`numpy.linalg.solve(a, b)`, LAPACK `gesv`).
  ///
  /// `a` is `(..., M, M)`. As in NumPy 2, a 1-d `b` of length `M` is one right-hand side
  /// (the result is `(..., M)`); otherwise `b` is `(..., M, K)` and the batch dimensions of
  /// `a` and `b` broadcast.
  ///
  /// - Throws: ``LinearAlgebraError/singularMatrix`` when a matrix is exactly singular,
  ///   ``LinearAlgebraError/invalidArgument(_:)`` when the shapes do not fit, and the
  ///   shape and finiteness errors of ``LinearAlgebraError``.
  public static func solve<T: LinearAlgebraScalar>(_ a: NDArray<T>, _ b: NDArray<T>)
    throws(LinearAlgebraError) -> NDArray<T>
  {
    let (aBatch, n) = try _squareStack(a)
    guard b.rank >= 1 else { throw .invalidArgument("solve: Input operand 1 does not have enough dimensions") }
    let vector = b.rank == 1
    let right = vector ? b.reshaped([b.shape[0], 1]) : b
    guard right.shape[right.rank - 2] == n else {
      throw .invalidArgument(
        "solve: Input operand 1 has a mismatch in its core dimension 0 (size \(right.shape[right.rank - 2]) is different from \(n))"
      )
    }
    try _requireFinite(a, b)
    let columns = right.shape[right.rank - 1]
    let bBatch = Array(right.shape.dropLast(2))
    guard let batch = _broadcastShape(aBatch, bBatch) else {
      throw .invalidArgument("solve: batch shapes \(aBatch) and \(bBatch) do not broadcast")
    }
    let stackA = a.broadcast(to: batch + [n, n])
    var x = right.broadcast(to: batch + [n, columns]).contiguousCopy()
    let count = NDArray<T>.elementCount(of: batch)
    try _solveInPlace(stackA, &x, count: count, n: n, columns: columns)
    return vector ? x.reshaped(batch + [n]) : x
  }

  /// The inverse of a square matrix or stack of them (`numpy.linalg.inv(a)`; like NumPy,
  /// LAPACK `gesv` against the identity).
  ///
  /// - Throws: ``LinearAlgebraError/singularMatrix`` when a matrix is exactly singular, and
  ///   the shape and finiteness errors of ``LinearAlgebraError``.
  public static func inv<T: LinearAlgebraScalar>(_ a: NDArray<T>) throws(LinearAlgebraError) -> NDArray<T> {
    let (batch, n) = try _squareStack(a)
    try _requireFinite(a)
    var x: NDArray<T> = _identityStack(batch: batch, rows: n, columns: n)
    try _solveInPlace(a, &x, count: NDArray<T>.elementCount(of: batch), n: n, columns: n)
    return x
  }

  /// Overwrites each `n`×`columns` matrix of the C-contiguous stack `x` with the solution
  /// of `a[i] @ result = x[i]`.
  static func _solveInPlace<T: LinearAlgebraScalar>(
    _ a: NDArray<T>, _ x: inout NDArray<T>,
    count: Int, n: Int, columns: Int
  ) throws(LinearAlgebraError) {
    if n == 0 || columns == 0 { return }
    let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: n)
    defer { pivots.deallocate() }
    try x._withMutableElements { (solution) throws(LinearAlgebraError) in
      try _forEachMatrix(of: a, matrixCount: count, matrixSize: n * n) { (index, scratch) throws(LinearAlgebraError) in
        let info = T._gesv(
          n: n, nrhs: columns, a: scratch, pivots: pivots,
          b: solution + index * n * columns)
        if info > 0 { throw .singularMatrix }
        precondition(info == 0, "LAPACK gesv rejected argument \(-info)")
      }
    }
  }

  /// NumPy's broadcasting of two shapes, or nil when they do not broadcast.
  static func _broadcastShape(_ first: [Int], _ second: [Int]) -> [Int]? {
    let rank = Swift.max(first.count, second.count)
    let a = [Int](repeating: 1, count: rank - first.count) + first
    let b = [Int](repeating: 1, count: rank - second.count) + second
    var shape: [Int] = []
    for (x, y) in zip(a, b) {
      guard x == y || x == 1 || y == 1 else { return nil }
      shape.append(x == 1 ? y : x)
    }
    return shape
  }
}
