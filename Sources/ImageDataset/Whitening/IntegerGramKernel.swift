import CIntegerGram
import Dispatch
import NDArray

/// How a block of `uint8` vectors becomes exact Gram sums `Σ v_i·v_j`: the AVX-512 VNNI
/// integer kernel (`vpdpbusd`, C target CIntegerGram) where the CPU has it, else `ssyrk` on
/// values shifted to −128…127 (exact in `Float`). Both give the same integers; the NumPy
/// equivalent is `X.T.astype(np.int64) @ X`.
enum IntegerGramKernel: Sendable, CaseIterable {
  /// `vpdpbusd`: u8 × s8 products summed in int32 lanes, both cores over column panels.
  case vnni
  /// BLAS `ssyrk` on `Float` blocks (the portable path).
  case ssyrk

  /// True when this CPU runs ``vnni`` (AVX-512 F, BW and VNNI, checked once at run time).
  static let vnniAvailable = integer_gram_available() != 0

  /// ``vnni`` where available, else ``ssyrk``.
  static let best: IntegerGramKernel = vnniAvailable ? .vnni : .ssyrk

  /// The most vectors one ``add(_:rows:dimension:sums:products:scratch:)`` call takes. `vnni`:
  /// 4096, whose packed panels a tile reads stay in L2 while the int64 sums are read and
  /// written a quarter as often as with 1024 (the whitening benchmark's sums stage: 0.94 s
  /// with 1024, 0.83 s with 4096, no faster at 8192). `ssyrk`: 1024, the most whose shifted
  /// sums `Float` holds exactly.
  var blockRows: Int {
    switch self {
    case .vnni: return 4096
    case .ssyrk: return 1024
    }
  }

  /// Adds `Σ v_i·v_j` (i ≤ j) of `rows` vectors to `products` (row-major D×D, upper
  /// triangle) and `Σ v_i` to `sums`, for at most ``blockRows`` rows. `scratch` is grown as
  /// needed and can be passed again with the next block.
  func add(
    _ values: UnsafeBufferPointer<UInt8>, rows: Int, dimension d: Int, sums: inout [Int64], products: inout [Int64],
    scratch: inout [UInt8]
  ) {
    switch self {
    case .vnni: Self.addVNNI(values, rows: rows, dimension: d, sums: &sums, products: &products, packed: &scratch)
    case .ssyrk: Self.addShiftedFloat(values, rows: rows, dimension: d, sums: &sums, products: &products)
    }
  }

  /// Packs the block into `vpdpbusd`'s 4-row groups, then sums each column panel on its own
  /// thread: panels write disjoint entries and every sum is an integer, so the result does
  /// not depend on the thread count. The int32 lanes hold a block of up to
  /// `INTEGER_GRAM_MAXIMUM_ROWS` (65,536) rows exactly.
  private static func addVNNI(
    _ values: UnsafeBufferPointer<UInt8>, rows: Int, dimension d: Int, sums: inout [Int64], products: inout [Int64],
    packed: inout [UInt8]
  ) {
    precondition(rows >= 1 && rows <= Int(INTEGER_GRAM_MAXIMUM_ROWS) && values.count == rows * d)
    let bytes = integer_gram_packed_bytes(Int64(rows), Int64(d))
    if packed.count < bytes { packed = [UInt8](repeating: 0, count: bytes) }
    // Packed in two halves of the row groups at once, each with its own column sums (the
    // other core waited 10 ms per block of 4096 × 3072 for one thread to pack it).
    let groups = (rows + 3) / 4, halves = groups >= 2 ? 2 : 1
    // Half h's column sums at h·d.
    var halfSums = [Int64](repeating: 0, count: halves * d)
    packed.withUnsafeMutableBufferPointer { p in
      halfSums.withUnsafeMutableBufferPointer { sums in
        // Unsafe pointers are not Sendable; the halves write disjoint bytes and sums.
        let (valuesBase, packedBase) = (UInt(bitPattern: values.baseAddress!), UInt(bitPattern: p.baseAddress!))
        let sumsBase = UInt(bitPattern: sums.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: halves) { half in
          integer_gram_pack_groups(
            UnsafePointer(bitPattern: valuesBase), Int64(rows), Int64(d), UnsafeMutablePointer(bitPattern: packedBase),
            UnsafeMutablePointer<Int64>(bitPattern: sumsBase)! + half * d, Int64(half * groups / halves),
            Int64((half + 1) * groups / halves))
        }
      }
    }
    var blockSums = Array(halfSums[0..<d])
    for half in 1..<halves { for i in 0..<d { blockSums[i] += halfSums[half * d + i] } }
    let panels = Int(integer_gram_panel_count(Int64(d)))
    packed.withUnsafeBufferPointer { p in
      blockSums.withUnsafeBufferPointer { s in
        products.withUnsafeMutableBufferPointer { output in
          // Unsafe pointers are not Sendable; the panels write disjoint entries.
          let (packedBase, sumsBase) = (UInt(bitPattern: p.baseAddress!), UInt(bitPattern: s.baseAddress!))
          let outputBase = UInt(bitPattern: output.baseAddress!)
          // The widest panels (most rows above the diagonal) first, for an even spread.
          DispatchQueue.concurrentPerform(iterations: panels) { index in
            integer_gram_add_panel(
              UnsafePointer(bitPattern: packedBase), Int64(rows), Int64(d), Int64(panels - 1 - index),
              UnsafePointer(bitPattern: sumsBase), UnsafeMutablePointer(bitPattern: outputBase))
          }
        }
      }
    }
    for i in 0..<d { sums[i] += blockSums[i] }
  }

  /// `ssyrk` on the block shifted to −128…127: every product is at most 2^14 and every
  /// partial sum of ≤ 1024 rows at most 2^24 in magnitude, so `Float` holds it exactly
  /// whatever BLAS's blocking or thread count; then turned back into raw sums in integers.
  private static func addShiftedFloat(
    _ values: UnsafeBufferPointer<UInt8>, rows: Int, dimension d: Int, sums: inout [Int64], products: inout [Int64]
  ) {
    precondition(rows <= Self.ssyrk.blockRows, "an ssyrk block of \(rows) rows could leave Float's exact integers")
    var shiftedSums = [Int64](repeating: 0, count: d)
    // Plain arrays, not NDArrays: these scratch buffers are freed when the block is done
    // instead of staying resident in NDArray's buffer cache during the fit.
    var shifted = [Float](repeating: 0, count: rows * d)
    for r in 0..<rows {
      let row = r * d
      for i in 0..<d {
        let v = Int64(values[row + i]) - 128
        shiftedSums[i] += v
        shifted[row + i] = Float(v)
      }
    }
    var gram = [Float](repeating: 0, count: d * d)
    shifted.withUnsafeBufferPointer { a in
      gram.withUnsafeMutableBufferPointer { c in Linalg.syrk(a, rows: rows, columns: d, upperInto: c) }
    }
    shifted = []
    // Σ v_i v_j = Σ (v_i − 128)(v_j − 128) + 128·(Σ (v_i − 128) + Σ (v_j − 128)) + 128²·rows.
    let constant = 16384 * Int64(rows)
    gram.withUnsafeBufferPointer { g in
      products.withUnsafeMutableBufferPointer { p in
        for i in 0..<d {
          let si = shiftedSums[i]
          for j in i..<d {
            p[i * d + j] += Int64(g[i * d + j]) + 128 * (si + shiftedSums[j]) + constant
          }
        }
      }
    }
    for i in 0..<d { sums[i] += shiftedSums[i] + 128 * Int64(rows) }
  }
}
