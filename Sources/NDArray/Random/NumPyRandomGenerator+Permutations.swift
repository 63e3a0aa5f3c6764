// Orderings and samples: Generator.permutation, Generator.shuffle, Generator.choice.

extension NumPyRandomGenerator {
  /// A random ordering of `0..<n` (`rng.permutation(n)`), as NumPy's int64 array.
  ///
  /// NumPy shuffles `np.arange(n)` in place (`rng.shuffle`); so does this.
  /// Traps if `n` is negative.
  public mutating func permutation(_ n: Int) -> NDArray<Int64> {
    precondition(n >= 0, "permutation: negative length \(n)")
    var order = (0..<Int64(n)).map { $0 }
    shuffle(&order)
    return NDArray(order)
  }

  /// Shuffles the elements of a Swift array in place as `rng.shuffle(x)` shuffles a 1-d
  /// NumPy array: Fisher–Yates from the end, swapping `x[i]` with `x[j]`, `j` uniform in
  /// `0...i`, drawn by NumPy's masked rejection (`random_interval`).
  ///
  /// Swift's `shuffle(using:)` draws differently; use this to match NumPy.
  public mutating func shuffle<T>(_ elements: inout [T]) {
    guard elements.count > 1 else { return }
    for i in stride(from: elements.count - 1, to: 0, by: -1) {
      let j = Int(interval(UInt64(i)))
      elements.swapAt(i, j)
    }
  }

  /// Shuffles an array along its first axis (`rng.shuffle(x)`, `axis=0`): the rows of a
  /// 2-d array, the samples of an (N, H, W, C) batch. Same draws as NumPy for any number
  /// of dimensions. The result is contiguous.
  ///
  /// Traps on a zero-dimensional array (NumPy raises `TypeError`).
  public mutating func shuffle<Element>(_ array: inout NDArray<Element>) {
    precondition(!array.shape.isEmpty, "shuffle: cannot shuffle a 0-d array")
    let rows = array.shape[0]
    guard rows > 1 else { return }
    var order = Array(0..<rows)
    shuffle(&order)
    let flat = array.flatElements
    let rowSize = flat.count / rows
    var shuffled: [Element] = []
    shuffled.reserveCapacity(flat.count)
    for row in order { shuffled.append(contentsOf: flat[row * rowSize..<(row + 1) * rowSize]) }
    array = NDArray(shuffled, shape: array.shape)
  }

  /// `size` samples of `0..<n` (`rng.choice(n, size, replace=replace, shuffle=shuffle)`),
  /// as NumPy's int64 array.
  ///
  /// With replacement this is `integers(low: 0, high: n, count: size)`, as in NumPy.
  /// Without, NumPy's two algorithms, chosen as NumPy chooses them: for a large population
  /// (`n > 10000`) and a large sample (`size > n / 50`, or `n / 20` with `shuffle: false`)
  /// a partial Fisher–Yates from the end of `arange(n)`, keeping the last `size` values;
  /// otherwise Floyd's algorithm, then (if `shuffle`) a Fisher–Yates of the sample. Both
  /// draw with Lemire's bounded integers (`random_bounded_uint64`).
  ///
  /// Traps if `size` is negative, if `n` is negative or zero while `size` is not, or if
  /// `size > n` without replacement (NumPy raises `ValueError`).
  public mutating func choice(_ n: Int, size: Int, replace: Bool = true, shuffle: Bool = true) -> NDArray<Int64> {
    precondition(size >= 0, "choice: negative size \(size)")
    precondition(
      n > 0 || (n == 0 && size == 0), "choice: population must be positive unless no samples are taken, got \(n)")
    if replace {
      return size == 0 ? NDArray<Int64>(zeros: [0]) : integers(low: 0, high: Int64(n), count: size)
    }
    precondition(
      size <= n, "choice: cannot take a larger sample (\(size)) than the population (\(n)) when replace is false")
    let cutoff = shuffle ? 50 : 20
    if n > 10000 && size > n / cutoff {
      return NDArray(tailShuffleSample(n, size: size))
    }
    var sample = floydSample(n, size: size)
    if shuffle { shuffleBounded(&sample) }
    return NDArray(sample)
  }

  /// NumPy's tail shuffle for `choice`: shuffle positions `n-1` down to
  /// `max(n - size, 1)` of `arange(n)` and keep the last `size`.
  mutating func tailShuffleSample(_ n: Int, size: Int) -> [Int64] {
    var indices = (0..<Int64(n)).map { $0 }
    for i in stride(from: n - 1, through: max(n - size, 1), by: -1) {
      indices.swapAt(i, Int(boundedUInt64(UInt64(i))))
    }
    return Array(indices[(n - size)...])
  }

  /// Floyd's algorithm as NumPy runs it: for `j` in `n-size ..< n` draw `v` in `0...j`;
  /// take `v` unless already taken, else take `j`.
  mutating func floydSample(_ n: Int, size: Int) -> [Int64] {
    var taken = Set<Int64>(minimumCapacity: size)
    var sample: [Int64] = []
    sample.reserveCapacity(size)
    for j in (n - size)..<n {
      let value = Int64(boundedUInt64(UInt64(j)))
      let pick = taken.contains(value) ? Int64(j) : value
      taken.insert(pick)
      sample.append(pick)
    }
    return sample
  }

  /// NumPy's `_shuffle_int`: Fisher–Yates from the end with Lemire's bounded integers.
  mutating func shuffleBounded(_ values: inout [Int64]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      values.swapAt(i, Int(boundedUInt64(UInt64(i))))
    }
  }
}
