// linalg-bench: times NDArray's matmul and Linalg.eigh on random matrices and prints one JSON
// object of median seconds. python-interop/bench/linalg_bench.py times NumPy on matrices of
// the same size in the same run and prints the ratios. Not a test: nothing here asserts.
//
//   linalg-bench matmul-f32 N [repeats]     N×N @ N×N, Float (cblas_sgemm)
//   linalg-bench matmul-f64 N [repeats]     N×N @ N×N, Double (cblas_dgemm)
//   linalg-bench eigh-f64 N [repeats]       Linalg.eigh of a symmetric N×N Double matrix (dsyevd)
import BenchTiming
import Foundation
import NDArray

let arguments = CommandLine.arguments
guard arguments.count >= 3, let n = Int(arguments[2]) else {
  exitWithUsage("usage: linalg-bench matmul-f32|matmul-f64|eigh-f64 N [repeats]")
}
let repeats = arguments.count > 3 ? Int(arguments[3])! : 5
var times: [Double] = []
var check = 0.0
switch arguments[1] {
case "matmul-f32":
  let a = NDArray<Float>.random(shape: [n, n], seed: 1), b = NDArray<Float>.random(shape: [n, n], seed: 2)
  _ = a.matmul(b)  // warm-up: OpenBLAS starts its threads
  for _ in 0..<repeats { times.append(seconds { check = Double(a.matmul(b)[0, 0]) }) }
case "matmul-f64":
  let a = NDArray<Double>.random(shape: [n, n], seed: 1), b = NDArray<Double>.random(shape: [n, n], seed: 2)
  _ = a.matmul(b)
  for _ in 0..<repeats { times.append(seconds { check = a.matmul(b)[0, 0] }) }
case "eigh-f64":
  let m = NDArray<Double>.random(shape: [n, n], seed: 3)
  let symmetric = (m + m.transposed()) * 0.5
  _ = try Linalg.eigh(symmetric)
  for _ in 0..<repeats { times.append(try seconds { check = try Linalg.eigh(symmetric).eigenvalues[item: 0] }) }
default:
  exitWithUsage("linalg-bench: unknown benchmark '\(arguments[1])'")
}
print("{\"seconds\": \(median(times)), \"check\": \(check)}")
