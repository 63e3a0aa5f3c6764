// Creation helpers: ones, arange, linspace, seeded random arrays.

extension NDArray {
  /// An array of ones (`numpy.ones`).
  @inlinable
  public init(ones shape: [Int]) where Element: NDArrayNumeric {
    self.init(shape: shape, repeating: Element(_castFrom: .signed(1)))
  }

  /// Fills a new array in fixed blocks, each with its own generator derived from `seed`
  /// and the block number, so the values do not depend on the thread count.
  @inlinable
  static func _random(
    shape: [Int], seed: UInt64,
    _ draw: (inout SplitMix64) -> Element
  ) -> NDArray {
    let total = NDArray.elementCount(of: shape)
    return NDArray(unsafeUninitializedShape: shape) { out in
      guard let base = out.baseAddress else { return }
      let block = _Parallel.elementBlock
      let o = _UnsafeSendable(base)
      _Parallel.forEach(items: (total + block - 1) / block, elements: total) { item in
        var generator = SplitMix64(seed: seed &+ UInt64(item) &* 0xD1B5_4A32_D192_ED03)
        for i in (item * block)..<Swift.min(total, (item + 1) * block) {
          (o.value + i).initialize(to: draw(&generator))
        }
      }
    }
  }
}

extension NDArray where Element: FixedWidthInteger {
  /// Uniformly random integers over the whole range of `Element`, reproducible from
  /// `seed` (for tests and benchmarks).
  ///
  /// The NumPy equivalent is `rng.integers(min, max + 1, size=shape, dtype=...)` with
  /// `rng = numpy.random.default_rng(seed)` (different values, same distribution).
  @inlinable
  public static func random(shape: [Int], seed: UInt64) -> NDArray {
    _random(shape: shape, seed: seed) { Element(truncatingIfNeeded: $0.next()) }
  }

  /// Uniformly random integers in `range`, reproducible from `seed`
  /// (`rng.integers(low, high, size=shape)`).
  @inlinable
  public static func random(shape: [Int], in range: ClosedRange<Element>, seed: UInt64) -> NDArray {
    _random(shape: shape, seed: seed) { Element.random(in: range, using: &$0) }
  }

  /// `0, 1, …, count − 1` (`numpy.arange(count)`).
  @inlinable
  public static func arange(_ count: Int) -> NDArray {
    NDArray((0..<count).map { Element(truncatingIfNeeded: $0) })
  }
}

extension NDArray where Element: BinaryFloatingPoint, Element.RawSignificand: FixedWidthInteger {
  /// Uniformly random values in `[0, 1)` (or `range`), reproducible from `seed`.
  ///
  /// The NumPy equivalent is `numpy.random.default_rng(seed).random(shape)`
  /// (different values, same distribution).
  @inlinable
  public static func random(shape: [Int], in range: Range<Element> = 0..<1, seed: UInt64) -> NDArray {
    _random(shape: shape, seed: seed) { Element.random(in: range, using: &$0) }
  }

  /// Values from `start` up to (not including) `stop` in steps of `step`:
  /// element `i` is `start + i * step`.
  ///
  /// The NumPy equivalent is `numpy.arange(start, stop, step)`: the length is
  /// `ceil((stop - start) / step)`. Traps when `step` is zero.
  @inlinable
  public static func arange(_ start: Element, _ stop: Element, step: Element = 1) -> NDArray {
    precondition(step != 0, "arange: step must not be zero")
    let length = Swift.max(0, Int((Double(stop - start) / Double(step)).rounded(.up)))
    return NDArray((0..<length).map { start + Element($0) * step })
  }

  /// `count` evenly spaced values from `start` to `stop`; `stop` is included unless
  /// `endpoint` is false.
  ///
  /// The NumPy equivalent is `numpy.linspace(start, stop, num=count, endpoint=endpoint)`;
  /// values are computed in `Double` as NumPy does (`start + i * step`, the last one set to
  /// `stop` exactly). Traps when `count` is negative.
  @inlinable
  public static func linspace(
    _ start: Element, _ stop: Element, count: Int,
    endpoint: Bool = true
  ) -> NDArray {
    precondition(count >= 0, "linspace: number of samples, \(count), must be non-negative")
    let a = Double(start), b = Double(stop)
    let divisions = endpoint ? count - 1 : count
    let delta = b - a
    var values = [Element]()
    values.reserveCapacity(count)
    if divisions > 0 {
      let step = delta / Double(divisions)
      for i in 0..<count {
        values.append(Element(step == 0 ? Double(i) / Double(divisions) * delta + a : Double(i) * step + a))
      }
    } else {
      for i in 0..<count { values.append(Element(Double(i) * delta + a)) }
    }
    if endpoint && count > 1 { values[count - 1] = stop }
    return NDArray(values)
  }
}
