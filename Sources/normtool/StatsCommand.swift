import ArgumentParser
import Dispatch
import Foundation
import NDArray
import NPYIO

/// `normtool stats INPUT [--axes 0,1,2]`: mean, std (ddof 0), min and max of an `.npy` or
/// `.npz` array over a set of axes, in Float64 (DESIGN §5).
///
/// The NumPy equivalent is `a = np.load(INPUT).astype(np.float64)` then `a.mean(axis)`,
/// `a.std(axis)`, `a.min(axis)`, `a.max(axis)`. Image folders are handled by the dataset
/// pipeline (not yet wired here).
struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Statistics of an .npy/.npz array (or an image folder) over a set of axes.",
    discussion: """
      --json prints axes, shape (of the result), count (values per statistic), and mean, std \
      (ddof 0), min, max as lists in C order of the result shape, all Float64. Without --axes \
      the statistics cover the whole array.
      """
  )

  @Argument(help: "An .npy or .npz file (or an image folder).")
  var input: String

  @Option(parsing: .unconditional, help: "Comma-separated axes to reduce over, e.g. 0,1,2 (negative counts from the end).")
  var axes: String?

  @Option(help: "The npz member to use (needed when the archive has several).")
  var member: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let url = URL(fileURLWithPath: input)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      return try runOnImageFolder(url)
    }
    let array: AnyNDArray
    switch try ArrayFileKind.of(url) {
    case .npy:
      array = try NPY.map(at: url)
    case .npz:
      let npz = try NPZReader(url: url)
      if let member {
        array = try npz.read(member)
      } else if npz.members.count == 1 {
        array = try npz.read(npz.memberNames[0])
      } else {
        throw CommandFailure("\(input) has \(npz.members.count) members (\(npz.memberNames.joined(separator: ", "))); pick one with --member")
      }
    }
    let reduced = try parseAxes(rank: array.shape.count)
    let result = try ArrayStatistics.compute(array, axes: reduced)
    if json {
      let list: ([Double]) -> JSONValue = { .array($0.map { JSONValue.double($0) }) }
      print(JSONValue.object([
        ("axes", .array(reduced.map { .int($0) })),
        ("shape", .array(result.shape.map { .int($0) })),
        ("count", .int(result.count)),
        ("mean", list(result.mean)), ("std", list(result.std)),
        ("min", list(result.min)), ("max", list(result.max)),
      ]).rendered)
    } else {
      print("\(input): \(array.dtype) \(NPYHeader.shapeRepr(array.shape)), axes \(reduced), \(result.count) values per statistic")
      print("mean \(result.mean)")
      print("std  \(result.std)")
      print("min  \(result.min)")
      print("max  \(result.max)")
    }
  }

  /// The sorted, non-negative axes to reduce; all of them without `--axes`.
  func parseAxes(rank: Int) throws -> [Int] {
    guard let axes else { return Array(0..<rank) }
    var result: [Int] = []
    for part in axes.split(separator: ",", omittingEmptySubsequences: false) {
      let text = part.trimmingCharacters(in: .whitespaces)
      guard let axis = Int(text) else { throw ValidationError("--axes \(axes): '\(text)' is not an integer") }
      guard axis >= -rank && axis < rank else {
        throw ValidationError("--axes \(axes): axis \(axis) is out of bounds for an array of rank \(rank)")
      }
      let normalized = axis < 0 ? axis + rank : axis
      guard !result.contains(normalized) else { throw ValidationError("--axes \(axes): axis \(normalized) is repeated") }
      result.append(normalized)
    }
    return result.sorted()
  }
}

// MARK: - Statistics (a self-contained fallback until NDArray's reductions land in main)

/// Count, mean, std (ddof 0), min and max over a set of axes, in Float64, in C order of the
/// result shape. The NumPy equivalent is `np.mean/np.std/np.min/np.max(a.astype(np.float64), axis)`.
struct ArrayStatistics {
  var shape: [Int]
  var count: Int
  var mean: [Double]
  var std: [Double]
  var min: [Double]
  var max: [Double]

