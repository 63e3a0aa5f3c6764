// ml-bench: times the NDArray operations ML code leans on and prints one JSON object of
// median seconds. python-interop/bench/ml_bench.py times NumPy on arrays of the same size in
// the same run and prints the ratios (matmul and eigh: linalg-bench). Not a test: nothing
// here asserts.
//
//   ml-bench sort-f32 N [repeats]        sorted() of N uniform Floats (np.sort)
//   ml-bench take N [repeats]            take(N/2 random rows, axis: 0) of (N, 224, 224, 3) UInt8
//   ml-bench mask N [repeats]            a[mask] of (N, 224, 224, 3) UInt8, half the rows set
//   ml-bench normal N [repeats]          NumPyRandomGenerator.standardNormal(shape: [N])
import BenchTiming
import Foundation
import NDArray

let arguments = CommandLine.arguments
guard arguments.count >= 3, let n = Int(arguments[2]) else {
  exitWithUsage("usage: ml-bench sort-f32|take|mask|normal N [repeats]")
}
let repeats = arguments.count > 3 ? Int(arguments[3])! : 5
var times: [Double] = []
var check = 0.0
switch arguments[1] {
case "sort-f32":
  let a = NDArray<Float>.random(shape: [n], seed: 1)
  _ = a.sorted()
  for _ in 0..<repeats { times.append(seconds { check = Double(a.sorted()[item: n / 2]) }) }
case "take", "mask":
  let images = NDArray<UInt8>(shape: [n, 224, 224, 3], repeating: 7)
  var generator = NumPyRandomGenerator(seed: 1)
  let rows = generator.permutation(n).flatElements.prefix(n / 2).map { Int($0) }
  var flags = [Bool](repeating: false, count: n)
  for row in rows { flags[row] = true }
  let mask = NDArray<Bool>(flags)
  let work: () -> NDArray<UInt8> = arguments[1] == "take" ? { images.take(rows, axis: 0) } : { images[mask] }
  _ = work()
  for _ in 0..<repeats { times.append(seconds { check = Double(work().shape[0]) }) }
case "normal":
  var warmUp = NumPyRandomGenerator(seed: 1)
  _ = warmUp.standardNormal(shape: [n])
  for _ in 0..<repeats {
    var generator = NumPyRandomGenerator(seed: 2)
    times.append(seconds { check = generator.standardNormal(shape: [n])[item: 0] })
  }
default:
  exitWithUsage("ml-bench: unknown benchmark '\(arguments[1])'")
}
print("{\"seconds\": \(median(times)), \"check\": \(check)}")
