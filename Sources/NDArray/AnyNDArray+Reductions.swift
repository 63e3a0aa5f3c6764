extension AnyNDArray {
  /// Checks `axes` against `shape` and throws instead of trapping.
  func _validate(axes: [Int]?) throws {
    guard let axes else { return }
    let shape = self.shape, rank = shape.count
    var seen = Set<Int>()
    for axis in axes {
      guard axis >= -rank && axis < rank else { throw NDArrayError.axisOutOfRange(axis: axis, shape: shape) }
      guard seen.insert(axis < 0 ? axis + rank : axis).inserted else {
        throw NDArrayError.duplicateAxis(axes: axes, shape: shape)
      }
    }
  }

  /// Calls `body` with the array as a real-valued typed array (bool as `UInt8`); throws
  /// for complex dtypes.
  func _withReal<R>(operation: String, _ body: (any _RealReducible) -> R) throws -> R {
    if case .bool(let a) = self { return body(a.astype(UInt8.self)) }
    guard let real = withTyped({ $0 as? any _RealReducible }) else {
      throw NDArrayError.unsupportedDType(dtype, operation: operation)
    }
    return body(real)
  }

  /// The mean over `axes` in `Double`, whatever the dtype (`numpy.mean(a, axis, dtype=float64)`).
  ///
  /// Throws ``NDArrayError`` for a complex dtype or a bad axis.
  public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> NDArray<Double> {
    try _validate(axes: axes)
    return try _withReal(operation: "mean") { $0._meanDouble(axes: axes, keepDims: keepDims) }
  }

  /// The standard deviation over `axes` in `Double` (`numpy.std(a, axis, ddof=ddof)`).
  ///
  /// Throws ``NDArrayError`` for a complex dtype or a bad axis.
  public func std(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) throws -> NDArray<Double> {
    try _validate(axes: axes)
    return try _withReal(operation: "std") {
      $0._varianceDouble(axes: axes, ddof: ddof, keepDims: keepDims).map { $0.squareRoot() }
    }
  }

  /// The variance over `axes` in `Double` (`numpy.var(a, axis, ddof=ddof)`).
  ///
  /// Throws ``NDArrayError`` for a complex dtype or a bad axis.
  public func variance(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) throws -> NDArray<Double> {
    try _validate(axes: axes)
    return try _withReal(operation: "var") { $0._varianceDouble(axes: axes, ddof: ddof, keepDims: keepDims) }
  }

  /// The minimum over `axes` as `Double` (`numpy.min(a, axis).astype(float64)`).
  ///
  /// Throws ``NDArrayError`` for a complex dtype, a bad axis or an empty reduction.
  public func min(axes: [Int]? = nil, keepDims: Bool = false) throws -> NDArray<Double> {
    try _validate(axes: axes)
    try _checkNonEmpty(axes: axes, operation: "minimum")
    return try _withReal(operation: "min") { $0._extremumDouble(axes: axes, keepDims: keepDims, wantMax: false) }
  }

  /// The maximum over `axes` as `Double` (`numpy.max(a, axis).astype(float64)`).
  ///
  /// Throws ``NDArrayError`` for a complex dtype, a bad axis or an empty reduction.
  public func max(axes: [Int]? = nil, keepDims: Bool = false) throws -> NDArray<Double> {
    try _validate(axes: axes)
    try _checkNonEmpty(axes: axes, operation: "maximum")
    return try _withReal(operation: "max") { $0._extremumDouble(axes: axes, keepDims: keepDims, wantMax: true) }
  }

  /// Count, mean, variance, std, min and max over `axes`, all in `Double`. For an empty
  /// reduction, mean/variance/std/min/max are NaN (no throw).
  ///
  /// Throws ``NDArrayError`` for a complex dtype or a bad axis.
  public func statistics(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false) throws -> NDArrayStatistics {
    try _validate(axes: axes)
    return try _withReal(operation: "statistics") { $0._statistics(axes: axes, ddof: ddof, keepDims: keepDims) }
  }

  func _checkNonEmpty(axes: [Int]?, operation: String) throws {
    let shape = self.shape
    let flags = NDArray<UInt8>._reducedAxisFlags(axes, shape: shape)
    let reducedCount = zip(shape, flags).reduce(1) { $1.1 ? $0 * $1.0 : $0 }
    let resultCount = zip(shape, flags).reduce(1) { $1.1 ? $0 : $0 * $1.0 }
    if reducedCount == 0 && resultCount > 0 {
      throw NDArrayError.emptyReduction(operation: operation, shape: shape)
    }
  }
}

/// The reductions an ``AnyNDArray`` needs from its typed array. Implementation detail.
protocol _RealReducible {
  func _meanDouble(axes: [Int]?, keepDims: Bool) -> NDArray<Double>
  func _varianceDouble(axes: [Int]?, ddof: Int, keepDims: Bool) -> NDArray<Double>
  func _extremumDouble(axes: [Int]?, keepDims: Bool, wantMax: Bool) -> NDArray<Double>
  func _statistics(axes: [Int]?, ddof: Int, keepDims: Bool) -> NDArrayStatistics
}

extension NDArray: _RealReducible where Element: NDArrayRealElement {
  func _meanDouble(axes: [Int]?, keepDims: Bool) -> NDArray<Double> {
    _meansInDouble(axes: axes, keepDims: keepDims)
  }
  func _varianceDouble(axes: [Int]?, ddof: Int, keepDims: Bool) -> NDArray<Double> {
    _variancesInDouble(axes: axes, ddof: ddof, keepDims: keepDims)
  }
  func _extremumDouble(axes: [Int]?, keepDims: Bool, wantMax: Bool) -> NDArray<Double> {
    (wantMax ? max(axes: axes, keepDims: keepDims) : min(axes: axes, keepDims: keepDims))
      .map { $0._doubleValue }
  }
  func _statistics(axes: [Int]?, ddof: Int, keepDims: Bool) -> NDArrayStatistics {
    _withReduction(axes: axes, keepDims: keepDims) { base, layout in
      let moments = NDArray._moments(base, layout, wantM2: true)
      let divisor = Double(Swift.max(layout.rows - ddof, 0))
      let variance = moments.m2.map { $0 / divisor }
      let shape = layout.resultShape
      var minimum = [Double](repeating: .nan, count: layout.resultCount)
      var maximum = minimum
      if layout.rows > 0 {
        minimum = NDArray._extrema(base, layout, wantMax: false, shape: self.shape).map { $0._doubleValue }
        maximum = NDArray._extrema(base, layout, wantMax: true, shape: self.shape).map { $0._doubleValue }
      }
      return NDArrayStatistics(
        count: layout.rows,
        mean: NDArray<Double>(moments.mean, shape: shape),
        variance: NDArray<Double>(variance, shape: shape),
        std: NDArray<Double>(variance.map { $0.squareRoot() }, shape: shape),
        min: NDArray<Double>(minimum, shape: shape),
        max: NDArray<Double>(maximum, shape: shape))
    }
  }
}
