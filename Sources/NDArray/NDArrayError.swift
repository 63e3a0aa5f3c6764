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
    case let .unsupportedDType(dtype, operation):
      return "\(operation) is not supported for dtype \(dtype); expected a bool, integer or float dtype"
    case let .axisOutOfRange(axis, shape):
      return "axis \(axis) is out of bounds for array of dimension \(shape.count) (shape \(shape))"
    case let .duplicateAxis(axes, shape):
      return "duplicate value in axes \(axes) for array of shape \(shape)"
    case let .emptyReduction(operation, shape):
      return "zero-size array to reduction operation \(operation) which has no identity (shape \(shape))"
    case let .castNotAllowed(from, to, casting):
      return "cannot cast array data from dtype('\(from)') to dtype('\(to)') according to the rule '\(casting)'"
    }
  }
}
