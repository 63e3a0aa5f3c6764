/// The multi-index of flat position `flat` in an array of `shape` laid out in C order (or
/// Fortran order).
///
/// The NumPy equivalent is `numpy.unravel_index(flat, shape, order='C' | 'F')`. Traps unless
/// `0 <= flat < product(shape)` (NumPy's `ValueError`).
///
/// ```swift
/// unravelIndex(7, shape: [3, 4])                        // [1, 3]
/// unravelIndex(7, shape: [3, 4], fortranOrder: true)    // [1, 2]
/// ```
public func unravelIndex(_ flat: Int, shape: [Int], fortranOrder: Bool = false) -> [Int] {
  let size = shape.reduce(1, *)
  precondition(flat >= 0 && flat < size, "index \(flat) is out of bounds for array with size \(size)")
  var index = [Int](repeating: 0, count: shape.count)
  var rest = flat
  for axis in fortranOrder ? Array(shape.indices) : Array(shape.indices.reversed()) {
    index[axis] = rest % shape[axis]
    rest /= shape[axis]
  }
  return index
}

/// The flat C-order position of `index` in an array of `shape`.
///
/// The NumPy equivalent is `numpy.ravel_multi_index(index, shape)`. Traps for an index out of
/// bounds (NumPy's `ValueError`).
public func ravelMultiIndex(_ index: [Int], shape: [Int]) -> Int {
  precondition(
    index.count == shape.count && zip(index, shape).allSatisfy { $0 >= 0 && $0 < $1 },
    "invalid entry in coordinates array \(index) for shape \(shape)")
  return zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}
