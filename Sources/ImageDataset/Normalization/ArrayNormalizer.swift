import Foundation
import NDArray
import NPYIO

/// Normalizes an array NumPy wrote (`.npy`, or a member of an `.npz`), of any rank, with
/// statistics over any set of axes, in two streaming passes: statistics, then the output
/// written row by row. Memory stays bounded by a chunk (and one row along axis 0) whatever
/// the array's size: the input is memory-mapped (or streamed from the archive) and read twice.
///
/// The NumPy equivalent is
/// `a = np.load(IN).astype(np.float64); m = a.mean(axis=axes, keepdims=True);`
/// `s = np.maximum(a.std(axis=axes, keepdims=True), 1 / np.sqrt(n)); np.save(OUT, ((a - m) / s).astype(np.float32))`
/// with `n` the values per statistic (docs/design.md §6 has every mode's formula). The
/// statistics are Float64 (Chan's merge of per-run moments, NDArray's `Moments`); the
/// outputs go through the project's atomic machinery: `OUT` and `--save-stats` appear together
/// and complete, or not at all.
public enum ArrayNormalizer {
  /// Elements read per chunk.
  static let chunkElements = 1 << 20

  /// Normalizes `input` into `output` (`.npz` by its extension, else `.npy`) and returns the
  /// statistics applied.
  ///
  /// - Throws: ``ConversionError`` for options, statistics files and outputs,
  ///   ``ArrayNormalizationError`` for non-finite or complex input, NPYIO's errors for an
  ///   unreadable input; nothing is written then.
  @discardableResult
  public static func normalize(_ input: URL, to output: URL, options: ArrayNormalizationOptions) throws
    -> StatisticsReport
  {
    try options.validate()
    let array = try ArrayInput(input, member: options.member)
    let reduced = options.reducedAxes ?? Array(array.shape.indices)
    let layout = AxisStatisticsLayout(shape: array.shape, fortranOrder: array.fortranOrder, reducedAxes: reduced)
    try checkPaths(input: input, output: output, options: options)
    let report: StatisticsReport
    if let file = options.statisticsFile {
      report = try statistics(from: file, layout: layout, mode: options.mode)
    } else {
      let measured = NormalizationStatistics(try measure(array, layout))
      report = StatisticsReport(
        arrayStatistics: measured, axes: reduced, shape: layout.keptShape,
        valuesPerStatistic: layout.valuesPerStatistic)
    }
    let transaction = OutputTransaction()
    let staged = try transaction.stage(output)
    let toNPZ = output.pathExtension.lowercased() == "npz"
    switch options.dtype {
    case .float16:
      try write(Float16.self, array, layout, report.statistics, options.mode, to: staged, npz: toNPZ)
    case .float64:
      try write(Double.self, array, layout, report.statistics, options.mode, to: staged, npz: toNPZ)
    default:
      try write(Float.self, array, layout, report.statistics, options.mode, to: staged, npz: toNPZ)
    }
    if let url = options.saveStatisticsTo { try transaction.stage(try report.encoded(), at: url) }
    try transaction.commit()
    return report
  }

  /// The input array: its header and how to stream it (storage order; C order for a
  /// Fortran-ordered array, which is then read into memory, as the output is written in C
  /// order).
  struct ArrayInput {
    let path: String
    let shape: [Int]
    let dtype: DType
    let fortranOrder: Bool
    /// The member name to write into an `.npz` output.
    let memberName: String
    let open: () throws -> any ElementChunkSource

    init(_ url: URL, member: String?) throws {
      let header: NPYHeader
      let stream: () throws -> any ElementChunkSource
      let whole: () throws -> AnyNDArray
      switch try ArrayFileKind.of(url) {
      case .folder: throw ArrayFileError.folder(path: url.path)
      case .npy:
        header = try NPY.readHeader(at: url)
        path = url.path
        memberName = member ?? "arr_0"
        stream = { try NPYChunkReader(npyAt: url) }
        whole = { try NPY.read(at: url) }
      case .npz:
        let archive = try NPZReader(url: url)
        let name = try archive.dataMember(named: member).name
        header = try archive.header(of: name)
        path = url.path + ":" + name + ".npy"
        memberName = name
        stream = { try NPYChunkReader(member: name, of: archive) }
        whole = { try archive.read(name) }
      }
      guard let dtype = header.dataType.numericDType else {
        throw NPYError.dtypeMismatch(file: path, expected: "a numeric dtype", found: header.descr)
      }
      if dtype.kind == "c" { throw ArrayNormalizationError.unsupportedDType(path: path, dtype: dtype) }
      self.dtype = dtype
      shape = header.shape
      let inOrder = !header.fortranOrder || header.shape.filter { $0 > 1 }.count <= 1
      fortranOrder = false
      open = inOrder ? stream : { InMemoryChunkSource(try whole()) }
    }

