// The loops behind the reductions. Every reduction reads a C-contiguous input described
// by a `_ReductionLayout` (outer blocks × rows × inner columns) and cuts each block into
// chunks of whole rows. Chunk boundaries depend only on the layout and the element type,
// never on the thread count, and chunk results are combined in chunk order: a result has
// the same bits however many threads ran.
//
// Inside a chunk the values are read as one flat run and accumulated into `lanes`
// accumulators, lane `j` taking flat positions `j, j + lanes, …`; `lanes` is a multiple of
// the row width, so every lane belongs to one column. Independent lanes let the compiler
// vectorise the loop, and summing a column's lanes in lane order keeps it deterministic.

/// Partial sums of one column over one chunk of an exact small-integer reduction.
@usableFromInline
struct _ExactMoments: Sendable {
  @usableFromInline var sum: Int64 = 0
  @usableFromInline var squares: UInt64 = 0
  @inlinable init() {}
}

extension NDArray where Element: NDArrayRealElement {
  /// Elements per chunk: small for floating point (two passes stay in cache), large for
  /// exact integers (one pass).
  @inlinable
  static var _chunkElements: Int { Element._accumulation == .smallInteger ? 1 << 20 : 1 << 15 }

  @inlinable @inline(__always)
  static func _laneCount(forWidth width: Int) -> Int {
    width >= 16 ? width : width * ((16 + width - 1) / width)
  }

  /// Calls `body(start, rows, out)` for every chunk of every block, in parallel, where `out`
  /// has room for `inner` partial results, then `fold(block, chunk, rows, partials)` for
  /// each chunk, in block-major, chunk order, on the calling thread.
  ///
  /// Chunks run in waves of a fixed number of items so that the partial results take
  /// bounded memory (at most `max(64 · inner, 65,536 + inner)` partials); the wave size
  /// depends only on the layout, so the folding order, and the result, never depend on
  /// the thread count.
  @inlinable
  static func _forEachChunk<Partial>(
    _ base: UnsafePointer<Element>, _ layout: _ReductionLayout, initial: Partial,
    _ body: (_ start: UnsafePointer<Element>, _ rows: Int, _ out: UnsafeMutablePointer<Partial>) -> Void,
    fold: (_ block: Int, _ chunk: Int, _ rows: Int, _ partials: UnsafePointer<Partial>) -> Void
  ) {
    let inner = layout.inner, rows = layout.rows
    if inner == 0 || rows == 0 || layout.outer == 0 { return }
    let chunkRows = Swift.max(1, _chunkElements / inner)
    let chunks = (rows + chunkRows - 1) / chunkRows
    let items = layout.outer * chunks
    let wave = Swift.max(64, 65_536 / inner)
    var partials = [Partial](repeating: initial, count: Swift.min(wave, items) * inner)
    partials.withUnsafeMutableBufferPointer { buffer in
      let out = _UnsafeSendable(buffer.baseAddress!)
      let input = _UnsafeSendable(base)
      var first = 0
      while first < items {
        let count = Swift.min(wave, items - first)
        let firstItem = first
        _Parallel.forEach(items: count, elements: count * chunkRows * inner) { k in
          let item = firstItem + k
          let block = item / chunks, chunk = item % chunks
          let firstRow = chunk * chunkRows
          let start = input.value + (block * rows + firstRow) * inner
          body(start, Swift.min(chunkRows, rows - firstRow), out.value + k * inner)
        }
        for k in 0..<count {
          let item = first + k
          let block = item / chunks, chunk = item % chunks
          fold(block, chunk, Swift.min(chunkRows, rows - chunk * chunkRows), UnsafePointer(out.value + k * inner))
        }
        first += count
      }
    }
  }

