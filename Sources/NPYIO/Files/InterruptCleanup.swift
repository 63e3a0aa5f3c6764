import Dispatch
import Foundation
import _FileSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Removes temporary output files when the process is interrupted, so a Ctrl-C leaves
/// neither a partial output (outputs are renamed into place only when complete) nor
/// temporary files behind.
///
/// Every temporary file this library writes (``NPY/write(_:to:version:byteOrder:order:)``,
/// `NPZWriter`, `NPYStreamWriter`) is registered while it exists; other code can register
/// its own with ``register(_:)``. Nothing happens on a signal until a program opts in with
/// ``install()`` (a library should not take over a host's signals): `normtool` does at
/// start-up. NumPy has no equivalent (`np.save` writes in place).
public enum InterruptCleanup {
  private static let lock = NSLock()
  /// Held while outputs are being renamed into place (``withInterruptsDeferred(_:)``); the
  /// clean-up takes it first, so it never runs in the middle of a commit.
  private static let commitLock = NSLock()
  nonisolated(unsafe) private static var paths: Set<String> = []
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  /// The signals that remove registered paths before the process dies of them.
  public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  /// Adds a file or folder to remove on interruption. Register before creating it.
  public static func register(_ path: String) {
    lock.lock()
    paths.insert(path)
    lock.unlock()
  }

  /// Forgets a path (it was renamed into place or removed).
  public static func unregister(_ path: String) {
    lock.lock()
    paths.remove(path)
    lock.unlock()
  }

  /// The paths registered now (for tests).
  public static var registeredPaths: Set<String> {
    lock.lock()
    defer { lock.unlock() }
    return paths
  }

  /// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove every registered path and
  /// then let the process die of the same signal (so a shell sees status 128 + N). Also
  /// ignores SIGXFSZ, so a write past `ulimit -f` fails with EFBIG (a reported error, and
  /// the temporary file removed) instead of killing the process. Idempotent.
  public static func install() {
    lock.lock()
    defer { lock.unlock() }
    guard sources.isEmpty else { return }
    signal(SIGXFSZ, SIG_IGN)
    for number in signals {
      signal(number, SIG_IGN)  // delivered to the dispatch source instead
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
      source.setEventHandler { removeRegisteredPathsAndDie(of: number) }
      source.resume()
      sources.append(source)
    }
  }

  /// Runs `body` (a commit: several renames that must all happen or none) with the clean-up
  /// deferred: a signal arriving meanwhile is handled once `body` returns, so an interrupted
  /// run is either fully committed or not at all, never half.
  public static func withInterruptsDeferred<Result, Failure: Error>(
    _ body: () throws(Failure) -> Result
  ) throws(Failure) -> Result {
    commitLock.lock()
    defer { commitLock.unlock() }
    return try body()
  }

  /// Waits until no commit is under way, and keeps new ones from starting until
  /// ``resumeCommits()`` (the signal handler never resumes: the process dies).
  static func holdCommits() { commitLock.lock() }

  /// Lets commits start again after ``holdCommits()``.
  static func resumeCommits() { commitLock.unlock() }

  private static func removeRegisteredPathsAndDie(of number: Int32) -> Never {
    holdCommits()
    // Keep the lock: no new temporary path can be registered (and created) after this.
    lock.lock()
    for path in paths {
      if (try? FileKind.of(path, followingSymbolicLinks: false)) == .directory {
        try? FileManager.default.removeItem(atPath: path)
      } else {
        try? PlatformFileCalls.unlink(path)
      }
    }
    signal(number, SIG_DFL)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, number)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    raise(number)
    _exit(128 + number)
  }
}
