extension NDArray {
  /// A new C-contiguous array of `transform` applied to every element, in C order.
  ///
  /// The NumPy equivalent is `numpy.vectorize(f)(a)` (or a ufunc). `transform` runs on
  /// the calling thread, element by element.
  @inlinable
  public func map<T: NDArrayElement>(_ transform: (Element) throws -> T) rethrows -> NDArray<T> {
    let source = contiguous()
    let total = source.count
    return try source.withUnsafeStridedStorage { base, offset, _, _ in
      try NDArray<T>(unsafeUninitializedShape: shape) { out in
        let input = base + offset
        // Element types are trivial: if `transform` throws, the partly written buffer
        // is simply freed.
        for i in 0..<total { (out.baseAddress! + i).initialize(to: try transform(input[i])) }
      }
    }
  }
}
