import ComplexModule
import RealModule

/// An array whose element type is known only at run time, such as the contents of a
/// `.npy` file.
///
/// The NumPy equivalent is an `ndarray` of any dtype. Open it with a visitor
/// (``withTypedArray(_:)``), or ask for a typed view with ``typed(as:)``.
///
/// ```swift
/// let any = AnyNDArray(NDArray<UInt8>([1, 2, 3]))
/// if let bytes = any.typed(as: UInt8.self) { print(bytes.shape) }
/// ```
public enum AnyNDArray: Sendable {
  /// An array of NumPy dtype `bool`.
  case bool(NDArray<Bool>)
  /// An array of NumPy dtype `int8`.
  case int8(NDArray<Int8>)
  /// An array of NumPy dtype `int16`.
  case int16(NDArray<Int16>)
  /// An array of NumPy dtype `int32`.
  case int32(NDArray<Int32>)
  /// An array of NumPy dtype `int64`.
  case int64(NDArray<Int64>)
  /// An array of NumPy dtype `uint8`.
  case uint8(NDArray<UInt8>)
  /// An array of NumPy dtype `uint16`.
  case uint16(NDArray<UInt16>)
  /// An array of NumPy dtype `uint32`.
  case uint32(NDArray<UInt32>)
  /// An array of NumPy dtype `uint64`.
  case uint64(NDArray<UInt64>)
  /// An array of NumPy dtype `float16`.
  case float16(NDArray<Float16>)
  /// An array of NumPy dtype `float32`.
  case float32(NDArray<Float>)
  /// An array of NumPy dtype `float64`.
  case float64(NDArray<Double>)
  /// An array of NumPy dtype `complex64`.
  case complex64(NDArray<Complex<Float>>)
  /// An array of NumPy dtype `complex128`.
  case complex128(NDArray<Complex<Double>>)

  /// Wraps a typed array.
  public init<Element: NDArrayElement>(_ array: NDArray<Element>) {
    switch array {
    case let a as NDArray<Bool>: self = .bool(a)
    case let a as NDArray<Int8>: self = .int8(a)
    case let a as NDArray<Int16>: self = .int16(a)
    case let a as NDArray<Int32>: self = .int32(a)
    case let a as NDArray<Int64>: self = .int64(a)
    case let a as NDArray<UInt8>: self = .uint8(a)
    case let a as NDArray<UInt16>: self = .uint16(a)
    case let a as NDArray<UInt32>: self = .uint32(a)
    case let a as NDArray<UInt64>: self = .uint64(a)
    case let a as NDArray<Float16>: self = .float16(a)
    case let a as NDArray<Float>: self = .float32(a)
    case let a as NDArray<Double>: self = .float64(a)
    case let a as NDArray<Complex<Float>>: self = .complex64(a)
    case let a as NDArray<Complex<Double>>: self = .complex128(a)
    default: fatalError("\(Element.self) is not a supported NDArray element type")
    }
  }

  /// Calls `body` with the typed array inside, whatever its element type, as an existential
  /// (for the generic form, see ``withTypedArray(_:)``).
  public func withTyped<R>(_ body: (any NDArrayProtocol) throws -> R) rethrows -> R {
    try body(withTypedArray(_Existential()))
  }

  /// The array as `NDArray<Element>` when that is its element type, else nil (no conversion).
  public func typed<Element: NDArrayElement>(as type: Element.Type = Element.self) -> NDArray<Element>? {
    withTyped { $0 as? NDArray<Element> }
  }

  /// The element type (`ndarray.dtype`).
  public var dtype: DType { withTyped { $0.dtype } }
  /// The shape (`ndarray.shape`).
  public var shape: [Int] { withTyped { $0.shape } }
  /// The number of elements (`ndarray.size`).
  public var count: Int { withTyped { $0.count } }
}

/// Opens an ``AnyNDArray`` as `any NDArrayProtocol` (for ``AnyNDArray/withTyped(_:)``).
@usableFromInline
struct _Existential: NDArrayVisitor {
  @inlinable init() {}
  @inlinable func visit<Element: NDArrayElement>(_ array: NDArray<Element>) -> any NDArrayProtocol { array }
}

/// What every ``NDArray`` has, whatever its element type; lets code handle an
/// ``AnyNDArray`` without switching over every dtype.
public protocol NDArrayProtocol: Sendable {
  /// The element type (`ndarray.dtype`).
  var dtype: DType { get }
  /// The shape (`ndarray.shape`).
  var shape: [Int] { get }
  /// The strides in elements (`ndarray.strides // itemsize`).
  var strides: [Int] { get }
  /// The number of elements (`ndarray.size`).
  var count: Int { get }
  /// C contiguity (`flags['C_CONTIGUOUS']`).
  var isCContiguous: Bool { get }
  /// Fortran contiguity (`flags['F_CONTIGUOUS']`).
  var isFContiguous: Bool { get }
  /// Calls `body` with the raw bytes of the elements in C order (`ndarray.tobytes()`).
  func withUnsafeRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension NDArray: NDArrayProtocol {
  /// Calls `body` with the raw bytes of the elements in C order, native byte order
  /// (`ndarray.tobytes(order='C')`).
  public func withUnsafeRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
  }
}
