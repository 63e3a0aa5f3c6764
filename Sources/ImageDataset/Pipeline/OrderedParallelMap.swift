import Foundation

/// Runs `produce` for indices `0..<count` on `jobs` threads and hands the results to
/// `consume` on the calling thread strictly in index order.
///
/// At most `window` results wait between the two, so memory stays bounded whatever
/// `count` is; `resizeWindow`, when given, sets the window from the first result (the
/// caller knows then what one result weighs). Workers take consecutive indices in chunks
/// of `window / (2 · jobs)` (at most 64), so small items cost one hand-off per chunk, not
/// per item.
/// `produce` must be safe to call concurrently. When `produce` or `consume` throws, no new
/// work starts, running work finishes, and the first error (in index order for `produce`)
/// is rethrown.
///
/// The result is the same as `for i in 0..<count { try consume(i, produce(i)) }`.
func orderedParallelMap<Value>(
  count: Int, jobs: Int, window: Int,
  resizeWindow: ((Value) -> Int)? = nil,
  produce: @escaping @Sendable (Int) throws -> Value,
  consume: (Int, Value) throws -> Void
) throws {
  if count == 0 { return }
  let jobs = Swift.max(1, Swift.min(jobs, count))
  if jobs == 1 {
    for i in 0..<count { try consume(i, try produce(i)) }
    return
  }
  let state = _PipelineState<Value>(count: count, window: Swift.max(window, jobs), workers: jobs)
  for _ in 0..<jobs {
    let thread = Thread { state.work(produce) }
    thread.stackSize = 8 << 20
    thread.start()
  }
  defer { state.cancelAndWait() }
  for i in 0..<count {
    let result = state.take(i)
    let value = try result.get()
    if i == 0, let resizeWindow { state.setWindow(resizeWindow(value)) }
    try consume(i, value)
  }
}

/// The shared state of ``orderedParallelMap``: a lock, the next index to hand out, the
/// next index to consume, and the results waiting in between.
///
/// Two condition variables on one mutex, and wake-ups only for a thread that waits for
/// exactly what happened (the consumer for the index it needs, one worker per slot freed
/// in the window): with small images the hand-off is per image, and waking every thread
/// for every result cost more CPU than decoding a 32×32 PNG.
private final class _PipelineState<Value>: @unchecked Sendable {
  let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  /// The consumer waits here for `awaited`; `cancelAndWait` for the workers to end.
  let consumerCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  /// Workers wait here for room in the window.
  let workerCondition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  let count: Int
  var window: Int
  var nextToProduce = 0
  var nextToConsume = 0
  var finished: [Int: Result<Value, any Error>] = [:]
  var cancelled = false
  var runningWorkers = 0
  /// The index the consumer is waiting for, or -1.
  var awaited = -1
  /// Workers waiting for room in the window.
  var idleWorkers = 0

  init(count: Int, window: Int, workers: Int) {
    self.count = count
    self.window = window
    self.workers = workers
    self.runningWorkers = workers
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(consumerCondition, nil)
    pthread_cond_init(workerCondition, nil)
  }

  deinit {
    pthread_cond_destroy(workerCondition)
    pthread_cond_destroy(consumerCondition)
    pthread_mutex_destroy(mutex)
    workerCondition.deallocate()
    consumerCondition.deallocate()
    mutex.deallocate()
  }

  /// Consecutive indices a worker takes at once.
  var chunk: Int { Swift.max(1, Swift.min(64, window / (2 * workers))) }
  let workers: Int

  /// Whether a worker may take its next chunk now.
  var hasRoom: Bool {
    nextToProduce + Swift.min(chunk, count - nextToProduce) <= nextToConsume + window
  }

  func work(_ produce: (Int) throws -> Value) {
    pthread_mutex_lock(mutex)
    while true {
      while !cancelled && nextToProduce < count && !hasRoom {
        idleWorkers += 1
        pthread_cond_wait(workerCondition, mutex)
        idleWorkers -= 1
      }
      if cancelled || nextToProduce >= count { break }
      let first = nextToProduce
      let end = Swift.min(count, first + chunk)
      nextToProduce = end
      pthread_mutex_unlock(mutex)
      var results: [Result<Value, any Error>] = []
      results.reserveCapacity(end - first)
      for index in first..<end { results.append(Result { try produce(index) }) }
      pthread_mutex_lock(mutex)
      for (offset, result) in results.enumerated() { finished[first + offset] = result }
      if awaited >= first && awaited < end { pthread_cond_signal(consumerCondition) }
    }
    runningWorkers -= 1
    pthread_cond_broadcast(consumerCondition)
    pthread_mutex_unlock(mutex)
  }

  func take(_ index: Int) -> Result<Value, any Error> {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while finished[index] == nil {
      awaited = index
      pthread_cond_wait(consumerCondition, mutex)
    }
    awaited = -1
    let result = finished.removeValue(forKey: index)!
    nextToConsume = index + 1
    if idleWorkers > 0 && hasRoom { pthread_cond_signal(workerCondition) }
    return result
  }

  /// A new window (at least the number of workers), for the chunks not yet taken.
  func setWindow(_ newWindow: Int) {
    pthread_mutex_lock(mutex)
    window = Swift.max(newWindow, workers)
    pthread_cond_broadcast(workerCondition)
    pthread_mutex_unlock(mutex)
  }

  func cancelAndWait() {
    pthread_mutex_lock(mutex)
    cancelled = true
    pthread_cond_broadcast(workerCondition)
    while runningWorkers > 0 { pthread_cond_wait(consumerCondition, mutex) }
    pthread_mutex_unlock(mutex)
  }
}
