// whiten-bench: the ZCA fit of `normtool convert --whiten zca --whiten-scope image` on an
// (N, H, W, C) uint8 .npy, streamed in blocks of 4096 images (the pipeline's pass 1 on
// already-decoded pixels): exact covariance sums (CovarianceAccumulator: the VNNI integer
// kernel, or ssyrk), the covariance, its eigendecomposition and the matrix (WhiteningMatrix).
// Prints one JSON object: seconds, D, the largest eigenvalue, the fitted matrix's checksum,
// and each stage's wall seconds with the process's resident and peak memory after it
// (/proc/self/status VmRSS, VmHWM). python-interop/bench/whiten_bench.py runs it beside
// NumPy under /usr/bin/time (wall time and peak RSS). Not a test: nothing here asserts.
//
//   whiten-bench PIXELS.npy [epsilon [MATRIX.npy]]   (MATRIX.npy: the fitted matrix, for comparison)
import BenchTiming
import Foundation
import ImageDataset
import NDArray
import NPYIO

/// VmRSS and VmHWM of this process in MB (nil off Linux).
func residentMegabytes() -> (now: Double, peak: Double)? {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
  func field(_ name: String) -> Double? {
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
    return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }.map { $0 * 1024 / 1e6 }
  }
  guard let now = field("VmRSS"), let peak = field("VmHWM") else { return nil }
  return (now, peak)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { exitWithUsage("usage: whiten-bench PIXELS.npy [epsilon [MATRIX.npy]]") }
let url = URL(fileURLWithPath: arguments[1])
let epsilon = arguments.count > 2 ? Double(arguments[2])! : 1e-6
let header = try NPY.readHeader(at: url)
guard header.descr == "|u1", header.shape.count == 4, !header.fortranOrder else {
  exitWithUsage("whiten-bench: expected a C-order (N, H, W, C) uint8 .npy, found \(header.descr) \(header.shape)")
}
let images = header.shape[0]
let dimension = header.shape[1] * header.shape[2] * header.shape[3]
var result: WhiteningMatrix?
var stages: [String] = []
/// CPU seconds of the whole process (all threads) so far.
func processorSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
var last = DispatchTime.now().uptimeNanoseconds
var lastProcessor = processorSeconds()
/// One stage's wall seconds (or `seconds` when given), CPU seconds (all threads, since the
/// previous stage; nil when `seconds` is given) and memory after it.
@MainActor func record(_ name: String, seconds: Double? = nil) {
  let now = DispatchTime.now().uptimeNanoseconds
  let processor = processorSeconds()
  let memory = residentMegabytes() ?? (0, 0)
  let elapsed = seconds ?? Double(now - last) / 1e9
  let cpu = seconds == nil ? "\(processor - lastProcessor)" : "null"
  stages.append(
    "{\"stage\": \"\(name)\", \"seconds\": \(elapsed), \"cpu_seconds\": \(cpu), \"rss_mb\": \(memory.now), \"peak_mb\": \(memory.peak)}"
  )
  last = now
  lastProcessor = processor
}
let elapsed = try seconds {
  let file = try FileHandle(forReadingFrom: url)
  defer { try? file.close() }
  try file.seek(toOffset: UInt64(header.dataOffset))
  var sums = CovarianceAccumulator(dimension: dimension)
  var reading = 0.0
  do {
    var done = 0
    // One buffer, read into again and again (a fresh Data per block cost a page fault per
    // 4 KiB: 0.1 s of the 0.15 s this stage spent reading).
    var buffer = [UInt8](repeating: 0, count: CovarianceAccumulator.blockRows * dimension)
    while done < images {
      let block = min(CovarianceAccumulator.blockRows, images - done)
      let wanted = block * dimension
      var filled = 0
      reading += seconds {
        buffer.withUnsafeMutableBytes { raw in
          while filled < wanted {
            let count = read(file.fileDescriptor, raw.baseAddress! + filled, wanted - filled)
            if count <= 0 { break }
            filled += count
          }
        }
      }
      guard filled == wanted else { exitWithUsage("whiten-bench: \(url.path) ended early") }
      buffer.withUnsafeBufferPointer { sums.add(UnsafeBufferPointer(rebasing: $0[0..<wanted])) }
      done += block
    }
  }  // the buffer is freed before the fit
  record("read and covariance sums (I/O, Gram kernel)")
  record("of which read (I/O)", seconds: reading)
  result = try WhiteningMatrix(
    fitting: &sums, options: WhiteningOptions(method: .zca, scope: .image, epsilon: epsilon), stage: { record($0) })
}
let whitening = result!
if arguments.count > 3 { try NPY.write(whitening.matrix, to: URL(fileURLWithPath: arguments[3])) }
let checksum = whitening.matrix.withUnsafeBufferPointer { $0.reduce(0, +) }
print(
  "{\"seconds\": \(elapsed), \"dimension\": \(dimension), \"images\": \(images), \"largest_eigenvalue\": \(whitening.eigenvalues[0]), \"checksum\": \(checksum), \"stages\": [\(stages.joined(separator: ", "))]}"
)
