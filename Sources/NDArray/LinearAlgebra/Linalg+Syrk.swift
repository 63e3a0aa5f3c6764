extension Linalg {
  /// The Gram matrix `aᵀ·a` of a matrix's columns: `numpy.matmul(a.T, a)` (`a.T @ a`, which
  /// NumPy itself hands to BLAS `?syrk`), computed by `cblas_ssyrk`/`cblas_dsyrk`.
  ///
  /// `a` is (k, n); the result is (n, n) and symmetric. With `upperOnly` only the upper
  /// triangle (`result[i, j]`, i ≤ j) is computed and the strict lower triangle is zero,
  /// which is all that an accumulation of symmetric sums needs (half the copying).
  /// Integer-valued inputs whose every partial sum stays below 2^24 (`Float`) or 2^53
  /// (`Double`) give exact results, whatever BLAS's blocking or thread count.
  ///
  /// Traps unless `a` is 2-d.
  ///
  /// ```swift
  /// let a = NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [3, 2])
  /// Linalg.syrk(a)   // [[35, 44], [44, 56]]
  /// ```
  public static func syrk<T: LinearAlgebraScalar>(_ a: NDArray<T>, upperOnly: Bool = false) -> NDArray<T> {
    precondition(a.rank == 2, "syrk: expected a 2-d array, found shape \(a.shape)")
    let k = a.shape[0], n = a.shape[1]
    // A transposed C-contiguous matrix (such as `u.T`) goes to BLAS as it is: aᵀ·a = b·bᵀ.
    let viaTranspose = !a.isCContiguous && a.transposed().isCContiguous
    let source = viaTranspose ? a.transposed() : a.contiguous()
    return NDArray(unsafeUninitializedShape: [n, n]) { output in
      guard let c = output.baseAddress else { return }
      c.update(repeating: 0, count: n * n)
      if k == 0 { return }
      source.withUnsafeBufferPointer { elements in
        T._syrk(
          transposeA: !viaTranspose, n: n, k: k, a: elements.baseAddress!, lda: Swift.max(viaTranspose ? k : n, 1),
          c: c, ldc: Swift.max(n, 1))
      }
      if upperOnly { return }
      for i in 0..<n {
        for j in 0..<i { c[i * n + j] = c[j * n + i] }
      }
    }
  }

  /// `aᵀ·a` for a row-major (k, n) matrix in caller-owned memory, written to the upper
  /// triangle of the row-major (n, n) `c` (the strict lower triangle is left as it was):
  /// ``syrk(_:upperOnly:)`` without allocating, for a caller that reuses its buffers or
  /// keeps them out of NDArray's buffer cache. BLAS `?syrk`; NumPy `a.T @ a`.
  ///
  /// Traps unless `a` holds k·n and `c` n·n elements.
  public static func syrk<T: LinearAlgebraScalar>(
    _ a: UnsafeBufferPointer<T>, rows k: Int, columns n: Int, upperInto c: UnsafeMutableBufferPointer<T>
  ) {
    precondition(a.count == k * n && c.count == n * n, "syrk: \(a.count) and \(c.count) elements for (\(k), \(n))")
    guard k > 0, n > 0, let source = a.baseAddress, let target = c.baseAddress else { return }
    T._syrk(transposeA: true, n: n, k: k, a: source, lda: n, c: target, ldc: n)
  }
}
