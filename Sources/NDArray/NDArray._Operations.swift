// Element operations as types, so that the generic loops are specialised and the
// operation inlined into them (a closure value would be an indirect call per element).
// Implementation details; no stable API.

@usableFromInline
protocol _BinaryOperation {
  associatedtype Operand
  associatedtype Output
  func callAsFunction(_ a: Operand, _ b: Operand) -> Output
}

@usableFromInline
protocol _UnaryOperation {
  associatedtype Input
  associatedtype Output
  func callAsFunction(_ x: Input) -> Output
}

@usableFromInline
struct _Add<E: NDArrayNumeric>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E { E._add(a, b) }
}
@usableFromInline
struct _Subtract<E: NDArrayNumeric>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E { E._subtract(a, b) }
}
@usableFromInline
struct _Multiply<E: NDArrayNumeric>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E { E._multiply(a, b) }
}
@usableFromInline
struct _Divide<E: NDArrayDivisible>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E { E._divide(a, b) }
}
/// NumPy's `minimum`: the smaller, NaN if either is NaN.
@usableFromInline
struct _Minimum<E: NDArrayRealElement>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E { (a < b || a != a) ? a : b }
}
/// NumPy's `maximum`: the larger, NaN if either is NaN.
@usableFromInline
struct _Maximum<E: NDArrayRealElement>: _BinaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ a: E, _ b: E) -> E { (a > b || a != a) ? a : b }
}
/// Any closure, for the public closure-taking entry points.
@usableFromInline
struct _ClosureBinary<A, R>: _BinaryOperation {
  @usableFromInline let body: (A, A) -> R
  @inlinable init(_ body: @escaping (A, A) -> R) { self.body = body }
  @inlinable func callAsFunction(_ a: A, _ b: A) -> R { body(a, b) }
}
@usableFromInline
struct _ClosureUnary<A, R>: _UnaryOperation {
  @usableFromInline let body: (A) -> R
  @inlinable init(_ body: @escaping (A) -> R) { self.body = body }
  @inlinable func callAsFunction(_ x: A) -> R { body(x) }
}
/// NumPy's cast (`astype`), through the generic cast value.
@usableFromInline
struct _Cast<S: NDArrayElement, T: NDArrayElement>: _UnaryOperation {
  @inlinable init() {}
  @inlinable @inline(__always) func callAsFunction(_ x: S) -> T { T(_castFrom: x._castValue) }
}
