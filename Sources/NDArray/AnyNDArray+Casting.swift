extension AnyNDArray {
  /// A C-contiguous copy with every element converted to `dtype`, by the rules of
  /// ``NDArray/astype(_:)`` (wrapping, truncation toward zero, real part of complex, …).
  ///
  /// The NumPy equivalent is `ndarray.astype(dtype)`, whose default `casting='unsafe'`
  /// allows every conversion.
  ///
  /// ```swift
  /// let any = AnyNDArray(NDArray<UInt8>([0, 128, 255]))
  /// let unit = any.astype(.float32)   // float32 [0.0, 128.0, 255.0]
  /// ```
  ///
  /// - Complexity: O(`count`), split across cores for large arrays.
  public func astype(_ dtype: DType) -> AnyNDArray {
    withTypedArray(_AstypeVisitor(target: dtype))
  }

  /// ``astype(_:)``, refused when `casting` does not allow converting this array's dtype
  /// to `dtype` (see ``DType/canCast(to:casting:)``).
  ///
  /// The NumPy equivalent is `ndarray.astype(dtype, casting=casting)`; NumPy raises
  /// `TypeError` where this throws ``NDArrayError/castNotAllowed(from:to:casting:)``.
  public func astype(_ dtype: DType, casting: Casting) throws(NDArrayError) -> AnyNDArray {
    guard self.dtype.canCast(to: dtype, casting: casting) else {
      throw NDArrayError.castNotAllowed(from: self.dtype, to: dtype, casting: casting)
    }
    return astype(dtype)
  }
}

/// Opens the source array, then the target element type, and casts.
struct _AstypeVisitor: NDArrayVisitor {
  let target: DType
  func visit<Element: NDArrayElement>(_ array: NDArray<Element>) -> AnyNDArray {
    target.withElementType(_AstypeInto(source: array))
  }
}

/// Casts `source` to the element type it is visited with.
struct _AstypeInto<Source: NDArrayElement>: NDArrayElementTypeVisitor {
  let source: NDArray<Source>
  func visit<Element: NDArrayElement>(_ type: Element.Type) -> AnyNDArray {
    AnyNDArray(source.astype(Element.self))
  }
}
