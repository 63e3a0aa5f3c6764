import ComplexModule

/// A scalar as NumPy's casting machinery sees it: the widest value of its kind.
///
/// Implementation detail of ``NDArray/astype(_:)``; this type provides no stable API.
public enum _NDArrayCastValue: Sendable {
  /// A boolean.
  case bool(Bool)
  /// A signed integer, widened.
  case signed(Int64)
  /// An unsigned integer, widened.
  case unsigned(UInt64)
  /// A real floating-point value, widened.
  case real(Double)
  /// A complex value: real and imaginary parts.
  case complex(Double, Double)
}

// MARK: - Float to integer, the way NumPy's compiled C casts behave on x86-64

/// NumPy casts floats to integers with C casts: truncation toward zero. Out-of-range
/// values and NaN are undefined in C; on x86-64 the `cvttsd2si` instruction gives the
/// "integer indefinite" value (`Int32.min` or `Int64.min`), narrower types are cast
/// through `int32`, and unsigned 32/64-bit targets subtract 2³¹/2⁶³ first. These helpers
/// reproduce what NumPy 2.4 on x86-64 returns, so `astype` agrees with it bit for bit
/// even on undefined inputs.
@usableFromInline
enum _FloatToInteger {
  @inlinable @inline(__always)
  static func truncated32(_ x: Double) -> Int32 {
    (x > -2147483649.0 && x < 2147483648.0) ? Int32(x) : Int32.min
  }
  @inlinable @inline(__always)
  static func truncated64(_ x: Double) -> Int64 {
    (x >= -9223372036854775808.0 && x < 9223372036854775808.0) ? Int64(x) : Int64.min
  }
  @inlinable @inline(__always)
  static func truncatedUnsigned32(_ x: Double) -> UInt32 {
    x >= 2147483648.0
      ? UInt32(bitPattern: truncated32(x - 2147483648.0)) ^ 0x8000_0000
      : UInt32(bitPattern: truncated32(x))
  }
  @inlinable @inline(__always)
  static func truncatedUnsigned64(_ x: Double) -> UInt64 {
    x >= 9223372036854775808.0
      ? UInt64(bitPattern: truncated64(x - 9223372036854775808.0)) ^ 0x8000_0000_0000_0000
      : UInt64(bitPattern: truncated64(x))
  }
}

extension _NDArrayCastValue {
  /// The value as a real number (complex: the real part, as NumPy's `ComplexWarning` cast).
  @inlinable
  var realPart: Double {
    switch self {
    case .bool(let b): return b ? 1 : 0
    case .signed(let v): return Double(v)
    case .unsigned(let v): return Double(v)
    case .real(let v): return v
    case .complex(let re, _): return re
    }
  }

  /// The value as NumPy casts it to a 64-bit integer bit pattern (wrapping for integers,
  /// truncation toward zero for floats). `unsigned` selects the unsigned 64-bit rule.
  @inlinable
  func integerBits(width: Int, unsigned: Bool) -> UInt64 {
    switch self {
    case .bool(let b): return b ? 1 : 0
    case .signed(let v): return UInt64(bitPattern: v)
    case .unsigned(let v): return v
    case .real(let x): return Self.floatBits(x, width: width, unsigned: unsigned)
    case .complex(let x, _): return Self.floatBits(x, width: width, unsigned: unsigned)
    }
  }

  @inlinable
  static func floatBits(_ x: Double, width: Int, unsigned: Bool) -> UInt64 {
    switch (width, unsigned) {
    case (64, false): return UInt64(bitPattern: _FloatToInteger.truncated64(x))
    case (64, true): return _FloatToInteger.truncatedUnsigned64(x)
    case (32, true): return UInt64(_FloatToInteger.truncatedUnsigned32(x))
    default: return UInt64(bitPattern: Int64(_FloatToInteger.truncated32(x)))
    }
  }

  /// NumPy's truth value: nonzero (NaN is true).
  @inlinable
  var isNonzero: Bool {
    switch self {
    case .bool(let b): return b
    case .signed(let v): return v != 0
    case .unsigned(let v): return v != 0
    case .real(let v): return v != 0
    case .complex(let re, let im): return re != 0 || im != 0
    }
  }
}

// MARK: - Conformances

extension Bool {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .bool(self) }
  /// Implementation detail of `astype`: nonzero is `true` (`numpy.bool_(x)`).
  @inlinable public init(_castFrom value: _NDArrayCastValue) { self = value.isNonzero }
}

extension Int8 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .signed(Int64(self)) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 8, unsigned: false))
  }
}
extension Int16 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .signed(Int64(self)) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 16, unsigned: false))
  }
}
extension Int32 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .signed(Int64(self)) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 32, unsigned: false))
  }
}
extension Int64 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .signed(self) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 64, unsigned: false))
  }
}
extension UInt8 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .unsigned(UInt64(self)) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 8, unsigned: true))
  }
}
extension UInt16 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .unsigned(UInt64(self)) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 16, unsigned: true))
  }
}
extension UInt32 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .unsigned(UInt64(self)) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 32, unsigned: true))
  }
}
extension UInt64 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .unsigned(self) }
  /// Implementation detail of `astype`: wraps integers, truncates floats (C cast).
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    self.init(truncatingIfNeeded: value.integerBits(width: 64, unsigned: true))
  }
}
extension Float16 {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .real(Double(self)) }
  /// Implementation detail of `astype`: rounds to nearest, overflow gives ±inf.
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    switch value {
    case .signed(let v): self.init(Float(v))
    case .unsigned(let v): self.init(Float(v))
    default: self.init(value.realPart)
    }
  }
}
extension Float {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .real(Double(self)) }
  /// Implementation detail of `astype`: rounds to nearest, overflow gives ±inf.
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    switch value {
    case .signed(let v): self.init(v)
    case .unsigned(let v): self.init(v)
    default: self.init(value.realPart)
    }
  }
}
extension Double {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue { .real(self) }
  /// Implementation detail of `astype`: rounds to nearest.
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    switch value {
    case .signed(let v): self.init(v)
    case .unsigned(let v): self.init(v)
    default: self.init(value.realPart)
    }
  }
}
extension Complex where RealType: NDArrayComplexComponent {
  /// Implementation detail of `astype`.
  @inlinable public var _castValue: _NDArrayCastValue {
    .complex(Double(_castFrom: real._castValue), Double(_castFrom: imaginary._castValue))
  }
  /// Implementation detail of `astype`: real values get a zero imaginary part.
  @inlinable public init(_castFrom value: _NDArrayCastValue) {
    switch value {
    case .complex(let re, let im):
      self.init(RealType(_castFrom: .real(re)), RealType(_castFrom: .real(im)))
    default:
      self.init(RealType(_castFrom: value), 0)
    }
  }
}
