/// How a reduction walks its input: `outer` independent blocks, each `rows` rows of
/// `inner` contiguous values; every result is the reduction of one column of one block.
///
/// Reducing axes (0, 1, 2) of a C-contiguous (N, H, W, C) array is `outer = 1`,
/// `rows = N·H·W`, `inner = C`; a full reduction is `1, count, 1`; reducing the last axis
/// is `count / n, n, 1`. Any other axis set or layout, and rows wider than 4096, are
/// first copied into (kept axes…, reduced axes…) order. Implementation detail; no stable API.
@usableFromInline
struct _ReductionLayout: Sendable {
  @usableFromInline var outer: Int
  @usableFromInline var rows: Int
  @usableFromInline var inner: Int
  /// The shape of the result (with size-1 reduced axes when `keepDims`).
  @usableFromInline var resultShape: [Int]

  @inlinable var resultCount: Int { outer * inner }

  @inlinable
  init(outer: Int, rows: Int, inner: Int, resultShape: [Int]) {
    self.outer = outer
    self.rows = rows
    self.inner = inner
    self.resultShape = resultShape
  }
}

extension NDArray {
  /// Which axes `axes` names, as one flag per axis. `nil` means all axes; negative axes
  /// count from the end. Traps on an axis out of range or named twice (NumPy's
  /// `AxisError` and "duplicate value in 'axis'").
  @inlinable
  static func _reducedAxisFlags(_ axes: [Int]?, shape: [Int]) -> [Bool] {
    let rank = shape.count
    guard let axes else { return [Bool](repeating: true, count: rank) }
    var flags = [Bool](repeating: false, count: rank)
    for axis in axes {
      precondition(
        axis >= -rank && axis < rank,
        "axis \(axis) is out of bounds for array of dimension \(rank) (shape \(shape))")
      let a = axis < 0 ? axis + rank : axis
      precondition(!flags[a], "duplicate value in 'axis': \(axes) for shape \(shape)")
      flags[a] = true
    }
    return flags
  }

  /// The array to read and the layout to read it with for a reduction over `axes`.
  /// The returned array is C-contiguous.
  @inlinable
  func _reductionSource(axes: [Int]?, keepDims: Bool) -> (NDArray, _ReductionLayout) {
    let reduced = NDArray._reducedAxisFlags(axes, shape: shape)
    var resultShape: [Int] = []
    for axis in 0..<rank {
      if !reduced[axis] { resultShape.append(shape[axis]) } else if keepDims { resultShape.append(1) }
    }
    if isCContiguous {
      // Merge neighbouring axes of the same kind, ignoring size-1 axes.
      var groups: [(reduced: Bool, size: Int)] = []
      for axis in 0..<rank where shape[axis] != 1 {
        if let last = groups.last, last.reduced == reduced[axis] {
          groups[groups.count - 1].size = last.size * shape[axis]
        } else {
          groups.append((reduced[axis], shape[axis]))
        }
      }
      let kinds = groups.map(\.reduced)
      let sizes = groups.map(\.size)
      var layout: _ReductionLayout? = nil
      switch kinds {
      case []: layout = _ReductionLayout(outer: 1, rows: 1, inner: 1, resultShape: resultShape)
      case [false]: layout = _ReductionLayout(outer: sizes[0], rows: 1, inner: 1, resultShape: resultShape)
      case [true]: layout = _ReductionLayout(outer: 1, rows: sizes[0], inner: 1, resultShape: resultShape)
      case [false, true]:
        layout = _ReductionLayout(outer: sizes[0], rows: sizes[1], inner: 1, resultShape: resultShape)
      case [true, false]:
        layout = _ReductionLayout(outer: 1, rows: sizes[0], inner: sizes[1], resultShape: resultShape)
      case [false, true, false]:
        layout = _ReductionLayout(outer: sizes[0], rows: sizes[1], inner: sizes[2], resultShape: resultShape)
      default: break
      }
      // Very wide rows (more than 4096 results per block) would need one partial result
      // per column per chunk; reading a transposed copy keeps that memory small.
      if let layout, !(layout.inner > 4096 && layout.rows > 1) { return (self, layout) }
    }
    // General case: copy into (kept axes…, reduced axes…) order.
    let kept = (0..<rank).filter { !reduced[$0] }
    let gone = (0..<rank).filter { reduced[$0] }
    let copy = transposed(kept + gone).contiguousCopy()
    let outer = kept.reduce(1) { $0 * shape[$1] }
    let rows = gone.reduce(1) { $0 * shape[$1] }
    return (copy, _ReductionLayout(outer: outer, rows: rows, inner: 1, resultShape: resultShape))
  }
}
