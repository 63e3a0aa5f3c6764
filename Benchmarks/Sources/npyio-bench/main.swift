// npyio-bench: times NPYIO on files that python-interop/bench/npyio_bench.py prepares, and
// prints one JSON object of median seconds. The Python script times NumPy on the same data
// in the same run and prints the ratios. Not a test: nothing here asserts anything.
//
//   npyio-bench save-load SRC.npy OUT.npy [repeats] [remove|overwrite]
//       NPY.read of SRC, NPY.write to OUT. OUT is deleted before each save (not timed) so each
//       save makes a new file, unless `overwrite`: then each save replaces the OUT that is
//       there. `remove` deletes OUT after each save (not timed), so its dirty pages are dropped
//       instead of being written back during later runs
//   npyio-bench npz SRC.npy OUT.npz LEVEL [repeats]    NPZWriter deflate of SRC's array
import BenchTiming
import Foundation
import NDArray
import NPYIO

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
  exitWithUsage("usage: npyio-bench save-load SRC OUT [n] | npz SRC OUT LEVEL [n]")
}
let source = URL(fileURLWithPath: arguments[2])
let output = URL(fileURLWithPath: arguments[3])
switch arguments[1] {
case "save-load":
  let repeats = arguments.count > 4 ? Int(arguments[4])! : 5
  let removeAfterSave = arguments.count > 5 && arguments[5] == "remove"
  let overwrite = arguments.count > 5 && arguments[5] == "overwrite"
  var loads: [Double] = [], saves: [Double] = []
  for _ in 0..<repeats {
    var array: AnyNDArray? = nil
    loads.append(try seconds { array = try NPY.read(at: source) })
    // Like the NumPy side: a fresh file each time (removing the old one is not timed),
    // or with `overwrite` the existing file replaced (its removal by the rename is timed).
    if !overwrite { try? FileManager.default.removeItem(at: output) }
    saves.append(try seconds { try NPY.write(array!, to: output) })
    if removeAfterSave { try? FileManager.default.removeItem(at: output) }
    array = nil
  }
  print("{\"load\": \(median(loads)), \"save\": \(median(saves))}")
case "npz":
  let level = Int(arguments[4])!
  let repeats = arguments.count > 5 ? Int(arguments[5])! : 5
  let array = try NPY.read(at: source)
  var times: [Double] = []
  for _ in 0..<repeats {
    try? FileManager.default.removeItem(at: output)
    times.append(
      try seconds {
        let writer = try NPZWriter(url: output, compression: .deflate(level: level))
        try writer.write(name: "x", array: array)
        try writer.finish()
      })
  }
  print("{\"npz\": \(median(times))}")
default:
  exitWithUsage("unknown benchmark \(arguments[1])")
}