    /// Streams the array as Float64 values, checking each is finite: `body` gets each
    /// chunk's values and the storage position of its first.
    func forEachChunk(
      _ layout: AxisStatisticsLayout, _ body: (UnsafePointer<Double>, _ count: Int, _ position: Int) throws -> Void
    ) throws {
      let source = try open()
      let buffer = UnsafeMutablePointer<Double>.allocate(capacity: ArrayNormalizer.chunkElements)
      defer { buffer.deallocate() }
      var position = 0
      while let raw = try source.next(maxCount: ArrayNormalizer.chunkElements) {
        let count = raw.count / dtype.itemSize
        dtype.convertElements(raw.baseAddress!, count: count, into: buffer)
        for i in 0..<count where !buffer[i].isFinite {
          throw ArrayNormalizationError.nonFinite(
            path: path, index: layout.multiIndex(ofStoragePosition: position + i), value: buffer[i])
        }
        try body(buffer, count, position)
        position += count
      }
    }
  }

  /// Pass 1: count, mean, M2, min and max of every statistic, in Float64.
  static func measure(_ array: ArrayInput, _ layout: AxisStatisticsLayout) throws -> ChannelStatistics {
    let n = layout.statisticCount
    var moments = [Moments](repeating: Moments(), count: n)
    var minimum = [Double](repeating: .infinity, count: n), maximum = [Double](repeating: -.infinity, count: n)
    try array.forEachChunk(layout) { values, count, position in
      layout.forEachRun(from: position, count: count) { offset, length, first in
        let run = values + offset
        if layout.runStride == 0 {
          // The whole piece feeds one statistic: its own two-pass moments, merged once.
          var sum = 0.0, low = Double.infinity, high = -Double.infinity
          for i in 0..<length {
            sum += run[i]
            low = Swift.min(low, run[i])
            high = Swift.max(high, run[i])
          }
          let mean = sum / Double(length)
          var m2 = 0.0
          for i in 0..<length { m2 += (run[i] - mean) * (run[i] - mean) }
          moments[first].merge(Moments(count: Double(length), mean: mean, m2: m2))
          minimum[first] = Swift.min(minimum[first], low)
          maximum[first] = Swift.max(maximum[first], high)
        } else {
          for i in 0..<length {
            let s = first + i * layout.runStride, v = run[i]
            moments[s].merge(Moments(count: 1, mean: v, m2: 0))
            minimum[s] = Swift.min(minimum[s], v)
            maximum[s] = Swift.max(maximum[s], v)
          }
        }
      }
    }
    return ChannelStatistics(
      count: moments.map(\.count), mean: moments.map { $0.count == 0 ? .nan : $0.mean },
      m2: moments.map { $0.count == 0 ? .nan : $0.m2 }, minimum: minimum, maximum: maximum)
  }

  /// The statistics of a `--stats` file, checked against the statistics this run needs.
  static func statistics(from url: URL, layout: AxisStatisticsLayout, mode: NormalizationMode) throws(ConversionError)
    -> StatisticsReport
  {
    var report = try StatisticsReport.read(from: url, unitScale: false)
    let entries = report.statistics.entries
    if entries != layout.statisticCount || (report.shape.map { $0 != layout.keptShape } ?? false) {
      throw .statisticsFile(
        path: url.path,
        reason:
          "expected \(layout.statisticCount) statistics (shape \(NPYHeader.shapeRepr(layout.keptShape)): the axes not reduced), found \(entries)\(report.shape.map { " of shape \(NPYHeader.shapeRepr($0))" } ?? "")"
      )
    }
    if mode == .minmax && (report.statistics.minimum == nil || report.statistics.maximum == nil) {
      throw .statisticsFile(path: url.path, reason: "--normalize minmax needs \"min\" and \"max\" lists")
    }
    report.axes = layout.reducedAxes
    report.shape = layout.keptShape
    return report
  }

