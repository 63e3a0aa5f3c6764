/// Walks every multi-index of a shape in C order (last axis fastest), like the wheels of an
/// odometer; callers keep storage offsets in step with ``offsetSteps(strides:)``.
///
/// The NumPy equivalent is `numpy.ndindex(*shape)` (and the outer loop of `nditer`).
/// Shared by the strided copies and walks of NDArray and NPYIO; not a stable API.
///
/// ```swift
/// var odometer = COrderOdometer(shape: shape)
/// let steps = odometer.offsetSteps(strides: strides)
/// var offset = start
/// for _ in 0..<count {
///   visit(offset)   // the element at odometer.index
///   if let axis = odometer.advance() { offset += steps[axis] }
/// }
/// ```
@usableFromInline
package struct COrderOdometer {
  /// The extent of each axis walked.
  @usableFromInline package let shape: [Int]
  /// The current multi-index; all zeros at the start and after the last index.
  @usableFromInline package internal(set) var index: [Int]

  /// An odometer at index `[0, 0, …]` of `shape`.
  @inlinable
  package init(shape: [Int]) {
    self.shape = shape
    index = [Int](repeating: 0, count: shape.count)
  }

  /// Moves to the next index in C order. Returns the axis whose digit went up (every later
  /// axis went back to 0), or nil when the walk passed the last index (the index is all
  /// zeros again).
  @inlinable @inline(__always)
  package mutating func advance() -> Int? {
    var axis = shape.count - 1
    while axis >= 0 {
      index[axis] += 1
      if index[axis] < shape[axis] { return axis }
      index[axis] = 0
      axis -= 1
    }
    return nil
  }

  /// For an operand with `strides` (one per axis walked, in elements or bytes), how far
  /// its offset moves when ``advance()`` returns each axis: one step along that axis, back
  /// to the start along every later axis.
  @inlinable
  package func offsetSteps(strides: [Int]) -> [Int] {
    precondition(strides.count == shape.count, "\(strides.count) strides for \(shape.count) axes")
    var steps = [Int](repeating: 0, count: shape.count)
    var rewind = 0
    var axis = shape.count - 1
    while axis >= 0 {
      steps[axis] = strides[axis] - rewind
      rewind += strides[axis] * (shape[axis] - 1)
      axis -= 1
    }
    return steps
  }
}
