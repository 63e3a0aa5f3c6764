// Hand-vectorised lane loops for the two element types that image statistics run on:
// `UInt8` (exact integer moments) and `Float` (accumulated in `Double`). They follow the
// lane scheme of `NDArray._ReductionKernels.swift`: lane `j` of a block takes flat
// position `j`, blocks follow each other. Implementation details; no stable API.

@inlinable @inline(__always)
func _gcd(_ a: Int, _ b: Int) -> Int {
  var a = a, b = b
  while b != 0 { (a, b) = (b, a % b) }
  return a
}

@inlinable @inline(__always)
func _lcm(_ a: Int, _ b: Int) -> Int { a / _gcd(a, b) * b }

/// Adds lane sums (and, when `squares`, lane sums of squares) of `blocks` blocks of
/// `16 · vectors` bytes at `p` into `sums` and `squareSums` (`16 · vectors` lanes each).
/// `blocks` must be at most 65,536 (so 32-bit square sums cannot overflow).
@usableFromInline
func _uint8LaneMoments(
  _ p: UnsafePointer<UInt8>, blocks: Int, vectors: Int, squares: Bool,
  sums: UnsafeMutablePointer<UInt64>, squareSums: UnsafeMutablePointer<UInt64>
) {
  precondition(blocks <= 65_536)
  switch (vectors, squares) {
  case (4, true): _uint8LaneMomentsBody(p, blocks, 4, true, sums, squareSums)
  case (4, false): _uint8LaneMomentsBody(p, blocks, 4, false, sums, squareSums)
  case (6, true): _uint8LaneMomentsBody(p, blocks, 6, true, sums, squareSums)
  case (6, false): _uint8LaneMomentsBody(p, blocks, 6, false, sums, squareSums)
  case (8, true): _uint8LaneMomentsBody(p, blocks, 8, true, sums, squareSums)
  case (8, false): _uint8LaneMomentsBody(p, blocks, 8, false, sums, squareSums)
  default: _uint8LaneMomentsBody(p, blocks, vectors, squares, sums, squareSums)
  }
}

@inline(__always)
private func _uint8LaneMomentsBody(
  _ p: UnsafePointer<UInt8>, _ blocks: Int, _ vectors: Int, _ squares: Bool,
  _ sums: UnsafeMutablePointer<UInt64>, _ squareSums: UnsafeMutablePointer<UInt64>
) {
  withUnsafeTemporaryAllocation(of: SIMD16<UInt16>.self, capacity: vectors) { small in
    withUnsafeTemporaryAllocation(of: SIMD8<UInt32>.self, capacity: 4 * vectors) { wide in
      let s16 = small.baseAddress!, s32 = wide.baseAddress!, q32 = s32 + 2 * vectors
      s32.initialize(repeating: .zero, count: 4 * vectors)
      let raw = UnsafeRawPointer(p)
      var b = 0
      while b < blocks {
        // 16-bit sums hold 256 bytes of 255 at most before they must be widened.
        let run = Swift.min(256, blocks - b)
        s16.initialize(repeating: .zero, count: vectors)
        for k in 0..<run {
          let q = raw + (b + k) * 16 * vectors
          for v in 0..<vectors {
            let x = SIMD16<UInt16>(truncatingIfNeeded: q.loadUnaligned(fromByteOffset: 16 * v, as: SIMD16<UInt8>.self))
            s16[v] &+= x
            if squares {
              let y = x &* x
              q32[2 * v] &+= SIMD8<UInt32>(truncatingIfNeeded: y.lowHalf)
              q32[2 * v + 1] &+= SIMD8<UInt32>(truncatingIfNeeded: y.highHalf)
            }
          }
        }
        for v in 0..<vectors {
          s32[2 * v] &+= SIMD8<UInt32>(truncatingIfNeeded: s16[v].lowHalf)
          s32[2 * v + 1] &+= SIMD8<UInt32>(truncatingIfNeeded: s16[v].highHalf)
        }
        b += run
      }
      for v in 0..<(2 * vectors) {
        for k in 0..<8 {
          sums[8 * v + k] &+= UInt64(s32[v][k])
          if squares { squareSums[8 * v + k] &+= UInt64(q32[v][k]) }
        }
      }
    }
  }
}

/// Adds lane sums of `blocks` blocks of `4 · vectors` floats at `p`, in `Double`, into
/// `sums`; with `center` (one value per lane), sums of `(x − center)²` instead.
@usableFromInline
func _floatLaneSums(
  _ p: UnsafePointer<Float>, blocks: Int, vectors: Int, center: UnsafePointer<Double>?,
  sums: UnsafeMutablePointer<Double>
) {
  switch (vectors, center) {
  case (4, nil): _floatLaneSums4(p, blocks, sums)
  case (6, nil): _floatLaneSums6(p, blocks, sums)
  case (4, let center?): _floatLaneSquares4(p, blocks, center, sums)
  case (6, let center?): _floatLaneSquares6(p, blocks, center, sums)
  default: _floatLaneSumsBody(p, blocks, vectors, center, sums)
  }
}