  static func compute(_ array: AnyNDArray, axes: [Int]) throws -> ArrayStatistics {
    switch array {
    case .bool(let a): return general(a, axes: axes) { $0 ? 1 : 0 }
    case .int8(let a): return general(a, axes: axes) { Double($0) }
    case .int16(let a): return general(a, axes: axes) { Double($0) }
    case .int32(let a): return general(a, axes: axes) { Double($0) }
    case .int64(let a): return general(a, axes: axes) { Double($0) }
    case .uint8(let a): return bytes(a, axes: axes) ?? general(a, axes: axes) { Double($0) }
    case .uint16(let a): return general(a, axes: axes) { Double($0) }
    case .uint32(let a): return general(a, axes: axes) { Double($0) }
    case .uint64(let a): return general(a, axes: axes) { Double($0) }
    case .float16(let a): return general(a, axes: axes) { Double($0) }
    case .float32(let a): return general(a, axes: axes) { Double($0) }
    case .float64(let a): return general(a, axes: axes) { $0 }
    case .complex64, .complex128:
      throw CommandFailure("statistics of complex arrays are not defined (min/max need an order); got \(array.dtype)")
    }
  }

  /// Any layout and dtype: two passes in C order (sum, min, max; then squared deviations).
  static func general<Element: NDArrayElement>(_ array: NDArray<Element>, axes: [Int],
                                               _ value: (Element) -> Double) -> ArrayStatistics {
    let shape = array.shape
    let reduced = Set(axes)
    let resultShape = shape.indices.filter { !reduced.contains($0) }.map { shape[$0] }
    let resultCount = resultShape.reduce(1, *)
    let count = axes.reduce(1) { $0 * shape[$1] }
    // Output stride of each input axis (0 for reduced axes).
    var outStrides = [Int](repeating: 0, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() where !reduced.contains(axis) {
      outStrides[axis] = step
      step *= shape[axis]
    }
    var sum = [Double](repeating: 0, count: resultCount)
    var low = [Double](repeating: .infinity, count: resultCount)
    var high = [Double](repeating: -.infinity, count: resultCount)
    var m2 = [Double](repeating: 0, count: resultCount)
    func walk(_ body: (Int, Double) -> Void) {
      array.withUnsafeBufferPointer { source in
        guard !source.isEmpty else { return }
        if shape.isEmpty { body(0, value(source[0])); return }
        var index = [Int](repeating: 0, count: shape.count)
        var out = 0
        let last = shape.count - 1
        var k = 0
        while k < source.count {
          let innerStride = outStrides[last]
          for i in 0..<shape[last] { body(out + i * innerStride, value(source[k + i])) }
          k += shape[last]
          var axis = last - 1
          while axis >= 0 {
            index[axis] += 1
            out += outStrides[axis]
            if index[axis] < shape[axis] { break }
            out -= outStrides[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
          }
        }
      }
    }
    walk { o, x in
      sum[o] += x
      // NaN wins, as in np.min/np.max; low and high become NaN together.
      if x.isNaN {
        low[o] = .nan; high[o] = .nan
      } else if !low[o].isNaN {
        if x < low[o] { low[o] = x }
        if x > high[o] { high[o] = x }
      }
    }
    let mean = sum.map { $0 / Double(count) }
    walk { o, x in let d = x - mean[o]; m2[o] += d * d }
    let std = m2.map { ($0 / Double(count)).squareRoot() }
    if count == 0 {
      low = low.map { _ in .nan }
      high = high.map { _ in .nan }
    }
    return ArrayStatistics(shape: resultShape, count: count, mean: mean, std: std, min: low, max: high)
  }

  /// uint8 with the reduced axes leading and the kept axes trailing (per-channel statistics of
  /// NHWC images, or the whole array): exact integer sums on all cores, lanes the compiler
  /// vectorizes. Nil when the layout does not fit.
  static func bytes(_ array: NDArray<UInt8>, axes: [Int]) -> ArrayStatistics? {
    let shape = array.shape
    guard array.isCContiguous, axes == Array(0..<axes.count), array.count > 0 else { return nil }
    let resultShape = Array(shape[axes.count...])
    let period = resultShape.reduce(1, *)
    let rows = axes.reduce(1) { $0 * shape[$1] }
    // A lane block holds whole rows and at least 64 bytes, so inner loops are long and
    // every lane always sees the same channel.
    let rowsPerBlock = Swift.max(1, (64 + period - 1) / period)
    let lanes = rowsPerBlock * period
    let blocks = rows / rowsPerBlock
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let chunks = Swift.max(1, Swift.min(cores * 4, blocks / 4096))
    final class Partial: @unchecked Sendable {
      var sum: [UInt64], squares: [UInt64], low: [UInt8], high: [UInt8]
      init(_ n: Int) { sum = .init(repeating: 0, count: n); squares = sum; low = .init(repeating: 255, count: n); high = .init(repeating: 0, count: n) }
    }
    let partials = (0..<chunks).map { _ in Partial(lanes) }
    array.withUnsafeBufferPointer { buffer in
      let base = buffer.baseAddress!
      let pointer = SendableBytes(base: base)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let first = blocks * chunk / chunks, end = blocks * (chunk + 1) / chunks
        let partial = partials[chunk]
        var sum32 = [UInt32](repeating: 0, count: lanes)
        var squares32 = [UInt32](repeating: 0, count: lanes)
        var low = [UInt8](repeating: 255, count: lanes)
        var high = [UInt8](repeating: 0, count: lanes)
        // 255² · 66051 < 2³²: flush the 32-bit lanes before they can overflow.
        let flushEvery = 66_000
        var block = first
        sum32.withUnsafeMutableBufferPointer { s in
          squares32.withUnsafeMutableBufferPointer { q in
            low.withUnsafeMutableBufferPointer { lo in
              high.withUnsafeMutableBufferPointer { hi in
                while block < end {
                  let stop = Swift.min(end, block + flushEvery)
                  for b in block..<stop {
                    let p = pointer.base + b * lanes
                    for j in 0..<lanes {
                      let v = p[j]
                      let w = UInt32(v)
                      s[j] &+= w
                      q[j] &+= w &* w
                      lo[j] = Swift.min(lo[j], v)
                      hi[j] = Swift.max(hi[j], v)
                    }
                  }
                  for j in 0..<lanes {
                    partial.sum[j] += UInt64(s[j]); s[j] = 0
                    partial.squares[j] += UInt64(q[j]); q[j] = 0
                  }
                  block = stop
                }
              }
            }
          }
        }
        partial.low = low
        partial.high = high
      }
    }
    // Combine lanes to channels, then the rows left over after the last whole block.
    var sum = [UInt64](repeating: 0, count: period)
    var squares = sum
    var low = [UInt8](repeating: 255, count: period)
    var high = [UInt8](repeating: 0, count: period)
    for partial in partials {
      for j in 0..<lanes {
        let c = j % period
        sum[c] += partial.sum[j]
        squares[c] += partial.squares[j]
        low[c] = Swift.min(low[c], partial.low[j])
        high[c] = Swift.max(high[c], partial.high[j])
      }
    }
    array.withUnsafeBufferPointer { buffer in
      for k in (blocks * lanes)..<buffer.count {
        let c = k % period, v = buffer[k]
        sum[c] += UInt64(v)
        squares[c] += UInt64(v) * UInt64(v)
        low[c] = Swift.min(low[c], v)
        high[c] = Swift.max(high[c], v)
      }
    }
    let n = Double(rows)
    let mean = sum.map { Double($0) / n }
    // Exact: var = (n·Σx² − (Σx)²) / n², with the numerator in 128-bit integers.
    let std = zip(sum, squares).map { s, q -> Double in
      let numerator = UInt128(rows) * UInt128(q) - UInt128(s) * UInt128(s)
      return (Double(numerator) / (n * n)).squareRoot()
    }
    return ArrayStatistics(shape: resultShape, count: rows, mean: mean, std: std,
                           min: low.map(Double.init), max: high.map(Double.init))
  }
}

/// A pointer handed to worker threads that only read through it.
private struct SendableBytes: @unchecked Sendable {
  let base: UnsafePointer<UInt8>
}