  /// Column sums of `rows × width` values at `p`, accumulated in `Double`; when `center`
  /// is given, sums of `(x - center[column])²` instead.
  @inlinable
  static func _chunkDoubleSums(
    _ p: UnsafePointer<Element>, rows: Int, width: Int,
    center: UnsafePointer<Double>?, into out: UnsafeMutablePointer<Double>
  ) {
    // `Float` runs the SIMD kernel on 4-float vectors, at least 4 vectors per block.
    var floatVectors = 0
    if Element.self == Float.self {
      let vectors = _lcm(width, 4) / 4
      if vectors <= 16 { floatVectors = vectors * ((4 + vectors - 1) / vectors) }
    }
    let lanes = floatVectors > 0 ? 4 * floatVectors : _laneCount(forWidth: width)
    let n = rows * width
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * lanes) { scratch in
      let acc = scratch.baseAddress!, shift = acc + lanes
      acc.initialize(repeating: 0, count: lanes)
      if let center { for j in 0..<lanes { shift[j] = center[j % width] } }
      let blocks = n / lanes
      if floatVectors > 0 {
        _floatLaneSums(
          UnsafeRawPointer(p).assumingMemoryBound(to: Float.self), blocks: blocks,
          vectors: floatVectors, center: center == nil ? nil : UnsafePointer(shift), sums: acc)
      } else if center != nil {
        for b in 0..<blocks {
          let q = p + b * lanes
          for j in 0..<lanes {
            let d = q[j]._doubleValue - shift[j]
            acc[j] += d * d
          }
        }
      } else {
        for b in 0..<blocks {
          let q = p + b * lanes
          for j in 0..<lanes { acc[j] += q[j]._doubleValue }
        }
      }
      let q = p + blocks * lanes
      if center != nil {
        for j in 0..<(n - blocks * lanes) {
          let d = q[j]._doubleValue - shift[j]
          acc[j] += d * d
        }
      } else {
        for j in 0..<(n - blocks * lanes) { acc[j] += q[j]._doubleValue }
      }
      for column in 0..<width {
        var total = 0.0
        var j = column
        while j < lanes { total += acc[j]; j += width }
        out[column] = total
      }
    }
  }

  /// The number of 16-byte vectors per block for the `UInt8` SIMD kernel, or 0 when the
  /// width does not suit it.
  @inlinable
  static func _uint8Vectors(forWidth width: Int) -> Int {
    guard Element.self == UInt8.self else { return 0 }
    // At least 4 vectors per block, so that the loop body is long enough to run fast.
    let vectors = _lcm(width, 16) / 16
    let unrolled = vectors * ((4 + vectors - 1) / vectors)
    return unrolled <= 8 ? unrolled : 0
  }

  /// Exact lane sums (and sums of squares when `squares`) of `rows × width` small
  /// integers, folded per column into `sums` and `squareSums`.
  @inlinable
  static func _chunkExactLanes(
    _ p: UnsafePointer<Element>, rows: Int, width: Int, squares: Bool,
    sums: UnsafeMutablePointer<Int64>, squareSums: UnsafeMutablePointer<UInt64>
  ) {
    let vectors = _uint8Vectors(forWidth: width)
    let lanes = vectors > 0 ? 16 * vectors : _laneCount(forWidth: width)
    let n = rows * width
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * lanes) { scratch in
      let acc = scratch.baseAddress!, sq = acc + lanes
      acc.initialize(repeating: 0, count: 2 * lanes)
      let blocks = n / lanes
      if vectors > 0 {
        // At most 65,536 blocks per kernel call keeps its 32-bit square sums exact.
        var done = 0
        while done < blocks {
          let run = Swift.min(65_536, blocks - done)
          _uint8LaneMoments(
            UnsafeRawPointer(p + done * lanes).assumingMemoryBound(to: UInt8.self),
            blocks: run, vectors: vectors, squares: squares, sums: acc, squareSums: sq)
          done += run
        }
      } else {
        for b in 0..<blocks {
          let q = p + b * lanes
          for j in 0..<lanes {
            let v = q[j]._int64Bits
            acc[j] &+= UInt64(bitPattern: v)
            if squares { sq[j] &+= UInt64(bitPattern: v &* v) }
          }
        }
      }
      let q = p + blocks * lanes
      for j in 0..<(n - blocks * lanes) {
        let v = q[j]._int64Bits
        acc[j] &+= UInt64(bitPattern: v)
        if squares { sq[j] &+= UInt64(bitPattern: v &* v) }
      }
      for column in 0..<width {
        var sum: UInt64 = 0, square: UInt64 = 0
        var j = column
        while j < lanes { sum &+= acc[j]; square &+= sq[j]; j += width }
        sums[column] = Int64(bitPattern: sum)
        squareSums[column] = square
      }
    }
  }

  /// Column sums of `rows × width` values at `p` as wrapping 64-bit integers.
  @inlinable
  static func _chunkIntegerSums(
    _ p: UnsafePointer<Element>, rows: Int, width: Int, into out: UnsafeMutablePointer<Int64>
  ) {
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { unused in
      _chunkExactLanes(
        p, rows: rows, width: width, squares: false, sums: out,
        squareSums: unused.baseAddress!)
    }
  }

  /// Exact column sums and sums of squares of small integers.
  @inlinable
  static func _chunkExactMoments(
    _ p: UnsafePointer<Element>, rows: Int, width: Int, squares: Bool,
    into out: UnsafeMutablePointer<_ExactMoments>
  ) {
    withUnsafeTemporaryAllocation(of: Int64.self, capacity: width) { sums in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { squareSums in
        _chunkExactLanes(
          p, rows: rows, width: width, squares: squares,
          sums: sums.baseAddress!, squareSums: squareSums.baseAddress!)
        for c in 0..<width {
          var m = _ExactMoments()
          m.sum = sums[c]
          m.squares = squareSums[c]
          out[c] = m
        }
      }
    }
  }

  /// Column minima (`wantMax == false`) or maxima of `rows × width` values at `p`; a NaN
  /// wins, as in NumPy.
  @inlinable
  static func _chunkExtrema(
    _ p: UnsafePointer<Element>, rows: Int, width: Int, wantMax: Bool,
    into out: UnsafeMutablePointer<Element>
  ) {
    let lanes = _laneCount(forWidth: width)
    let n = rows * width
    withUnsafeTemporaryAllocation(of: Element.self, capacity: lanes) { scratch in
      let acc = scratch.baseAddress!
      // Seed every lane with its column's first value.
      for j in 0..<lanes { (acc + j).initialize(to: p[j % width]) }
      let blocks = n / lanes
      if wantMax {
        for b in 0..<blocks {
          let q = p + b * lanes
          for j in 0..<lanes { let v = q[j]; if v > acc[j] || v != v { acc[j] = v } }
        }
        let q = p + blocks * lanes
        for j in 0..<(n - blocks * lanes) { let v = q[j]; if v > acc[j] || v != v { acc[j] = v } }
      } else {
        for b in 0..<blocks {
          let q = p + b * lanes
          for j in 0..<lanes { let v = q[j]; if v < acc[j] || v != v { acc[j] = v } }
        }
        let q = p + blocks * lanes
        for j in 0..<(n - blocks * lanes) { let v = q[j]; if v < acc[j] || v != v { acc[j] = v } }
      }
      for column in 0..<width {
        var best = acc[column]
        var j = column + width
        while j < lanes {
          let v = acc[j]
          if (wantMax ? v > best : v < best) || v != v { best = v }
          j += width
        }
        out[column] = best
      }
      acc.deinitialize(count: lanes)
    }
  }
}

