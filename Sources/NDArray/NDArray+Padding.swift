// Padding an array with a border along every axis.

extension NDArray {
  /// How ``NDArray/padded(_:mode:)`` fills the border (NumPy's `mode` of `numpy.pad`).
  public enum PadMode {
    /// Every border element is the value (`mode='constant', constant_values=value`).
    case constant(Element)
    /// The border repeats the edge element (`mode='edge'`).
    case edge
    /// The border mirrors the array without repeating the edge element
    /// (`mode='reflect'`): `[1, 2, 3]` padded by 2 becomes `[3, 2, 1, 2, 3, 2, 1]`.
    case reflect
  }

  /// The array with `widths[axis].before` elements added before and `.after` after it
  /// along every axis; one pair applies to every axis.
  ///
  /// The NumPy equivalent is `numpy.pad(a, pad_width, mode)` with `pad_width`
  /// `((before, after), …)`. Traps on a negative width, a number of pairs that is neither
  /// 1 nor the rank, or `.edge`/`.reflect` padding of an empty axis.
  @inlinable
  public func padded(_ widths: [(before: Int, after: Int)], mode: PadMode = .constant(Element.zero)) -> NDArray {
    precondition(
      widths.count == rank || widths.count == 1,
      "pad_width has \(widths.count) pairs; expected 1 or one per axis of shape \(shape)")
    let pairs = widths.count == rank ? widths : [(before: Int, after: Int)](repeating: widths[0], count: rank)
    for pair in pairs {
      precondition(pair.before >= 0 && pair.after >= 0, "index can't contain negative values: pad_width \(pairs)")
    }
    if case .constant(let value) = mode {
      var resultShape = shape
      var interior: [NDIndex] = []
      for axis in 0..<rank {
        resultShape[axis] += pairs[axis].before + pairs[axis].after
        interior.append(.slice(start: pairs[axis].before, stop: pairs[axis].before + shape[axis], step: 1))
      }
      var result = NDArray(shape: resultShape, repeating: value)
      result[indices: interior] = self
      return result
    }
    var result = self
    for axis in 0..<rank where pairs[axis].before > 0 || pairs[axis].after > 0 {
      let size = shape[axis]
      precondition(size > 0, "can't extend empty axis \(axis) using modes other than 'constant' or 'empty'")
      let positions = (-pairs[axis].before..<(size + pairs[axis].after)).map { index -> Int in
        switch mode {
        case .edge, .constant:
          return Swift.min(Swift.max(index, 0), size - 1)
        case .reflect:
          if size == 1 { return 0 }
          let period = 2 * (size - 1)
          let folded = ((index % period) + period) % period
          return folded < size ? folded : period - folded
        }
      }
      result = result.take(positions, axis: axis)
    }
    return result
  }

  /// The array with `width` elements added before and after it along every axis
  /// (`numpy.pad(a, width, mode)`).
  @inlinable
  public func padded(_ width: Int, mode: PadMode = .constant(Element.zero)) -> NDArray {
    padded([(before: width, after: width)], mode: mode)
  }
}
