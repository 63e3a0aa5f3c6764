import Dispatch
import Foundation
import Testing

@testable import NDArrayTraining

/// The prefetch under `Epoch.Iterator`: work starts at once on another thread and the
/// caller only waits when it asks for the value.
@Suite struct PrefetchTests {
  @Test func pendingBatchRunsOnAnotherThreadWithoutBlockingTheCaller() {
    let release = DispatchSemaphore(value: 0)
    let callerThread = pthread_self()
    let pending = _PendingBatch { () -> Bool in
      release.wait()  // blocks until the caller lets it finish
      return pthread_equal(pthread_self(), callerThread) == 0
    }
    // init returned while the work is still blocked: it did not run on this thread.
    release.signal()
    #expect(pending.wait() == true)
  }

  @Test func theIteratorPreparesTheNextBatchBeforeItIsAskedFor() throws {
    let (x, y) = labelledSamples(6)
    let loader = try BatchLoader(x: x, y: y, batchSize: 2, seed: 11)
    var iterator = loader.epoch(0).makeIterator()
    let first = iterator.next()
    #expect(iterator.hasPrefetchedBatch)
    #expect(first?.y.flatElements == Array(loader.order(ofEpoch: 0).prefix(2)).map { Int64($0 * 10) })
    _ = iterator.next(); _ = iterator.next()
    #expect(!iterator.hasPrefetchedBatch)
    #expect(iterator.next() == nil)
  }
}
