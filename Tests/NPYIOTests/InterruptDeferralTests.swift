import Dispatch
import Foundation
import Testing

@testable import NPYIO

/// An interrupt's clean-up waits for a commit under way (``InterruptCleanup/withInterruptsDeferred(_:)``),
/// so a run with several outputs is committed whole or not at all.
@Suite struct InterruptDeferralTests {
  final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
  }

  @Test func theCleanUpWaitsForACommitUnderWay() {
    let committed = Flag()
    let inside = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      InterruptCleanup.withInterruptsDeferred { () -> Void in
        inside.signal()
        usleep(300_000)  // the renames of a commit, slowed down
        committed.set()
      }
      done.signal()
    }
    inside.wait()
    // What the signal handler does first: it must not get past this until the commit ends.
    InterruptCleanup.holdCommits()
    let sawTheWholeCommit = committed.isSet
    InterruptCleanup.resumeCommits()
    done.wait()
    #expect(sawTheWholeCommit)
  }

  @Test func aFailingCommitStillLetsTheCleanUpRun() {
    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try InterruptCleanup.withInterruptsDeferred { () throws(Failure) in throw Failure() }
    }
    InterruptCleanup.holdCommits()  // would wait forever if the failure kept the lock
    InterruptCleanup.resumeCommits()
  }
}
