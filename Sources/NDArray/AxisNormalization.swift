/// An axis out of range for an array's rank, or named twice: NumPy's
/// `numpy.exceptions.AxisError` (and the `ValueError("repeated axis")` of
/// `normalize_axis_tuple`).
public enum AxisError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An axis outside `-rank..<rank`.
  case outOfBounds(axis: Int, rank: Int)
  /// The same axis named twice (after negative axes are counted from the end).
  case repeated(axis: Int)

  /// NumPy's message, one line.
  public var description: String {
    switch self {
    case .outOfBounds(let axis, let rank): return "axis \(axis) is out of bounds for array of dimension \(rank)"
    case .repeated(let axis): return "repeated axis \(axis)"
    }
  }
}

/// `axes` as non-negative axes of an array of rank `rank`, sorted: negative axes count from
/// the end (`-1` is `rank - 1`).
///
/// The NumPy equivalent is `sorted(numpy.lib.array_utils.normalize_axis_tuple(axes, rank))`.
///
/// ```swift
/// try normalizeAxisTuple([-1, 0], rank: 4)  // [0, 3]
/// ```
///
/// - Throws: ``AxisError`` for an axis outside `-rank..<rank` or an axis named twice.
public func normalizeAxisTuple(_ axes: [Int], rank: Int) throws(AxisError) -> [Int] {
  var result: [Int] = []
  for axis in axes {
    guard axis >= -rank && axis < rank else { throw .outOfBounds(axis: axis, rank: rank) }
    let normalized = axis < 0 ? axis + rank : axis
    guard !result.contains(normalized) else { throw .repeated(axis: normalized) }
    result.append(normalized)
  }
  return result.sorted()
}
