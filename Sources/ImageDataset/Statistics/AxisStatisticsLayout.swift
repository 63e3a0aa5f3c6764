import NDArray

/// Which statistic each stored element of an array belongs to, when statistics are taken
/// over a set of axes: the statistics form an array of the kept axes (C order), and the
/// elements arrive in storage order (C or Fortran) in runs along the fastest-varying axis.
///
/// The NumPy equivalent is the indexing behind `a.mean(axis=axes, keepdims=True)`
/// broadcast back against `a`: element `a[i, j, k]` with `axes=(1,)` uses statistic `[i, k]`.
struct AxisStatisticsLayout: Sendable {
  /// The array's shape.
  let shape: [Int]
  /// The reduced axes (sorted, non-negative).
  let reducedAxes: [Int]
  /// The shape of the statistics: `shape` without the reduced axes.
  let keptShape: [Int]
  /// The number of statistics.
  let statisticCount: Int
  /// Values each statistic covers: the product of the reduced dimensions.
  let valuesPerStatistic: Int
  /// Elements per run: the length of the fastest storage axis (1 for a 0-d array).
  let runLength: Int
  /// How far the statistic index moves per element along a run (0 when that axis is reduced).
  let runStride: Int
  /// The storage axes other than the fastest, fastest first, with their statistic strides.
  private let outerAxes: [(length: Int, statisticStride: Int)]
  /// Whether the elements are stored in Fortran order.
  private let fortranOrder: Bool

  /// The layout of an array of `shape` stored in C order (or Fortran order) whose statistics
  /// reduce `reducedAxes`.
  init(shape: [Int], fortranOrder: Bool, reducedAxes: [Int]) {
    self.shape = shape
    self.reducedAxes = reducedAxes
    let kept = shape.indices.filter { !reducedAxes.contains($0) }
    keptShape = kept.map { shape[$0] }
    statisticCount = keptShape.reduce(1, *)
    valuesPerStatistic = reducedAxes.map { shape[$0] }.reduce(1, *)
    var strides = [Int](repeating: 0, count: shape.count)
    var step = 1
    for axis in kept.reversed() {
      strides[axis] = step
      step *= shape[axis]
    }
    self.fortranOrder = fortranOrder
    let storageAxes = fortranOrder ? Array(shape.indices) : Array(shape.indices.reversed())
    runLength = storageAxes.first.map { shape[$0] } ?? 1
    runStride = storageAxes.first.map { strides[$0] } ?? 0
    outerAxes = storageAxes.dropFirst().map { (shape[$0], strides[$0]) }
  }

  /// The statistic of the first element of run `run` (runs counted from 0 in storage order).
  func runStart(_ run: Int) -> Int {
    var rest = run, index = 0
    for axis in outerAxes {
      index += (rest % axis.length) * axis.statisticStride
      rest /= axis.length
    }
    return index
  }

  /// The multi-index (`numpy.unravel_index`) of the element at storage position `position`.
  func multiIndex(ofStoragePosition position: Int) -> [Int] {
    unravelIndex(position, shape: shape, fortranOrder: fortranOrder)
  }

  /// Calls `body` for each piece of a run among the `count` elements from storage position
  /// `position`: the piece's offset from `position`, its length, and the statistic of its
  /// first element (the next ones follow at ``runStride``).
  func forEachRun(
    from position: Int, count: Int, _ body: (_ offset: Int, _ length: Int, _ firstStatistic: Int) throws -> Void
  ) rethrows {
    var offset = 0
    while offset < count {
      let at = position + offset
      let inRun = at % runLength
      let length = min(runLength - inRun, count - offset)
      try body(offset, length, runStart(at / runLength) + inRun * runStride)
      offset += length
    }
  }
}