  /// Pass 2: the normalized values in C order, streamed into `staged` (an `.npy`, or member
  /// `array.memberName` of an `.npz`).
  static func write<Out: OutputElement & NDArrayElement>(
    _ type: Out.Type, _ array: ArrayInput, _ layout: AxisStatisticsLayout, _ statistics: NormalizationStatistics,
    _ mode: NormalizationMode, to staged: URL, npz: Bool
  ) throws {
    let mean = statistics.mean, stdPrime = statistics.adjustedStd
    let low = statistics.minimum ?? [Double](repeating: .nan, count: statistics.entries)
    let high = statistics.maximum ?? [Double](repeating: .nan, count: statistics.entries)
    func value(_ v: Double, _ s: Int) -> Out {
      Out(converting: mode.apply(v, mean: mean[s], adjustedStd: stdPrime[s], minimum: low[s], maximum: high[s]))
    }
    let archive = npz ? try NPZWriter(url: staged) : nil
    do {
      if array.shape.isEmpty {
        var scalar: Out? = nil
        try array.forEachChunk(layout) { values, _, _ in scalar = value(values[0], 0) }
        let result = NDArray<Out>(scalar: scalar!)
        if let archive {
          try archive.write(name: array.memberName, array: result)
        } else {
          try NPY.write(result, to: staged)
        }
      } else {
        try writeRows(array, layout, into: staged, archive: archive, value)
      }
      try archive?.finish()
    } catch {
      archive?.abort()
      throw error
    }
  }

  /// The rows of a non-0-d output, through NPYIO's row writer, a bounded block at a time.
  static func writeRows<Out: OutputElement & NDArrayElement>(
    _ array: ArrayInput, _ layout: AxisStatisticsLayout, into staged: URL, archive: NPZWriter?,
    _ value: (Double, Int) -> Out
  ) throws {
    let rowShape = Array(array.shape.dropFirst())
    let rowElements = rowShape.reduce(1, *)
    let writer: any NPYRowWriter =
      try archive?.beginStreamingMember(
        name: array.memberName, dtype: Out.dtype, rowShape: rowShape, expectedRowCount: array.shape[0])
      ?? NPYStreamWriter(url: staged, dtype: Out.dtype, rowShape: rowShape)
    do {
      let capacity = rowElements == 0 ? 1 : Swift.max(rowElements, chunkElements / rowElements * rowElements)
      let block = UnsafeMutablePointer<Out>.allocate(capacity: capacity)
      defer { block.deallocate() }
      var filled = 0
      func flush() throws {
        guard filled > 0 else { return }
        try writer.append(
          rawBytes: UnsafeRawBufferPointer(start: block, count: filled * MemoryLayout<Out>.stride),
          rowCount: filled / rowElements)
        filled = 0
      }
      try array.forEachChunk(layout) { values, count, position in
        try layout.forEachRun(from: position, count: count) { offset, length, first in
          for i in 0..<length {
            block[filled] = value(values[offset + i], first + i * layout.runStride)
            filled += 1
            if filled == capacity { try flush() }
          }
        }
      }
      try flush()
      if rowElements == 0 || array.shape[0] == 0 {
        // No elements: the rows still count (an (N, 0) array has N empty rows).
        try writer.append(rawBytes: UnsafeRawBufferPointer(start: nil, count: 0), rowCount: array.shape[0])
      }
      try writer.finish()
    } catch {
      writer.abort()
      throw error
    }
  }

  /// Checks the outputs can be written and collide neither with each other nor with an input.
  static func checkPaths(input: URL, output: URL, options: ArrayNormalizationOptions) throws(ConversionError) {
    var outputs = [(output, "OUT")]
    if let url = options.saveStatisticsTo { outputs.append((url, "--save-stats")) }
    var resolved: [String] = []
    let inputs = [(input, "IN")] + (options.statisticsFile.map { [($0, "--stats")] } ?? [])
    for (url, option) in outputs {
      let path = try OutputPathCheck.checkWritable(.init(url: url, isDirectory: false, option: option))
      for (inputURL, inputOption) in inputs where OutputPathCheck.realPath(inputURL.path) == path {
        throw .output(path: url.path, reason: "\(option) is the \(inputOption) file this run reads")
      }
      if let other = resolved.firstIndex(of: path) {
        throw .output(path: url.path, reason: "\(option) and \(outputs[other].1) name the same file (\(path))")
      }
      resolved.append(path)
    }
  }
}
