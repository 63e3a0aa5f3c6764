/// An error from an operation on an ``AnyNDArray`` whose dtype or axes come from data
/// (a file, a command line) rather than from code.
public enum NDArrayError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The operation is not defined for this dtype (e.g. `min` of a complex array).
  case unsupportedDType(DType, operation: String)
  /// An axis outside `-rank..<rank`.
  case axisOutOfRange(axis: Int, shape: [Int])
  /// The same axis named twice.
  case duplicateAxis(axes: [Int], shape: [Int])
  /// A reduction with no identity (`min`/`max`) over zero elements.
  case emptyReduction(operation: String, shape: [Int])
  /// A cast that the casting rule does not allow (`astype(dtype, casting=...)`).
  case castNotAllowed(from: DType, to: DType, casting: Casting)

  /// A one-line message naming what was expected and what was found.
  public var description: String {
    switch self {
    case .unsupportedDType(let dtype, let operation):
      return "\(operation) is not supported for dtype \(dtype); expected a bool, integer or float dtype"
    case .axisOutOfRange(let axis, let shape):
      return "axis \(axis) is out of bounds for array of dimension \(shape.count) (shape \(shape))"
    case .duplicateAxis(let axes, let shape):
      return "duplicate value in axes \(axes) for array of shape \(shape)"
    case .emptyReduction(let operation, let shape):
      return "zero-size array to reduction operation \(operation) which has no identity (shape \(shape))"
    case .castNotAllowed(let from, let to, let casting):
      return "cannot cast array data from dtype('\(from)') to dtype('\(to)') according to the rule '\(casting)'"
    }
  }
}
