// What every benchmark program here shares: a wall-clock timer, the median, and the usage
// exit. Not a test: nothing here asserts.
import Foundation

/// Wall-clock seconds that `body` takes (Python's `time.perf_counter` around a call).
public func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The median of `values` (the upper one of an even count), as the benchmark scripts report.
public func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Prints `message` on stderr and exits with status 2 (a usage error).
public func exitWithUsage(_ message: String) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  exit(2)
}
