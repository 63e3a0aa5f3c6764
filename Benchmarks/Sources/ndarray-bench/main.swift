// ndarray-bench: times NDArray operations and the same operations in NumPy, in one run,
// and prints NumPy time / our time (median of 5 runs each).
//
//   swift run -c release --package-path Benchmarks ndarray-bench [--quick] [--repeat N]
//
// The NumPy side is python-interop/bench/ndarray_bench.py, spawned by this program; it
// prints JSON with its medians. `--ours-only` skips NumPy (for profiling our side).
import Foundation
import NDArray

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let repeatCount: Int = {
  let all = CommandLine.arguments
  if let i = all.firstIndex(of: "--repeat"), i + 1 < all.count { return Int(all[i + 1]) ?? 5 }
  return 5
}()
let imageCount = quick ? 100 : 1000
let shape = [imageCount, 224, 224, 3]

func median(_ values: [Double]) -> Double {
  let s = values.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Median wall time of `body` over `repeatCount` runs; `sink` keeps results alive.
nonisolated(unsafe) var sink: [Any] = []
@MainActor func time(_ body: () -> Any) -> Double {
  var times: [Double] = []
  let clock = ContinuousClock()
  for _ in 0..<repeatCount {
    var result: Any = 0
    let elapsed = clock.measure { result = body() }
    sink = [result]
    sink.removeAll()
    times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }
  return median(times)
}

/// Runs the NumPy half and returns its medians by operation name.
@MainActor func numpyTimes() -> (version: String, seconds: [String: Double]) {
  // The repository root: four levels above Benchmarks/Sources/ndarray-bench/main.swift.
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let script = root.appendingPathComponent("python-interop/bench/ndarray_bench.py").path
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", script, "--repeat", String(repeatCount)] + (quick ? ["--quick"] : [])
  let pipe = Pipe()
  process.standardOutput = pipe
  do { try process.run() } catch {
    FileHandle.standardError.write("ndarray-bench: cannot run python3 \(script): \(error)\n".data(using: .utf8)!)
    exit(1)
  }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0,
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
    let seconds = object["seconds"] as? [String: Double]
  else {
    FileHandle.standardError.write(
      "ndarray-bench: the NumPy script failed (status \(process.terminationStatus))\n".data(using: .utf8)!)
    exit(1)
  }
  return (object["numpy"] as? String ?? "?", seconds)
}

let profileOnly = arguments.contains("--ours-only")
print("ndarray-bench: shape \(shape), median of \(repeatCount)\(profileOnly ? "" : "; timing NumPy first…")")
let numpy = profileOnly ? (version: "not run", seconds: [String: Double]()) : numpyTimes()

let x8 = NDArray<UInt8>.random(shape: shape, seed: 0)
let x32 = x8.astype(Float.self) / Float(255)
let channelMean = NDArray<Float>([0.485, 0.456, 0.406])
let channelStd = NDArray<Float>([0.229, 0.224, 0.225])
let axes = [0, 1, 2]

/// `--only TEXT` times only the operations whose name contains TEXT (for profiling).
let only: String? = {
  let all = CommandLine.arguments
  if let i = all.firstIndex(of: "--only"), i + 1 < all.count { return all[i + 1] }
  return nil
}()
var ours: [(String, Double)] = []
@MainActor func measure(_ name: String, _ body: () -> Any) {
  if let only, !name.contains(only) { return }
  ours.append((name, time(body)))
}
measure("mean (0,1,2) uint8") { x8.mean(axes: axes) }
measure("std (0,1,2) uint8") { x8.std(axes: axes) }
measure("mean (0,1,2) float32") { x32.mean(axes: axes) }
measure("std (0,1,2) float32") { x32.std(axes: axes) }
measure("sum all uint8") { x8.sum() }
measure("sum all float32") { x32.sum() }
measure("(x - mean) / std new float32") { (x32 - channelMean) / channelStd }
var y = x32
y.makeUnique()
measure("(x - mean) / std in place float32") {
  y -= channelMean
  y /= channelStd
  return 0
}
measure("astype uint8 -> float32") { x8.astype(Float.self) }

let targets: [String: Double] = [
  "mean (0,1,2) uint8": 10, "std (0,1,2) uint8": 10, "mean (0,1,2) float32": 10,
  "std (0,1,2) float32": 10, "(x - mean) / std new float32": 2,
  "(x - mean) / std in place float32": 2,
]
let cpu =
  (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
  .split(separator: "\n").first { $0.hasPrefix("model name") }
  .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
print("NumPy \(numpy.version), \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date())")
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
print(pad("operation", 36) + pad("NumPy s", 10) + pad("ours s", 10) + pad("ratio", 8) + "target")
for (name, seconds) in ours {
  let theirs = numpy.seconds[name] ?? .nan
  let ratio = theirs / seconds
  let target = targets[name] ?? 1
  let verdict = theirs.isNaN ? "(NumPy not run)" : ratio >= target ? "ok" : "MISSED"
  print(
    pad(name, 36) + pad(String(format: "%.4f", theirs), 10) + pad(String(format: "%.4f", seconds), 10)
      + pad(String(format: "%.1fx", ratio), 8) + "≥\(Int(target))x \(verdict)")
}
