// Swift ranges as NumPy slices: `a[2..<5]` is `a[2:5]`, `a[2...]` is `a[2:]`,
// `a[..<3]` is `a[:3]`, `a[...]` is `a[:]`, and they mix with integers and `NDIndex`
// (`a[2..<5, 0]`, `a[0, NDIndex.ellipsis, 1...]`).

/// A value that can stand for one entry of an index expression: an `Int`, an ``NDIndex``
/// or a Swift range of `Int`.
///
/// The NumPy equivalent is one item of the tuple in `a[...]`. Ranges follow NumPy's slice
/// rules: bounds are clamped to the axis and negative bounds count from the end
/// (`a[(-3)...]` is `a[-3:]`).
public protocol NDIndexExpression {
  /// The ``NDIndex`` this value means.
  var ndIndex: NDIndex { get }
}

extension NDIndex: NDIndexExpression {
  /// The index itself.
  public var ndIndex: NDIndex { self }
}

extension Int: NDIndexExpression {
  /// `.at(self)`: NumPy's integer index `a[i]`.
  public var ndIndex: NDIndex { .at(self) }
}

extension Range: NDIndexExpression where Bound == Int {
  /// `lower:upper` (NumPy's `a[lower:upper]`).
  public var ndIndex: NDIndex { .slice(start: lowerBound, stop: upperBound, step: 1) }
}

extension ClosedRange: NDIndexExpression where Bound == Int {
  /// `lower:upper+1` (NumPy's `a[lower:upper+1]`); an upper bound of -1 reaches the end.
  public var ndIndex: NDIndex {
    .slice(start: lowerBound, stop: upperBound == -1 ? nil : upperBound + 1, step: 1)
  }
}

extension PartialRangeFrom: NDIndexExpression where Bound == Int {
  /// `lower:` (NumPy's `a[lower:]`).
  public var ndIndex: NDIndex { .slice(start: lowerBound, stop: nil, step: 1) }
}

extension PartialRangeUpTo: NDIndexExpression where Bound == Int {
  /// `:upper` (NumPy's `a[:upper]`).
  public var ndIndex: NDIndex { .slice(start: nil, stop: upperBound, step: 1) }
}

extension PartialRangeThrough: NDIndexExpression where Bound == Int {
  /// `:upper+1` (NumPy's `a[:upper+1]`); an upper bound of -1 reaches the end.
  public var ndIndex: NDIndex { .slice(start: nil, stop: upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension NDArray {
  /// The view of rows `range` along the first axis (`a[2:5]` in NumPy, `a[2 ..< 5]` in
  /// MLX Swift); bounds are clamped and negative bounds count from the end, as NumPy's.
  @inlinable
  public subscript(_ range: Range<Int>) -> NDArray {
    get { self[indices: [range.ndIndex]] }
    set { self[indices: [range.ndIndex]] = newValue }
  }

  /// The view of rows `range` along the first axis, upper bound included (`a[2:6]` for
  /// `a[2...5]`).
  @inlinable
  public subscript(_ range: ClosedRange<Int>) -> NDArray {
    get { self[indices: [range.ndIndex]] }
    set { self[indices: [range.ndIndex]] = newValue }
  }

  /// The view of rows from `range.lowerBound` to the end (`a[2:]`).
  @inlinable
  public subscript(_ range: PartialRangeFrom<Int>) -> NDArray {
    get { self[indices: [range.ndIndex]] }
    set { self[indices: [range.ndIndex]] = newValue }
  }

  /// The view of rows before `range.upperBound` (`a[:3]`).
  @inlinable
  public subscript(_ range: PartialRangeUpTo<Int>) -> NDArray {
    get { self[indices: [range.ndIndex]] }
    set { self[indices: [range.ndIndex]] = newValue }
  }

  /// The view of rows up to and including `range.upperBound` (`a[:4]` for `a[...3]`).
  @inlinable
  public subscript(_ range: PartialRangeThrough<Int>) -> NDArray {
    get { self[indices: [range.ndIndex]] }
    set { self[indices: [range.ndIndex]] = newValue }
  }

  /// The whole array as a view (`a[:]`); setting assigns every element (`a[:] = b`).
  @inlinable
  public subscript(_ range: UnboundedRange) -> NDArray {
    get { self[indices: [NDIndex.all]] }
    set { self[indices: [NDIndex.all]] = newValue }
  }

  /// A view selected by integers, ranges and ``NDIndex`` values mixed
  /// (`a[2..<5, 0]` for NumPy's `a[2:5, 0]`, `a[0, NDIndex.ellipsis, 1...]` for
  /// `a[0, ..., 1:]`).
  ///
  /// The NumPy equivalent is basic indexing `a[...]`; no data is copied. Setting assigns
  /// `newValue` broadcast to the selection. Traps as ``subscript(indices:)`` does.
  @inlinable
  public subscript(_ first: any NDIndexExpression, _ second: any NDIndexExpression,
    _ rest: any NDIndexExpression...
  ) -> NDArray {
    get { self[indices: ([first, second] + rest).map(\.ndIndex)] }
    set { self[indices: ([first, second] + rest).map(\.ndIndex)] = newValue }
  }
}
