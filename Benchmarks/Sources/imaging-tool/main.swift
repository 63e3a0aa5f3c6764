// imaging-tool: a test and benchmark driver for the Imaging library (not a user tool).
//
//   imaging-tool batch            jobs on stdin, one per line, tab-separated:
//                                 PATH MODE(rgb|gray) EXIF(0|1) DRAFT(WxH|-) FIT(stretch|crop|pad|-)
//                                 FILTER WIDTHxHEIGHT|-    ; box resizes use FIT "box" and
//                                 FILTER WxH x0,y0,x1,y1
//                                 answers per job on stdout: "OK H W C\n" + H*W*C raw bytes,
//                                 or "ERR message\n"
//                                 IMAGING_PORTABLE_KERNELS=1 in the environment forces the
//                                 portable (non-AVX2) resampling kernels
//   imaging-tool bench DIR [--size N] [--filter F] [--threads T] [--repeat R]
//                                 decode + convert RGB + resize every .jpg/.jpeg/.png under DIR,
//                                 prints one JSON line with images per second
import Dispatch
import Foundation
import Imaging
import NDArray

func parseSize(_ text: String) -> (Int, Int)? {
  let parts = text.split(separator: "x").compactMap { Int($0) }
  return parts.count == 2 ? (parts[0], parts[1]) : nil
}

/// IMAGING_PORTABLE_KERNELS=1 runs the batch jobs on the portable resampling kernels.
let batchKernels: ResampleKernels =
  ProcessInfo.processInfo.environment["IMAGING_PORTABLE_KERNELS"] == "1" ? .portable : .fastest

func runJob(_ fields: [Substring]) -> Result<NDArray<UInt8>, Error> {
  guard fields.count >= 7 else { return .failure(ImageError.unreadable(file: "?", reason: "bad job line")) }
  var options = DecodeOptions()
  options.mode = fields[1] == "gray" ? .gray : .rgb
  options.applyEXIFOrientation = fields[2] == "1"
  if let draft = parseSize(String(fields[3])) { options.draft = (draft.0, draft.1) }
  do {
    var image = try ImageDecoder.decode(contentsOf: URL(fileURLWithPath: String(fields[0])), options: options)
    let fitMode = String(fields[4])
    if fitMode != "-", let size = parseSize(String(fields[6])),
      let filter = ResizeFilter(rawValue: String(fields[5]))
    {
      if fitMode == "box" {
        let b = fields[7].split(separator: ",").compactMap { Double($0) }
        image = resize(
          image, width: size.0, height: size.1, filter: filter, box: (b[0], b[1], b[2], b[3]),
          kernels: batchKernels)
      } else {
        image = fit(
          image, width: size.0, height: size.1, mode: ResizeMode(rawValue: fitMode)!, filter: filter,
          kernels: batchKernels)
      }
    }
    return .success(image)
  } catch {
    return .failure(error)
  }
}

func batch() {
  let out = FileHandle.standardOutput
  while let line = readLine(strippingNewline: true) {
    if line.isEmpty { continue }
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
    switch runJob(fields) {
    case .success(let image):
      let header = "OK \(image.shape[0]) \(image.shape[1]) \(image.shape[2])\n"
      out.write(header.data(using: .utf8)!)
      image.withUnsafeBufferPointer { out.write(Data(buffer: $0)) }
    case .failure(let error):
      let text = "\(error)".replacingOccurrences(of: "\n", with: " ")
      out.write("ERR \(text)\n".data(using: .utf8)!)
    }
  }
}

func imageFiles(under directory: String) -> [String] {
  var found: [String] = []
  let enumerator = FileManager.default.enumerator(atPath: directory)
  while let path = enumerator?.nextObject() as? String {
    let lower = path.lowercased()
    if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png") {
      found.append(directory + "/" + path)
    }
  }
  return found.sorted()
}

func bench(_ arguments: [String]) {
  guard let directory = arguments.first else {
    FileHandle.standardError.write(
      "usage: imaging-tool bench DIR [--size N] [--filter F] [--threads T] [--repeat R] [--decode-only]\n".data(
        using: .utf8)!)
    exit(2)
  }
  var sizeArg = 224, filterArg = ResizeFilter.bilinear, threadsArg = 1, repeatsArg = 5, decodeOnlyArg = false
  var i = 1
  while i < arguments.count {
    switch arguments[i] {
    case "--size": sizeArg = Int(arguments[i + 1])!; i += 1
    case "--filter": filterArg = ResizeFilter(rawValue: arguments[i + 1])!; i += 1
    case "--threads": threadsArg = Int(arguments[i + 1])!; i += 1
    case "--repeat": repeatsArg = Int(arguments[i + 1])!; i += 1
    case "--decode-only": decodeOnlyArg = true
    default: break
    }
    i += 1
  }
  let (size, filter, threads, repeats, decodeOnly) = (sizeArg, filterArg, threadsArg, repeatsArg, decodeOnlyArg)
  let files = imageFiles(under: directory)
  // Read every file first so the timing covers decode + convert + resize, not the disk.
  let contents = files.map { try! Data(contentsOf: URL(fileURLWithPath: $0)) }
  var times: [Double] = []
  var checksum = 0
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    nonisolated(unsafe) let perThread = UnsafeMutablePointer<Int>.allocate(capacity: threads)
    perThread.initialize(repeating: 0, count: threads)
    let work: @Sendable (Int) -> Void = { worker in
      var sum = 0
      var index = worker
      while index < contents.count {
        let pixels = try! contents[index].withUnsafeBytes {
          try ImageDecoder.decode($0, name: files[index], options: DecodeOptions(mode: .rgb))
        }
        let result = decodeOnly ? pixels : resize(pixels, width: size, height: size, filter: filter)
        sum &+= result.withUnsafeBufferPointer { Int($0[$0.count / 2]) }
        index += threads
      }
      perThread[worker] = sum
    }
    if threads == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: threads, execute: work)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    times.append(elapsed)
    for t in 0..<threads { checksum &+= perThread[t] }
    perThread.deallocate()
  }
  let median = times.sorted()[times.count / 2]
  let rate = Double(contents.count) / median
  print(
    "{\"images\": \(contents.count), \"threads\": \(threads), \"median_seconds\": \(median), \"images_per_second\": \(rate), \"checksum\": \(checksum)}"
  )
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "batch": batch()
case "bench": bench(Array(arguments.dropFirst()))
default:
  FileHandle.standardError.write("usage: imaging-tool batch | bench DIR [options]\n".data(using: .utf8)!)
  exit(2)
}
