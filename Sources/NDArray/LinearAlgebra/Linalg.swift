/// NumPy's `numpy.linalg` for `Float` and `Double` arrays, on LAPACK (LAPACKE over
/// OpenBLAS): ``eigh(_:upper:)``, ``svd(_:fullMatrices:)``, ``solve(_:_:)``, ``inv(_:)``,
/// ``cholesky(_:upper:)``, ``det(_:)``, ``norm(_:ord:axes:keepDims:)-(_,Double?,_,_)`` and friends.
///
/// The namespace follows MLX Swift's `MLXLinalg` and NumPy's `numpy.linalg`. Every function
/// takes a stack of matrices (`(..., M, N)`) as NumPy's do and works on each matrix of the
/// stack. Failures NumPy reports as `LinAlgError` throw ``LinearAlgebraError`` with NumPy's
/// message; none traps.
///
/// ```swift
/// let a = NDArray<Double>([4, 1, 1, 3], shape: [2, 2])
/// let (values, vectors) = try Linalg.eigh(a)
/// let x = try Linalg.solve(a, NDArray<Double>([1, 2]))
/// ```
public enum Linalg {}

extension Linalg {
  /// Checks that `a` is a stack of square matrices and returns the batch shape and `n`.
  static func _squareStack<T>(_ a: NDArray<T>) throws(LinearAlgebraError) -> (batch: [Int], n: Int) {
    let (batch, rows, columns) = try _matrixStack(a)
    guard rows == columns else { throw .notSquare(shape: a.shape) }
    return (batch, rows)
  }

  /// Checks that `a` is a stack of matrices and returns the batch shape, rows and columns.
  static func _matrixStack<T>(_ a: NDArray<T>) throws(LinearAlgebraError) -> (batch: [Int], rows: Int, columns: Int) {
    guard a.rank >= 2 else { throw .tooFewDimensions(rank: a.rank) }
    return (Array(a.shape.dropLast(2)), a.shape[a.rank - 2], a.shape[a.rank - 1])
  }

  /// Throws ``LinearAlgebraError/nonFinite`` when any element is an infinity or a NaN
  /// (NumPy's `_assert_finite`).
  static func _requireFinite<T: LinearAlgebraScalar>(_ arrays: NDArray<T>...) throws(LinearAlgebraError) {
    for array in arrays {
      let finite = array.withUnsafeBufferPointer { elements in T._allFinite(elements) }
      if !finite { throw .nonFinite }
    }
  }

  /// Runs `body` once per matrix of a C-contiguous stack, with matrix `index` copied into a
  /// scratch buffer LAPACK may overwrite.
  static func _forEachMatrix<T: LinearAlgebraScalar>(
    of stack: NDArray<T>, matrixCount: Int, matrixSize: Int,
    _ body: (_ index: Int, _ scratch: UnsafeMutablePointer<T>) throws(LinearAlgebraError) -> Void
  ) throws(LinearAlgebraError) {
    let scratch = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(matrixSize, 1))
    defer { scratch.deallocate() }
    let source = stack.contiguous()
    let base = source.withUnsafeStridedStorage { base, offset, _, _ in base + offset }
    try withExtendedLifetime(source) { () throws(LinearAlgebraError) in
      for index in 0..<matrixCount {
        scratch.update(from: base + index * matrixSize, count: matrixSize)
        try body(index, scratch)
      }
    }
  }
}

extension NDArray {
  /// Calls `body` with the first element of this array's elements in C order, writable,
  /// after making the array C-contiguous and the sole owner of its storage (as
  /// ``withUnsafeMutableBufferPointer(_:)``, but passing a typed error through).
  mutating func _withMutableElements<R, E: Error>(
    _ body: (UnsafeMutablePointer<Element>) throws(E) -> R
  ) throws(E) -> R {
    if !isCContiguous { self = contiguousCopy() } else { makeUnique() }
    let base = _storage.base + offset
    return try withExtendedLifetime(_storage) { () throws(E) -> R in try body(base) }
  }
}