// MARK: - Whole reductions over a layout

extension NDArray where Element: NDArrayRealElement {
  /// Sums per result: wrapping 64-bit integers for integer types, `Double` otherwise.
  @inlinable
  static func _sums(_ base: UnsafePointer<Element>, _ layout: _ReductionLayout)
    -> (bits: [Int64], values: [Double])
  {
    let count = layout.resultCount
    if Element._accumulation == .floatingPoint {
      return ([Int64](repeating: 0, count: count), _doubleSums(base, layout))
    }
    var bits = [Int64](repeating: 0, count: count)
    if layout.rows == 0 || count == 0 { return (bits, [Double](repeating: 0, count: count)) }
    let inner = layout.inner
    _forEachChunk(
      base, layout, initial: Int64(0),
      { start, rows, out in
        _chunkIntegerSums(start, rows: rows, width: inner, into: out)
      },
      fold: { block, _, _, partial in
        for c in 0..<inner { bits[block * inner + c] &+= partial[c] }
      })
    return (bits, [Double](repeating: 0, count: count))
  }

  /// Sums per result accumulated in `Double` (any element type).
  @inlinable
  static func _doubleSums(_ base: UnsafePointer<Element>, _ layout: _ReductionLayout) -> [Double] {
    let count = layout.resultCount, inner = layout.inner
    var values = [Double](repeating: 0, count: count)
    if layout.rows == 0 || count == 0 { return values }
    _forEachChunk(
      base, layout, initial: 0.0,
      { start, rows, out in
        _chunkDoubleSums(start, rows: rows, width: inner, center: nil, into: out)
      },
      fold: { block, _, _, partial in
        for c in 0..<inner { values[block * inner + c] += partial[c] }
      })
    return values
  }

