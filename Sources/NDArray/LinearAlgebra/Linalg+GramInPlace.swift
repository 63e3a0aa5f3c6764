import CLinearAlgebra

extension Linalg {
  /// Rows per step of ``replaceWithColumnGram(_:dimension:)``: its scratch is two blocks of
  /// this many rows (2·128·n doubles, 6.3 MB for n = 3072).
  static let gramInPlaceBlock = 128

  /// Overwrites a square row-major n×n `Float64` matrix `m` with `mᵀ·m` (NumPy `m.T @ m`),
  /// using two blocks of ``gramInPlaceBlock`` rows of scratch instead of a second n×n matrix.
  ///
  /// `m` is transposed in place (so its rows are the columns `c`), then the result is
  /// written row block by row block: rows I of `cᵀ`'s Gram `c·cᵀ` need `c`'s rows I and
  /// after (`dgemm` of the block's copy with them) and, left of the diagonal, the rows
  /// already written (the result is symmetric), so each block overwrites rows no later block
  /// reads. The result is exactly symmetric (the upper triangle computed, the lower one its
  /// mirror).
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
        let i = first + r
        let row = base + i * n
        for j in 0..<first { row[j] = base[j * n + i] }
        for c in 0..<r { row[first + c] = products[c * width + r] }
        for c in r..<width { row[first + c] = products[r * width + c] }
      }
    }
  }

  /// Transposes a square row-major matrix in place, a 64×64 tile pair at a time.
  static func _transposeSquareInPlace(_ m: UnsafeMutablePointer<Double>, dimension n: Int) {
    let tile = 64
    for ib in stride(from: 0, to: n, by: tile) {
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
