import NDArray

/// Minibatches `(x, y)` of a dataset in a seeded, NumPy-reproducible order.
///
/// The PyTorch equivalent is `DataLoader(TensorDataset(x, y), batch_size, shuffle,
/// drop_last)` (Keras: `Model.fit(x, y, batch_size, shuffle=True)`); the order matches what
/// NumPy code writes by hand:
///
/// ```python
/// rng = np.random.default_rng(seed)
/// for epoch in range(epochs):
///     perm = rng.permutation(n)            # one call per epoch, on one generator
///     for i in range(0, n, batch_size):
///         yield x[perm[i:i + batch_size]], y[perm[i:i + batch_size]]
/// ```
///
/// `epoch(k)` is epoch `k` of that loop: the `k + 1`-th `permutation(n)` of
/// `np.random.default_rng(seed)`. Iterating an ``Epoch`` prepares the next batch on a
/// background thread while the caller works on the current one (one batch ahead, never more).
/// With `shuffle: false` the order is the file order and batches are views of `x` and `y`;
/// shuffled batches are gathered with `take` (their own storage). Sources are opened
/// memory-mapped where possible (``init(contentsOf:batchSize:shuffle:seed:dropLast:)``).
public struct BatchLoader<Feature: NDArrayElement, Label: NDArrayElement>: Sendable {
  /// All samples, the first axis indexing them (`x`).
  public let x: NDArray<Feature>
  /// One label (or label row) per sample (`y`).
  public let y: NDArray<Label>
  /// Samples per batch (`batch_size`); the last batch is smaller unless ``dropLast``.
  public let batchSize: Int
  /// Whether each epoch visits the samples in a fresh random order (`shuffle=True`).
  public let shuffle: Bool
  /// The seed of the one generator the epoch orders come from (`np.random.default_rng(seed)`).
  public let seed: UInt64
  /// Whether an incomplete last batch is left out (`drop_last=True`).
  public let dropLast: Bool

  /// A loader over arrays already in memory (or mapped): `TensorDataset(x, y)` with a
  /// `DataLoader`. `x` and `y` must have the same first dimension.
  public init(
    x: NDArray<Feature>, y: NDArray<Label>, batchSize: Int, shuffle: Bool = true,
    seed: UInt64 = 0, dropLast: Bool = false
  ) throws {
    try self.init(
      x: x, y: y, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
      source: "arrays")
  }

  init(
    x: NDArray<Feature>, y: NDArray<Label>, batchSize: Int, shuffle: Bool, seed: UInt64,
    dropLast: Bool, source: String
  ) throws {
    guard batchSize > 0 else { throw BatchLoaderError.invalidBatchSize(batchSize) }
    guard !x.shape.isEmpty else { throw BatchLoaderError.zeroDimensional(file: source, name: "x") }
    guard !y.shape.isEmpty else { throw BatchLoaderError.zeroDimensional(file: source, name: "y") }
    guard x.shape[0] == y.shape[0] else {
      throw BatchLoaderError.lengthMismatch(file: source, samples: x.shape[0], labels: y.shape[0])
    }
    self.x = x
    self.y = y
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.seed = seed
    self.dropLast = dropLast
  }

  /// The number of samples (`len(dataset)`).
  public var sampleCount: Int { x.shape[0] }

  /// Batches per epoch (`len(loader)`): `ceil(n / batchSize)`, or `floor` with ``dropLast``.
  public var batchCount: Int {
    dropLast ? sampleCount / batchSize : (sampleCount + batchSize - 1) / batchSize
  }

  /// The sample order of epoch `index` (0-based): `rng.permutation(n)` called for the
  /// `index + 1`-th time on `rng = np.random.default_rng(seed)`, or `0..<n` without shuffling.
  public func order(ofEpoch index: Int) -> [Int] {
    precondition(index >= 0, "epoch index must be non-negative, got \(index)")
    guard shuffle else { return Array(0..<sampleCount) }
    var generator = NumPyRandomGenerator(seed: seed)
    var permutation = generator.permutation(sampleCount)
    for _ in 0..<index { permutation = generator.permutation(sampleCount) }
    return permutation.flatElements.map { Int($0) }
  }

  /// The batches of epoch `index` (0-based), a `Sequence` of `(x, y)` pairs.
  public func epoch(_ index: Int) -> Epoch {
    Epoch(loader: self, order: order(ofEpoch: index))
  }

  /// Epochs 0, 1, … `count - 1` in turn, each with its own order, drawing the permutations
  /// lazily from one generator as a training loop does (no replay per epoch, one order in
  /// memory at a time).
  public func epochs(_ count: Int) -> Epochs {
    precondition(count >= 0, "epoch count must be non-negative, got \(count)")
    return Epochs(loader: self, remaining: count, generator: NumPyRandomGenerator(seed: seed))
  }

  /// Consecutive epochs from 0 (`for epoch in range(count)` around a PyTorch `DataLoader`),
  /// a `Sequence` of ``Epoch``s whose orders are successive `rng.permutation(n)` calls.
  public struct Epochs: Sequence, IteratorProtocol, Sendable {
    let loader: BatchLoader
    var remaining: Int
    var generator: NumPyRandomGenerator

    /// The next epoch (`next(it)`), or nil after the last.
    public mutating func next() -> Epoch? {
      guard remaining > 0 else { return nil }
      remaining -= 1
      guard loader.shuffle else { return Epoch(loader: loader, order: Array(0..<loader.sampleCount)) }
      return Epoch(loader: loader, order: generator.permutation(loader.sampleCount).flatElements.map { Int($0) })
    }
  }

  /// Batch `number` of an epoch whose order is `order`: `x[order[i:i+b]], y[order[i:i+b]]`.
  func batch(_ number: Int, order: [Int]) -> (x: NDArray<Feature>, y: NDArray<Label>) {
    let start = number * batchSize
    let end = Swift.min(start + batchSize, sampleCount)
    if !shuffle { return (x[start..<end], y[start..<end]) }
    let picked = Array(order[start..<end])
    return (x.take(picked, axis: 0), y.take(picked, axis: 0))
  }
}
