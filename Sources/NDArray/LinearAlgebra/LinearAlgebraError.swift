/// Why a ``Linalg`` function could not compute its result.
///
/// The NumPy equivalent is `numpy.linalg.LinAlgError`; ``description`` is NumPy's message
/// for the same case, word for word.
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An exactly singular matrix given to ``Linalg/solve(_:_:)`` or ``Linalg/inv(_:)``
  /// (`LinAlgError: Singular matrix`).
  case singularMatrix
  /// A matrix given to ``Linalg/cholesky(_:upper:)`` that is not positive definite
  /// (`LinAlgError: Matrix is not positive definite`).
  case notPositiveDefinite
  /// LAPACK's symmetric eigensolver did not converge
  /// (`LinAlgError: Eigenvalues did not converge`).
  case eigenvaluesDidNotConverge
  /// LAPACK's SVD did not converge (`LinAlgError: SVD did not converge`).
  case svdDidNotConverge
  /// The input holds an infinity or a NaN (`LinAlgError: Array must not contain infs or NaNs`,
  /// which NumPy raises from `eig`; here every LAPACK-backed function checks, see the
  /// "Linear algebra" article).
  case nonFinite
  /// An array with fewer than two dimensions where a (stack of) matrices was expected
  /// (`LinAlgError: 1-dimensional array given. Array must be at least two-dimensional`).
  case tooFewDimensions(rank: Int)
  /// A (stack of) non-square matrices where square ones were expected
  /// (`LinAlgError: Last 2 dimensions of the array must be square`).
  case notSquare(shape: [Int])
  /// Operands whose shapes do not fit together, or a norm order that is not defined for
  /// the input (NumPy raises `ValueError` for these, with the same text).
  case invalidArgument(String)

  /// NumPy's one-line message for the case.
  public var description: String {
    switch self {
    case .singularMatrix: return "Singular matrix"
    case .notPositiveDefinite: return "Matrix is not positive definite"
    case .eigenvaluesDidNotConverge: return "Eigenvalues did not converge"
    case .svdDidNotConverge: return "SVD did not converge"
    case .nonFinite: return "Array must not contain infs or NaNs"
    case .tooFewDimensions(let rank):
      return "\(rank)-dimensional array given. Array must be at least two-dimensional"
    case .notSquare: return "Last 2 dimensions of the array must be square"
    case .invalidArgument(let message): return message
    }
  }
}
