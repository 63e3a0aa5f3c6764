import CLinearAlgebra

extension Linalg {
  /// Rows per step of ``replaceWithColumnGram(_:dimension:)``: its scratch is two blocks of
  /// this many rows (2·128·n doubles, 6.3 MB for n = 3072).
  static let gramInPlaceBlock = 128

  /// Overwrites a square row-major n×n `Float64` matrix `m` with `mᵀ·m` (NumPy `m.T @ m`),
  /// using two blocks of ``gramInPlaceBlock`` rows of scratch instead of a second n×n matrix.
  ///
  /// `m` is transposed in place (so its rows are the columns `c`), then the result is
  /// written row block by row block: the upper triangle of rows I of `cᵀ`'s Gram `c·cᵀ`
  /// needs `c`'s rows I and after only (`dgemm` of the block's copy with them), so each
  /// block overwrites rows no later block reads; the lower triangle is mirrored at the end.
  /// The result is exactly symmetric.
  ///
  /// Traps unless `m` holds n·n elements.
  public static func replaceWithColumnGram(_ m: UnsafeMutableBufferPointer<Double>, dimension n: Int) {
    precondition(m.count == n * n, "replaceWithColumnGram: \(m.count) elements for n = \(n)")
    guard n > 0, let base = m.baseAddress else { return }
    _transposeSquareInPlace(base, dimension: n)
    let block = gramInPlaceBlock
    var rows = [Double](repeating: 0, count: block * n)
    var products = [Double](repeating: 0, count: block * n)
    for first in stride(from: 0, to: n, by: block) {
      let height = Swift.min(block, n - first), width = n - first
      rows.withUnsafeMutableBufferPointer { r in
        r.baseAddress!.update(from: base + first * n, count: height * n)
        products.withUnsafeMutableBufferPointer { p in
          // p (height × width) = rows (height × n) · c[first…]ᵀ.
          cblas_dgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, _lapackInt(height), _lapackInt(width), _lapackInt(n), 1,
            r.baseAddress, _lapackInt(n), base + first * n, _lapackInt(n), 0, p.baseAddress, _lapackInt(width))
        }
      }
      for r in 0..<height {
        let row = base + (first + r) * n
        for c in 0..<r { row[first + c] = products[c * width + r] }
        for c in r..<width { row[first + c] = products[r * width + c] }
      }
    }
    // The lower triangle mirrors the upper one, a tile at a time (filled row by row above,
    // it read a column per row: 0.036 s of 0.43 at n = 3072, against 0.014 s here), a row
    // of tiles per work item.
    let tile = 64
    let matrix = _UnsafeSendable(base)
    _Parallel.forEach(items: (n + tile - 1) / tile, elements: n * n) { item in
      let base = matrix.value, ib = item * tile
      for jb in stride(from: 0, to: ib, by: tile) {
        for i in ib..<Swift.min(ib + tile, n) {
          for j in jb..<Swift.min(jb + tile, i) { base[i * n + j] = base[j * n + i] }
        }
      }
    }
  }

  /// Transposes a square row-major matrix in place, a 64×64 tile pair at a time (a row of
  /// tiles and its column per work item, on several threads).
  static func _transposeSquareInPlace(_ m: UnsafeMutablePointer<Double>, dimension n: Int) {
    let tile = 64
    let matrix = _UnsafeSendable(m)
    _Parallel.forEach(items: (n + tile - 1) / tile, elements: n * n) { item in
      let m = matrix.value, ib = item * tile
      for jb in stride(from: ib, to: n, by: tile) {
        for i in ib..<Swift.min(ib + tile, n) {
          let (from, to) = (Swift.max(jb, i + 1), Swift.min(jb + tile, n))
          if from >= to { continue }
          for j in from..<to {
            let t = m[i * n + j]
            m[i * n + j] = m[j * n + i]
            m[j * n + i] = t
          }
        }
      }
    }
  }
}