/// Lane sums over 16 lanes, the accumulators held in registers.
private func _floatLaneSums4(_ p: UnsafePointer<Float>, _ blocks: Int, _ sums: UnsafeMutablePointer<Double>) {
  var a0 = SIMD2<Double>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
  let raw = UnsafeRawPointer(p)
  for b in 0..<blocks {
    let q = raw + b * 64
    a0 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 0, as: SIMD2<Float>.self))
    a1 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 8, as: SIMD2<Float>.self))
    a2 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self))
    a3 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 24, as: SIMD2<Float>.self))
    a4 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 32, as: SIMD2<Float>.self))
    a5 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 40, as: SIMD2<Float>.self))
    a6 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 48, as: SIMD2<Float>.self))
    a7 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 56, as: SIMD2<Float>.self))
  }
  for (k, a) in [a0, a1, a2, a3, a4, a5, a6, a7].enumerated() {
    sums[2 * k] += a[0]
    sums[2 * k + 1] += a[1]
  }
}

/// Lane sums over 24 lanes, the accumulators held in registers.
private func _floatLaneSums6(_ p: UnsafePointer<Float>, _ blocks: Int, _ sums: UnsafeMutablePointer<Double>) {
  var a0 = SIMD2<Double>(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0
  var a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0
  let raw = UnsafeRawPointer(p)
  for b in 0..<blocks {
    let q = raw + b * 96
    a0 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 0, as: SIMD2<Float>.self))
    a1 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 8, as: SIMD2<Float>.self))
    a2 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self))
    a3 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 24, as: SIMD2<Float>.self))
    a4 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 32, as: SIMD2<Float>.self))
    a5 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 40, as: SIMD2<Float>.self))
    a6 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 48, as: SIMD2<Float>.self))
    a7 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 56, as: SIMD2<Float>.self))
    a8 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 64, as: SIMD2<Float>.self))
    a9 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 72, as: SIMD2<Float>.self))
    a10 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 80, as: SIMD2<Float>.self))
    a11 += SIMD2<Double>(q.loadUnaligned(fromByteOffset: 88, as: SIMD2<Float>.self))
  }
  for (k, a) in [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11].enumerated() {
    sums[2 * k] += a[0]
    sums[2 * k + 1] += a[1]
  }
}

/// Lane sums of squared deviations from `center` over 16 lanes, in registers.
private func _floatLaneSquares4(
  _ p: UnsafePointer<Float>, _ blocks: Int, _ center: UnsafePointer<Double>, _ sums: UnsafeMutablePointer<Double>
) {
  let raw = UnsafeRawPointer(p)
  let c0 = SIMD2<Double>(center[0], center[1]); var a0 = SIMD2<Double>()
  let c1 = SIMD2<Double>(center[2], center[3]); var a1 = SIMD2<Double>()
  let c2 = SIMD2<Double>(center[4], center[5]); var a2 = SIMD2<Double>()
  let c3 = SIMD2<Double>(center[6], center[7]); var a3 = SIMD2<Double>()
  let c4 = SIMD2<Double>(center[8], center[9]); var a4 = SIMD2<Double>()
  let c5 = SIMD2<Double>(center[10], center[11]); var a5 = SIMD2<Double>()
  let c6 = SIMD2<Double>(center[12], center[13]); var a6 = SIMD2<Double>()
  let c7 = SIMD2<Double>(center[14], center[15]); var a7 = SIMD2<Double>()
  for b in 0..<blocks {
    let q = raw + b * 64
    let d0 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 0, as: SIMD2<Float>.self)) - c0; a0 += d0 * d0
    let d1 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 8, as: SIMD2<Float>.self)) - c1; a1 += d1 * d1
    let d2 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self)) - c2; a2 += d2 * d2
    let d3 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 24, as: SIMD2<Float>.self)) - c3; a3 += d3 * d3
    let d4 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 32, as: SIMD2<Float>.self)) - c4; a4 += d4 * d4
    let d5 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 40, as: SIMD2<Float>.self)) - c5; a5 += d5 * d5
    let d6 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 48, as: SIMD2<Float>.self)) - c6; a6 += d6 * d6
    let d7 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 56, as: SIMD2<Float>.self)) - c7; a7 += d7 * d7
  }
  for (k, a) in [a0, a1, a2, a3, a4, a5, a6, a7].enumerated() {
    sums[2 * k] += a[0]
    sums[2 * k + 1] += a[1]
  }
}

