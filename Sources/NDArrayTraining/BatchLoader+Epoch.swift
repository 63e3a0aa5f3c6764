import Dispatch
import NDArray

extension BatchLoader {
  /// One pass over the dataset in a fixed order: a `Sequence` of `(x, y)` batches.
  ///
  /// The PyTorch equivalent is `iter(loader)` for one epoch. Each iterator prefetches: while
  /// the caller holds batch `i`, batch `i + 1` is gathered on a background thread.
  public struct Epoch: Sequence, Sendable {
    /// The loader whose data and batch size this epoch uses.
    public let loader: BatchLoader
    /// The sample indices in the order this epoch visits them (`rng.permutation(n)`).
    public let order: [Int]

    /// The number of batches (`len(loader)`).
    public var count: Int { loader.batchCount }

    /// An iterator that starts gathering the first batch at once, on a background thread.
    public func makeIterator() -> Iterator { Iterator(epoch: self) }

    /// Walks the batches of one ``Epoch``, one batch prepared ahead (PyTorch's
    /// `prefetch_factor=1` with one worker).
    public struct Iterator: IteratorProtocol {
      private let epoch: Epoch
      private var nextNumber = 0
      private var pending: _PendingBatch<(x: NDArray<Feature>, y: NDArray<Label>)>?

      init(epoch: Epoch) {
        self.epoch = epoch
        pending = Self.prepare(0, of: epoch)
      }

      /// Whether the batch after the last one returned is already being gathered.
      var hasPrefetchedBatch: Bool { pending != nil }

      /// The next `(x, y)` batch (`next(it)`), or nil after the last one.
      public mutating func next() -> (x: NDArray<Feature>, y: NDArray<Label>)? {
        guard let current = pending else { return nil }
        nextNumber += 1
        pending = Self.prepare(nextNumber, of: epoch)
        return current.wait()
      }

      private static func prepare(_ number: Int, of epoch: Epoch)
        -> _PendingBatch<(x: NDArray<Feature>, y: NDArray<Label>)>?
      {
        guard number < epoch.loader.batchCount else { return nil }
        let loader = epoch.loader, order = epoch.order
        return _PendingBatch { loader.batch(number, order: order) }
      }
    }
  }
}

/// A value computed on a background queue, waited for once.
final class _PendingBatch<Value>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var value: Value?

  init(_ work: @escaping @Sendable () -> Value) {
    DispatchQueue.global(qos: .userInitiated).async {
      self.value = work()
      self.done.signal()
    }
  }

  /// Blocks until the value is ready and returns it (the semaphore orders the write before the read).
  func wait() -> Value {
    done.wait()
    return value!
  }
}
