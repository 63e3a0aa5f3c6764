import Foundation

/// Runs `produce` for indices `0..<count` on `jobs` threads and hands the results to
/// `consume` on the calling thread strictly in index order.
///
/// At most `window` results wait between the two, so memory stays bounded whatever
/// `count` is. `produce` must be safe to call concurrently. When `produce` or `consume`
/// throws, no new work starts, running work finishes, and the first error (in index order
/// for `produce`) is rethrown.
///
/// The result is the same as `for i in 0..<count { try consume(i, produce(i)) }`.
func orderedParallelMap<Value>(
  count: Int, jobs: Int, window: Int,
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
    try consume(i, try result.get())
  }
}

/// The shared state of ``orderedParallelMap``: a lock, the next index to hand out, the
/// next index to consume, and the results waiting in between.
private final class _PipelineState<Value>: @unchecked Sendable {
  let condition = NSCondition()
  let count: Int
  let window: Int
  var nextToProduce = 0
  var nextToConsume = 0
  var finished: [Int: Result<Value, any Error>] = [:]
  var cancelled = false
  var runningWorkers = 0

  init(count: Int, window: Int, workers: Int) {
    self.count = count
    self.window = window
    self.runningWorkers = workers
  }

  func work(_ produce: (Int) throws -> Value) {
    condition.lock()
    while true {
      while !cancelled && nextToProduce < count && nextToProduce >= nextToConsume + window {
        condition.wait()
      }
      if cancelled || nextToProduce >= count { break }
      let index = nextToProduce
      nextToProduce += 1
      condition.unlock()
      let result = Result { try produce(index) }
      condition.lock()
      finished[index] = result
      condition.broadcast()
    }
    runningWorkers -= 1
    condition.broadcast()
    condition.unlock()
  }

  func take(_ index: Int) -> Result<Value, any Error> {
    condition.lock()
    defer { condition.unlock() }
    while finished[index] == nil { condition.wait() }
    let result = finished.removeValue(forKey: index)!
    nextToConsume = index + 1
    condition.broadcast()
    return result
  }

  func cancelAndWait() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    while runningWorkers > 0 { condition.wait() }
    condition.unlock()
  }
}
