/// How one operand's matrices reach BLAS: transposed or not, with a leading dimension.
struct _BLASOperand {
  var transposed: Bool
  var leadingDimension: Int

  /// The layout CBLAS (row-major) can read a `rows`×`columns` matrix with these strides in,
  /// or nil when it needs a copy (negative, zero or overlapping strides).
  init?(rows: Int, columns: Int, rowStride: Int, columnStride: Int) {
    // A dimension of length 1 may have any stride (NumPy's contiguity rule).
    let rowStep = rows == 1 ? Swift.max(columns, 1) : rowStride
    let columnStep = columns == 1 ? 1 : columnStride
    if columnStep == 1 && rowStep >= Swift.max(columns, 1) {
      self.init(transposed: false, leadingDimension: rowStep)
    } else if rowStep == 1 && columnStep >= Swift.max(rows, 1) {
      self.init(transposed: true, leadingDimension: columnStep)
    } else {
      return nil
    }
  }

  init(transposed: Bool, leadingDimension: Int) {
    self.transposed = transposed
    self.leadingDimension = leadingDimension
  }
}

extension NDArray where Element: LinearAlgebraScalar {
  /// The matrix product with NumPy's rules (`numpy.matmul(a, b)`, `a @ b`).
  ///
  /// A 1-d operand is promoted to a matrix by putting a 1 before (left) or after (right)
  /// its dimension, and that dimension is removed from the result. Operands of rank 3 or
  /// more are stacks of matrices in their last two dimensions, and their leading (batch)
  /// dimensions broadcast. Each product runs in `cblas_sgemm`/`cblas_dgemm`; strided
  /// views (such as ``transposed(_:)``) go to BLAS without a copy when their rows or
  /// columns are contiguous.
  ///
  /// Traps when an operand is 0-d or the inner dimensions differ, with NumPy's message
  /// ("matmul: Input operand 1 has a mismatch in its core dimension 0 …").
  ///
  /// ```swift
  /// let a = NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// let b = NDArray<Double>([1, 0, 1], shape: [3])
  /// a.matmul(b)   // [4, 10]
  /// ```
  public func matmul(_ other: NDArray) -> NDArray {
    precondition(
      rank >= 1 && other.rank >= 1,
      "matmul: Input operand \(rank == 0 ? 0 : 1) does not have enough dimensions")
    if rank > 2 && other.rank == 2 && isCContiguous && shape[rank - 1] == other.shape[0] {
      // A C-contiguous stack times one matrix is one taller product: a single gemm call
      // instead of one per matrix (the same sums; NumPy loops over the stack).
      let rows = shape.dropLast().reduce(1, *)
      return reshaped([rows, shape[rank - 1]]).matmul(other).reshaped(shape.dropLast() + [other.shape[1]])
    }
    let left = rank == 1 ? reshaped([1, shape[0]]) : self
    let right = other.rank == 1 ? other.reshaped([other.shape[0], 1]) : other
    let m = left.shape[left.rank - 2], k = left.shape[left.rank - 1]
    let n = right.shape[right.rank - 1]
    precondition(
      right.shape[right.rank - 2] == k,
      "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size \(right.shape[right.rank - 2]) is different from \(k))"
    )
    let batch = broadcastShapes(Array(left.shape.dropLast(2)), Array(right.shape.dropLast(2)))
    var product = NDArray._matmulBatched(left, right, batch: batch, m: m, k: k, n: n)
    var resultShape = batch
    if rank != 1 { resultShape.append(m) }
    if other.rank != 1 { resultShape.append(n) }
    if resultShape != product.shape { product = product.reshaped(resultShape) }
    return product
  }

  /// Every matrix product of two stacks whose batch dimensions broadcast to `batch`.
  static func _matmulBatched(_ left: NDArray, _ right: NDArray, batch: [Int], m: Int, k: Int, n: Int) -> NDArray {
    let outputShape = batch + [m, n]
    if m == 0 || n == 0 || NDArray.elementCount(of: batch) == 0 {
      return NDArray(zeros: outputShape)
    }
    if k == 0 { return NDArray(zeros: outputShape) }
    let (a, aLayout) = left._blasReady()
    let (b, bLayout) = right._blasReady()
    let aStack = a.broadcast(to: batch + [m, k])
    let bStack = b.broadcast(to: batch + [k, n])
    let batchCount = NDArray.elementCount(of: batch)
    return NDArray(unsafeUninitializedShape: outputShape) { output in
      guard let c = output.baseAddress else { return }
      aStack.withUnsafeStridedStorage { aBase, aOffset, _, aStrides in
        bStack.withUnsafeStridedStorage { bBase, bOffset, _, bStrides in
          var odometer = COrderOdometer(shape: batch)
          let aSteps = odometer.offsetSteps(strides: Array(aStrides.dropLast(2)))
          let bSteps = odometer.offsetSteps(strides: Array(bStrides.dropLast(2)))
          var aPosition = aOffset, bPosition = bOffset
          for index in 0..<batchCount {
            Element._gemm(
              transposeA: aLayout.transposed, transposeB: bLayout.transposed, m: m, n: n, k: k,
              a: aBase + aPosition, lda: aLayout.leadingDimension,
              b: bBase + bPosition, ldb: bLayout.leadingDimension,
              c: c + index * m * n, ldc: n)
            if let axis = odometer.advance() {
              aPosition += aSteps[axis]
              bPosition += bSteps[axis]
            }
          }
        }
      }
    }
  }

