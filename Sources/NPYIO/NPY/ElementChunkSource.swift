import NDArray

/// Elements of one array handed out a bounded chunk at a time in storage order, native-endian:
/// a `.npy` file or `.npz` member being streamed (``NPYChunkReader``), or an array already
/// in memory (``InMemoryChunkSource``).
///
/// The NumPy equivalent is iterating `a.ravel(order='K')` in slices.
public protocol ElementChunkSource: AnyObject {
  /// The element type.
  var dtype: DType { get }
  /// The next at most `maxCount` elements (at least one while any remain), nil at the end;
  /// valid until the next call.
  func next(maxCount: Int) throws -> UnsafeRawBufferPointer?
}

extension NPYChunkReader: ElementChunkSource {}

/// The elements of an in-memory array in C order (`a.ravel()`), as an ``ElementChunkSource``.
public final class InMemoryChunkSource: ElementChunkSource {
  /// The element type.
  public let dtype: DType
  private let array: AnyNDArray
  private var position = 0

  /// A source over `array`, made C-contiguous first when it is not.
  public init(_ array: AnyNDArray) {
    self.array = array.withTypedArray(ContiguousVisitor())
    dtype = array.dtype
  }

  private struct ContiguousVisitor: NDArrayVisitor {
    func visit<Element: NDArrayElement>(_ array: NDArray<Element>) -> AnyNDArray { AnyNDArray(array.contiguous()) }
  }

  /// The next at most `maxCount` elements in C order; nil at the end.
  public func next(maxCount: Int) throws -> UnsafeRawBufferPointer? {
    let total = array.shape.reduce(1, *)
    guard position < total else { return nil }
    let count = min(max(1, maxCount), total - position)
    let itemSize = dtype.itemSize
    // The storage is C-contiguous and lives as long as `self`.
    let start = array.withTyped { $0.withUnsafeRawBytes { $0.baseAddress! } } + position * itemSize
    position += count
    return UnsafeRawBufferPointer(start: start, count: count * itemSize)
  }
}
