import ComplexModule
import NDArray

/// Something that runs generic code for an element type known only at run time.
protocol ElementTypeVisitor {
  associatedtype Result
  func visit<Element: NDArrayElement>(_ type: Element.Type) throws -> Result
}

/// Something that runs generic code on the typed array inside an ``AnyNDArray``.
protocol ArrayVisitor {
  associatedtype Result
  func visit<Element: NDArrayElement>(_ array: NDArray<Element>) throws -> Result
}

extension DType {
  /// Calls `visitor` with the Swift element type of this dtype.
  func accept<Visitor: ElementTypeVisitor>(_ visitor: Visitor) throws -> Visitor.Result {
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
  /// Calls `visitor` with the typed array inside.
  func accept<Visitor: ArrayVisitor>(_ visitor: Visitor) throws -> Visitor.Result {
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

/// A pointer that may cross into a `@Sendable` release closure; the closure is its only
/// user once the array that borrowed it is gone.
struct SendablePointer: @unchecked Sendable {
  let raw: UnsafeMutableRawPointer
}
