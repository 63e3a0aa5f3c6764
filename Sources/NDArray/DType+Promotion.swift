extension DType {
  /// NumPy's promotion order: the first dtype of this list to which both operands cast
  /// safely is their common type.
  private static let promotionOrder: [DType] = [
    .bool, .int8, .uint8, .int16, .uint16, .int32, .uint32, .int64, .uint64,
    .float16, .float32, .float64, .complex64, .complex128,
  ]

  /// The smallest dtype both this dtype and `other` convert to safely: the dtype of
  /// `a - b` for arrays of the two dtypes.
  ///
  /// The NumPy equivalent is `numpy.promote_types(self, other)` (NumPy 2.x: `uint64` with
  /// a signed integer gives `float64`, `int16` with `float16` gives `float32`).
  ///
  /// ```swift
  /// DType.uint8.promoted(with: .int8)      // .int16
  /// DType.int64.promoted(with: .float32)   // .float64
  /// ```
  public func promoted(with other: DType) -> DType {
    Self.promotionOrder.first { canCast(to: $0, casting: .safe) && other.canCast(to: $0, casting: .safe) }
      ?? .complex128
  }
}