  /// This stack of matrices in a layout BLAS reads (itself, or a C-contiguous copy) and
  /// how BLAS should read it.
  func _blasReady() -> (NDArray, _BLASOperand) {
    let rows = shape[rank - 2], columns = shape[rank - 1]
    if let layout = _BLASOperand(
      rows: rows, columns: columns,
      rowStride: strides[rank - 2], columnStride: strides[rank - 1])
    {
      return (self, layout)
    }
    return (contiguousCopy(), _BLASOperand(transposed: false, leadingDimension: Swift.max(columns, 1)))
  }

  /// The dot product with NumPy's rules (`numpy.dot(a, b)`).
  ///
  /// Two 1-d arrays give their inner product (a 0-d array); two 2-d arrays their matrix
  /// product; an N-d array and a 1-d array the sum product over their last axes; an N-d and
  /// an M-d array (M ≥ 2) the sum product over the last axis of `self` and the
  /// second-to-last of `other` (`dot(a, b)[i, j, k, m] = sum(a[i, j, :] * b[k, :, m])`).
  /// A 0-d operand multiplies element-wise. Traps when the summed dimensions differ.
  public func dot(_ other: NDArray) -> NDArray {
    if rank == 0 || other.rank == 0 { return self * other }
    if other.rank == 1 { return tensordot(other, axes: ([rank - 1], [0])) }
    return tensordot(other, axes: ([rank - 1], [other.rank - 2]))
  }

  /// The sum product over the last `axes` axes of `self` and the first `axes` of `other`
  /// (`numpy.tensordot(a, b, axes=n)`, default 2).
  public func tensordot(_ other: NDArray, axes: Int = 2) -> NDArray {
    precondition(
      axes >= 0 && axes <= rank && axes <= other.rank,
      "tensordot: axes \(axes) exceeds the ranks of shapes \(shape) and \(other.shape)")
    return tensordot(other, axes: (Array((rank - axes)..<rank), Array(0..<axes)))
  }

  /// The sum product over the axes `axes.0` of `self` and `axes.1` of `other`, paired in
  /// order (`numpy.tensordot(a, b, axes=(a_axes, b_axes))`). The result has the remaining
  /// axes of `self`, then those of `other`. Negative axes count from the end. Traps when
  /// the paired dimensions differ ("shape-mismatch for sum").
  public func tensordot(_ other: NDArray, axes: ([Int], [Int])) -> NDArray {
    precondition(axes.0.count == axes.1.count, "tensordot: axes lists \(axes.0) and \(axes.1) differ in length")
    let summedA = axes.0.map { NDArray._normalizedAxis($0, rank: rank) }
    let summedB = axes.1.map { NDArray._normalizedAxis($0, rank: other.rank) }
    for (axisA, axisB) in zip(summedA, summedB) {
      precondition(
        shape[axisA] == other.shape[axisB],
        "shape-mismatch for sum: shapes \(shape) and \(other.shape) along axes \(axisA) and \(axisB)")
    }
    let freeA = (0..<rank).filter { !summedA.contains($0) }
    let freeB = (0..<other.rank).filter { !summedB.contains($0) }
    let m = freeA.reduce(1) { $0 * shape[$1] }
    let n = freeB.reduce(1) { $0 * other.shape[$1] }
    let k = summedA.reduce(1) { $0 * shape[$1] }
    let left = transposed(freeA + summedA).reshaped([m, k])
    let right = other.transposed(summedB + freeB).reshaped([k, n])
    return left.matmul(right).reshaped(freeA.map { shape[$0] } + freeB.map { other.shape[$0] })
  }

  static func _normalizedAxis(_ axis: Int, rank: Int) -> Int {
    let normalized = axis < 0 ? axis + rank : axis
    precondition(
      normalized >= 0 && normalized < rank,
      "axis \(axis) is out of bounds for array of dimension \(rank)")
    return normalized
  }
}

/// The matrix product of `a` and `b` with NumPy's rules (`numpy.matmul(a, b)`); see
/// ``NDArray/matmul(_:)``.
public func matmul<Element: LinearAlgebraScalar>(_ a: NDArray<Element>, _ b: NDArray<Element>) -> NDArray<Element> {
  a.matmul(b)
}

/// The dot product of `a` and `b` with NumPy's rules (`numpy.dot(a, b)`); see
/// ``NDArray/dot(_:)``.
public func dot<Element: LinearAlgebraScalar>(_ a: NDArray<Element>, _ b: NDArray<Element>) -> NDArray<Element> {
  a.dot(b)
}

/// The tensor dot product over the last `axes` axes of `a` and the first of `b`
/// (`numpy.tensordot(a, b, axes)`); see `NDArray.tensordot(_:axes:)`.
public func tensordot<Element: LinearAlgebraScalar>(
  _ a: NDArray<Element>, _ b: NDArray<Element>,
  axes: Int = 2
) -> NDArray<Element> {
  a.tensordot(b, axes: axes)
}

/// The tensor dot product over the paired axes `axes.0` of `a` and `axes.1` of `b`
/// (`numpy.tensordot(a, b, axes=(a_axes, b_axes))`).
public func tensordot<Element: LinearAlgebraScalar>(
  _ a: NDArray<Element>, _ b: NDArray<Element>,
  axes: ([Int], [Int])
) -> NDArray<Element> {
  a.tensordot(b, axes: axes)
}

/// The outer product of the flattened `a` and `b`: `result[i, j] = a[i] * b[j]`
/// (`numpy.outer(a, b)`). Any numeric element type; computed exactly as NumPy's
/// element-wise multiply, not through BLAS.
public func outer<Element: NDArrayNumeric>(_ a: NDArray<Element>, _ b: NDArray<Element>) -> NDArray<Element> {
  a.reshaped([a.count, 1]) * b.reshaped([1, b.count])
}
