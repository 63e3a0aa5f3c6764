extension Linalg {
  /// The matrix norms that have names rather than numbers in `numpy.linalg.norm`'s `ord`.
  public enum NormKind: Sendable {
    /// The Frobenius norm, `sqrt(sum(abs(a)**2))` (`ord='fro'`).
    case frobenius
    /// The nuclear norm, the sum of the singular values (`ord='nuc'`).
    case nuclear
  }

  /// A vector or matrix norm (`numpy.linalg.norm(x, ord, axis, keepdims)`).
  ///
  /// With `axes` nil, a 1-d `x` gets a vector norm and a 2-d `x` a matrix norm; with `ord`
  /// also nil, any `x` is flattened and gets the 2-norm. One axis means vector norms along
  /// it, two axes matrix norms over them.
  ///
  /// Vector `ord`: nil or 2 (Euclidean), `.infinity` (max abs), `-.infinity` (min abs),
  /// 0 (count of non-zeros), 1 (sum of abs), any other p (`sum(abs(x)**p)**(1/p)`).
  /// Matrix `ord`: nil (Frobenius), 1 / -1 (max / min column sum of abs), `.infinity` /
  /// `-.infinity` (max / min row sum of abs), 2 / -2 (largest / smallest singular value).
  ///
  /// - Throws: ``LinearAlgebraError/invalidArgument(_:)`` for an order a matrix norm does not
  ///   have, axes that are out of range or repeated, or a rank the call does not fit; and,
  ///   for the 2-norms of matrices (computed by SVD), the errors of ``svdvals(_:)``.
  public static func norm<T: LinearAlgebraScalar>(
    _ x: NDArray<T>, ord: Double? = nil, axes: [Int]? = nil,
    keepDims: Bool = false
  ) throws(LinearAlgebraError) -> NDArray<T> {
    let resolved = try _normAxes(x, axes: axes, ordGiven: ord != nil)
    guard let axes = resolved else {
      // NumPy: ord None and axis None flattens and takes the 2-norm.
      let flat = x.raveled()
      let value = (flat * flat).sum().sqrt()
      return keepDims ? value.reshaped([Int](repeating: 1, count: x.rank)) : value
    }
    if axes.count == 1 { return _vectorNorm(x, ord: ord, axis: axes[0], keepDims: keepDims) }
    return try _matrixNorm(x, ord: ord.map { .number($0) } ?? .frobenius, axes: (axes[0], axes[1]), keepDims: keepDims)
  }

  /// The Frobenius or nuclear matrix norm (`numpy.linalg.norm(x, ord='fro'|'nuc', axis, keepdims)`).
  ///
  /// With `axes` nil, `x` must be 2-d.
  ///
  /// - Throws: as ``norm(_:ord:axes:keepDims:)-(_,Double?,_,_)``.
  public static func norm<T: LinearAlgebraScalar>(
    _ x: NDArray<T>, ord: NormKind, axes: [Int]? = nil,
    keepDims: Bool = false
  ) throws(LinearAlgebraError) -> NDArray<T> {
    guard let axes = try _normAxes(x, axes: axes, ordGiven: true), axes.count == 2 else {
      throw .invalidArgument("Invalid norm order '\(ord == .frobenius ? "fro" : "nuc")' for vectors")
    }
    return try _matrixNorm(
      x, ord: ord == .frobenius ? .frobenius : .nuclear, axes: (axes[0], axes[1]), keepDims: keepDims)
  }

  enum _MatrixOrder {
    case frobenius, nuclear
    case number(Double)
  }

  /// The normalized reduction axes, or nil for NumPy's flattened 2-norm.
  static func _normAxes<T>(_ x: NDArray<T>, axes: [Int]?, ordGiven: Bool) throws(LinearAlgebraError) -> [Int]? {
    guard let axes else {
      if !ordGiven { return nil }
      guard x.rank == 1 || x.rank == 2 else { throw .invalidArgument("Improper number of dimensions to norm.") }
      return Array(0..<x.rank)
    }
    guard axes.count == 1 || axes.count == 2 else { throw .invalidArgument("Improper number of dimensions to norm.") }
    var normalized: [Int] = []
    for axis in axes {
      let value = axis < 0 ? axis + x.rank : axis
      guard value >= 0 && value < x.rank else {
        throw .invalidArgument("axis \(axis) is out of bounds for array of dimension \(x.rank)")
      }
      normalized.append(value)
    }
    if normalized.count == 2 && normalized[0] == normalized[1] { throw .invalidArgument("Duplicate axes given.") }
    return normalized
  }

  static func _vectorNorm<T: LinearAlgebraScalar>(_ x: NDArray<T>, ord: Double?, axis: Int, keepDims: Bool) -> NDArray<
    T
  > {
    let axes = [axis]
    switch ord {
    case .some(.infinity): return x.abs().max(axes: axes, keepDims: keepDims)
    case .some(-.infinity): return x.abs().min(axes: axes, keepDims: keepDims)
    case .some(0): return x.map { $0 != 0 ? T(1) : T(0) }.sum(axes: axes, keepDims: keepDims)
    case .some(1): return x.abs().sum(axes: axes, keepDims: keepDims)
    case nil, .some(2): return (x * x).sum(axes: axes, keepDims: keepDims).sqrt()
    case .some(let p):
      let power = T(p)
      return x.map { T.pow(Swift.abs($0), power) }.sum(axes: axes, keepDims: keepDims).map { T.pow($0, 1 / power) }
    }
  }

  static func _matrixNorm<T: LinearAlgebraScalar>(
    _ x: NDArray<T>, ord: _MatrixOrder, axes: (Int, Int),
    keepDims: Bool
  ) throws(LinearAlgebraError) -> NDArray<T> {
    let (row, column) = axes
    let result: NDArray<T>
    switch ord {
    case .frobenius: result = (x * x).sum(axes: [row, column]).sqrt()
    case .nuclear: result = try _singularValues(x, axes: axes).sum(axes: [-1])
    case .number(2): result = try _singularValues(x, axes: axes).max(axes: [-1])
    case .number(-2): result = try _singularValues(x, axes: axes).min(axes: [-1])
    case .number(1): result = x.abs().sum(axes: [row]).max(axes: [column > row ? column - 1 : column])
    case .number(-1): result = x.abs().sum(axes: [row]).min(axes: [column > row ? column - 1 : column])
    case .number(.infinity): result = x.abs().sum(axes: [column]).max(axes: [row > column ? row - 1 : row])
    case .number(-.infinity): result = x.abs().sum(axes: [column]).min(axes: [row > column ? row - 1 : row])
    case .number: throw .invalidArgument("Invalid norm order for matrices.")
    }
    guard keepDims else { return result }
    var shape = x.shape
    shape[row] = 1
    shape[column] = 1
    return result.reshaped(shape)
  }

  /// The singular values of the matrices over `axes` of `x`, as a stack in the last axis.
  static func _singularValues<T: LinearAlgebraScalar>(_ x: NDArray<T>, axes: (Int, Int)) throws(LinearAlgebraError)
    -> NDArray<T>
  {
    let others = (0..<x.rank).filter { $0 != axes.0 && $0 != axes.1 }
    return try svdvals(x.transposed(others + [axes.0, axes.1]))
  }
}
