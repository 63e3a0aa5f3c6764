import Dispatch
import Foundation
import Synchronization

/// Runs numbered work items on several threads.
///
/// The work is always cut into the same items, whatever the thread count, and callers
/// combine the items' results in item order: results never depend on how many threads
/// ran. Implementation detail; this type provides no stable API.
@usableFromInline
enum _Parallel {
  /// Test knob: when nonzero, the number of threads to use instead of the core count,
  /// for the current task (`_Parallel.$threadCountOverride.withValue(3) { … }`), even for
  /// small arrays. Changing it never changes a result, only which thread computes which
  /// item.
  @TaskLocal
  static var threadCountOverride = 0

  /// Below this many elements of work, everything runs on the calling thread.
  @usableFromInline
  static let minimumParallelElements = 1 << 17

  @usableFromInline
  static func _forcedThreadCount() -> Int { threadCountOverride }

  /// The number of threads to use for `items` work items covering `elements` elements.
  @inlinable
  static func threadCount(items: Int, elements: Int) -> Int {
    let forced = _forcedThreadCount()
    let cores = forced > 0 ? forced : ProcessInfo.processInfo.activeProcessorCount
    if forced == 0 && elements < minimumParallelElements { return 1 }
    return Swift.max(1, Swift.min(cores, items))
  }

  /// Calls `body(item)` for every item in `0..<items`, spread over threads: each thread
  /// takes the next unclaimed item until none is left (so a thread the system delays does
  /// not hold up the others). Returns when all are done. Which thread runs an item never
  /// affects the result: items are fixed and callers combine them in item order.
  @inlinable
  static func forEach(items: Int, elements: Int, _ body: (Int) -> Void) {
    if items <= 0 { return }
    let threads = threadCount(items: items, elements: elements)
    if threads == 1 {
      for item in 0..<items { body(item) }
      return
    }
    let next = Atomic<Int>(0)
    withoutActuallyEscaping(body) { body in
      let box = _UnsafeSendable(body)
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
          let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if item >= items { break }
          box.value(item)
        }
      }
    }
  }
}

/// Carries a non-`Sendable` value (a pointer, a closure) into work that the caller
/// synchronises itself. Implementation detail; this type provides no stable API.
@usableFromInline
struct _UnsafeSendable<Value>: @unchecked Sendable {
  @usableFromInline let value: Value
  @inlinable init(_ value: Value) { self.value = value }
}
