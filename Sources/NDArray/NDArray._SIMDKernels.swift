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
  case (1, true): _uint8LaneMomentsBody(p, blocks, 1, true, sums, squareSums)
  case (1, false): _uint8LaneMomentsBody(p, blocks, 1, false, sums, squareSums)
  case (2, true): _uint8LaneMomentsBody(p, blocks, 2, true, sums, squareSums)
  case (2, false): _uint8LaneMomentsBody(p, blocks, 2, false, sums, squareSums)
  case (3, true): _uint8LaneMomentsBody(p, blocks, 3, true, sums, squareSums)
  case (3, false): _uint8LaneMomentsBody(p, blocks, 3, false, sums, squareSums)
  case (4, true): _uint8LaneMomentsBody(p, blocks, 4, true, sums, squareSums)
  case (4, false): _uint8LaneMomentsBody(p, blocks, 4, false, sums, squareSums)
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
  switch vectors {
  case 4: _floatLaneSumsBody(p, blocks, 4, center, sums)
  case 6: _floatLaneSumsBody(p, blocks, 6, center, sums)
  case 8: _floatLaneSumsBody(p, blocks, 8, center, sums)
  default: _floatLaneSumsBody(p, blocks, vectors, center, sums)
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