  /// Means and, when `wantM2`, sums of squared deviations from the mean, per result, in
  /// `Double`. Integer types of 8 and 16 bits are summed exactly; others use a two-pass
  /// algorithm per chunk and merge chunks in order with Chan's formula.
  @inlinable
  static func _moments(_ base: UnsafePointer<Element>, _ layout: _ReductionLayout, wantM2: Bool)
    -> (mean: [Double], m2: [Double])
  {
    let count = layout.resultCount, inner = layout.inner, rows = layout.rows
    var mean = [Double](repeating: rows == 0 ? .nan : 0, count: count)
    var m2 = [Double](repeating: rows == 0 ? .nan : 0, count: count)
    if rows == 0 || count == 0 { return (mean, m2) }
    let n = Double(rows)

    if Element._accumulation == .smallInteger {
      var sums = [Int64](repeating: 0, count: count)
      var squares = [UInt128](repeating: 0, count: count)
      _forEachChunk(
        base, layout, initial: _ExactMoments(),
        { start, r, out in
          _chunkExactMoments(start, rows: r, width: inner, squares: wantM2, into: out)
        },
        fold: { block, _, _, partial in
          for c in 0..<inner {
            sums[block * inner + c] += partial[c].sum
            squares[block * inner + c] += UInt128(partial[c].squares)
          }
        })
      for i in 0..<count {
        mean[i] = Double(sums[i]) / n
        // Σ(x − x̄)² = (n·Σx² − (Σx)²) / n, exact in 128-bit integers.
        let numerator = Int128(rows) * Int128(squares[i]) - Int128(sums[i]) * Int128(sums[i])
        m2[i] = Double(numerator) / n
      }
      return (mean, m2)
    }

    if !wantM2 {
      let values = _doubleSums(base, layout)
      for i in 0..<count { mean[i] = values[i] / n }
      return (mean, m2)
    }

    var totals = [Moments](repeating: Moments(), count: count)
    _forEachChunk(
      base, layout, initial: Moments(),
      { start, r, out in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * inner) { scratch in
          let sums = scratch.baseAddress!, squares = sums + inner
          _chunkDoubleSums(start, rows: r, width: inner, center: nil, into: sums)
          for c in 0..<inner { sums[c] /= Double(r) }
          _chunkDoubleSums(start, rows: r, width: inner, center: UnsafePointer(sums), into: squares)
          for c in 0..<inner {
            out[c] = Moments(count: Double(r), mean: sums[c], m2: squares[c])
          }
        }
      },
      fold: { block, _, _, partial in
        for c in 0..<inner { totals[block * inner + c].merge(partial[c]) }
      })
    for i in 0..<count {
      mean[i] = totals[i].mean
      m2[i] = totals[i].m2
    }
    return (mean, m2)
  }

  /// Minima or maxima per result. Traps on an empty reduction (NumPy raises).
  @inlinable
  static func _extrema(
    _ base: UnsafePointer<Element>, _ layout: _ReductionLayout, wantMax: Bool,
    shape: [Int]
  ) -> [Element] {
    let count = layout.resultCount, inner = layout.inner
    if count == 0 { return [] }
    precondition(
      layout.rows > 0,
      "zero-size array to reduction operation \(wantMax ? "maximum" : "minimum") which has no identity (shape \(shape))"
    )
    var result = [Element](repeating: base[0], count: count)
    _forEachChunk(
      base, layout, initial: base[0],
      { start, rows, out in
        _chunkExtrema(start, rows: rows, width: inner, wantMax: wantMax, into: out)
      },
      fold: { block, chunk, _, partial in
        for c in 0..<inner {
          let v = partial[c]
          let best = result[block * inner + c]
          if chunk == 0 || ((wantMax ? v > best : v < best) || v != v) && best == best {
            result[block * inner + c] = v
          }
        }
      })
    return result
  }
}