/// Lane sums of squared deviations from `center` over 24 lanes, in registers.
private func _floatLaneSquares6(
  _ p: UnsafePointer<Float>, _ blocks: Int, _ center: UnsafePointer<Double>, _ sums: UnsafeMutablePointer<Double>
) {
  let raw = UnsafeRawPointer(p)
  let c0 = SIMD2<Double>(center[0], center[1]); var a0 = SIMD2<Double>()
  let c1 = SIMD2<Double>(center[2], center[3]); var a1 = SIMD2<Double>()
  let c2 = SIMD2<Double>(center[4], center[5]); var a2 = SIMD2<Double>()
  let c3 = SIMD2<Double>(center[6], center[7]); var a3 = SIMD2<Double>()
  let c4 = SIMD2<Double>(center[8], center[9]); var a4 = SIMD2<Double>()
  let c5 = SIMD2<Double>(center[10], center[11]); var a5 = SIMD2<Double>()
  let c6 = SIMD2<Double>(center[12], center[13]); var a6 = SIMD2<Double>()
  let c7 = SIMD2<Double>(center[14], center[15]); var a7 = SIMD2<Double>()
  let c8 = SIMD2<Double>(center[16], center[17]); var a8 = SIMD2<Double>()
  let c9 = SIMD2<Double>(center[18], center[19]); var a9 = SIMD2<Double>()
  let c10 = SIMD2<Double>(center[20], center[21]); var a10 = SIMD2<Double>()
  let c11 = SIMD2<Double>(center[22], center[23]); var a11 = SIMD2<Double>()
  for b in 0..<blocks {
    let q = raw + b * 96
    let d0 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 0, as: SIMD2<Float>.self)) - c0; a0 += d0 * d0
    let d1 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 8, as: SIMD2<Float>.self)) - c1; a1 += d1 * d1
    let d2 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self)) - c2; a2 += d2 * d2
    let d3 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 24, as: SIMD2<Float>.self)) - c3; a3 += d3 * d3
    let d4 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 32, as: SIMD2<Float>.self)) - c4; a4 += d4 * d4
    let d5 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 40, as: SIMD2<Float>.self)) - c5; a5 += d5 * d5
    let d6 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 48, as: SIMD2<Float>.self)) - c6; a6 += d6 * d6
    let d7 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 56, as: SIMD2<Float>.self)) - c7; a7 += d7 * d7
    let d8 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 64, as: SIMD2<Float>.self)) - c8; a8 += d8 * d8
    let d9 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 72, as: SIMD2<Float>.self)) - c9; a9 += d9 * d9
    let d10 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 80, as: SIMD2<Float>.self)) - c10; a10 += d10 * d10
    let d11 = SIMD2<Double>(q.loadUnaligned(fromByteOffset: 88, as: SIMD2<Float>.self)) - c11; a11 += d11 * d11
  }
  for (k, a) in [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11].enumerated() {
    sums[2 * k] += a[0]
    sums[2 * k + 1] += a[1]
  }
}

@inline(__always)
private func _floatLaneSumsBody(
  _ p: UnsafePointer<Float>, _ blocks: Int, _ vectors: Int, _ center: UnsafePointer<Double>?,
  _ sums: UnsafeMutablePointer<Double>
) {
  withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: 2 * vectors) { buffer in
    let acc = buffer.baseAddress!, shift = acc + vectors
    acc.initialize(repeating: .zero, count: vectors)
    let raw = UnsafeRawPointer(p)
    if let center {
      for v in 0..<vectors {
        shift[v] = SIMD4(center[4 * v], center[4 * v + 1], center[4 * v + 2], center[4 * v + 3])
      }
      for b in 0..<blocks {
        let q = raw + b * 16 * vectors
        for v in 0..<vectors {
          let d = SIMD4<Double>(q.loadUnaligned(fromByteOffset: 16 * v, as: SIMD4<Float>.self)) - shift[v]
          acc[v] += d * d
        }
      }
    } else {
      for b in 0..<blocks {
        let q = raw + b * 16 * vectors
        for v in 0..<vectors {
          acc[v] += SIMD4<Double>(q.loadUnaligned(fromByteOffset: 16 * v, as: SIMD4<Float>.self))
        }
      }
    }
    for v in 0..<vectors {
      for k in 0..<4 { sums[4 * v + k] += acc[v][k] }
    }
  }
}

/// `out[i] = Float(input[i])` for `i` in `0..<count` (the `uint8 → float32` cast).
@usableFromInline
func _uint8ToFloat(_ input: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<Float>, count: Int) {
  var i = 0
  let raw = UnsafeMutableRawPointer(out), source = UnsafeRawPointer(input)
  while i + 8 <= count {
    let a = SIMD8<Int32>(truncatingIfNeeded: source.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self))
    raw.storeBytes(of: SIMD4<Float>(a.lowHalf), toByteOffset: 4 * i, as: SIMD4<Float>.self)
    raw.storeBytes(of: SIMD4<Float>(a.highHalf), toByteOffset: 4 * i + 16, as: SIMD4<Float>.self)
    i += 8
  }
  while i < count { out[i] = Float(input[i]); i += 1 }
}
