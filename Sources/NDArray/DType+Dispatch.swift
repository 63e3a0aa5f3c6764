import ComplexModule
import RealModule

// The one place that turns a run-time dtype into a Swift element type. Everything that
// handles an `AnyNDArray` or a `DType` generically goes through these two switches.

/// Generic code to run for an element type chosen at run time, e.g. the dtype read from a
/// file header. Pass it to ``DType/withElementType(_:)``.
///
/// The NumPy equivalent is the dtype-indexed loop tables behind every ufunc: NumPy picks the
/// inner loop for `dtype` once, then runs it.
public protocol NDArrayElementTypeVisitor {
  /// What ``visit(_:)`` returns.
  associatedtype Result
  /// What ``visit(_:)`` throws (`Never` when it cannot fail).
  associatedtype Failure: Error = Never
  /// Runs for the Swift element type of the dtype.
  func visit<Element: NDArrayElement>(_ type: Element.Type) throws(Failure) -> Result
}

/// Generic code to run on the typed array inside an ``AnyNDArray``. Pass it to
/// ``AnyNDArray/withTypedArray(_:)``.
///
/// The NumPy equivalent is a ufunc's inner loop, selected by the array's dtype.
public protocol NDArrayVisitor {
  /// What ``visit(_:)`` returns.
  associatedtype Result
  /// What ``visit(_:)`` throws (`Never` when it cannot fail).
  associatedtype Failure: Error = Never
  /// Runs with the typed array.
  func visit<Element: NDArrayElement>(_ array: NDArray<Element>) throws(Failure) -> Result
}

extension DType {
  /// Calls `visitor` with the Swift element type that stores this dtype (`Float` for
  /// `float32`, `Complex<Double>` for `complex128`, …).
  ///
  /// The NumPy equivalent is `dtype.type`, the scalar type of a dtype.
  @inlinable
  public func withElementType<Visitor: NDArrayElementTypeVisitor>(
    _ visitor: Visitor
  ) throws(Visitor.Failure) -> Visitor.Result {
    switch self {
    case .bool: return try visitor.visit(Bool.self)
    case .int8: return try visitor.visit(Int8.self)
    case .int16: return try visitor.visit(Int16.self)
    case .int32: return try visitor.visit(Int32.self)
    case .int64: return try visitor.visit(Int64.self)
    case .uint8: return try visitor.visit(UInt8.self)
    case .uint16: return try visitor.visit(UInt16.self)
    case .uint32: return try visitor.visit(UInt32.self)
    case .uint64: return try visitor.visit(UInt64.self)
    case .float16: return try visitor.visit(Float16.self)
    case .float32: return try visitor.visit(Float.self)
    case .float64: return try visitor.visit(Double.self)
    case .complex64: return try visitor.visit(Complex<Float>.self)
    case .complex128: return try visitor.visit(Complex<Double>.self)
    }
  }
}

extension AnyNDArray {
  /// Calls `visitor` with the typed array inside, whatever its dtype: the generic way to
  /// handle an array whose dtype is known only at run time.
  ///
  /// The NumPy equivalent is what every NumPy function does on entry: dispatch on
  /// `a.dtype` to a loop written for that type.
  ///
  /// ```swift
  /// struct ByteCount: NDArrayVisitor {
  ///   func visit<Element: NDArrayElement>(_ array: NDArray<Element>) -> Int {
  ///     array.count * MemoryLayout<Element>.stride
  ///   }
  /// }
  /// let bytes = any.withTypedArray(ByteCount())   // a.nbytes
  /// ```
  @inlinable
  public func withTypedArray<Visitor: NDArrayVisitor>(
    _ visitor: Visitor
  ) throws(Visitor.Failure) -> Visitor.Result {
    switch self {
    case .bool(let a): return try visitor.visit(a)
    case .int8(let a): return try visitor.visit(a)
    case .int16(let a): return try visitor.visit(a)
    case .int32(let a): return try visitor.visit(a)
    case .int64(let a): return try visitor.visit(a)
    case .uint8(let a): return try visitor.visit(a)
    case .uint16(let a): return try visitor.visit(a)
    case .uint32(let a): return try visitor.visit(a)
    case .uint64(let a): return try visitor.visit(a)
    case .float16(let a): return try visitor.visit(a)
    case .float32(let a): return try visitor.visit(a)
    case .float64(let a): return try visitor.visit(a)
    case .complex64(let a): return try visitor.visit(a)
    case .complex128(let a): return try visitor.visit(a)
    }
  }
}
