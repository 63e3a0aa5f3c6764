import NDArray

/// ``CovarianceAccumulator`` fed one image at a time, as `convert`'s pass 1 and a shard's
/// `stats` pass feed it: channel scope adds each image's pixels at once; image scope gathers
/// whole images into blocks of ``CovarianceAccumulator/blockRows`` for one Gram kernel call
/// each (VNNI or `ssyrk`). The sums are the same integers either way (the NumPy equivalent is
/// `X.sum(0), np.triu(X.T @ X)` in int64 over the (n, D) vectors).
struct ImageCovarianceSums {
  /// Pixels or whole images.
  let scope: WhiteningScope
  private var sums: CovarianceAccumulator
  /// Images waiting for a full block (image scope).
  private var pending: [UInt8] = []

  /// Empty sums of vectors of `dimension` values (C for channel scope, H·W·C for image).
  init(scope: WhiteningScope, dimension: Int) {
    self.scope = scope
    sums = CovarianceAccumulator(dimension: dimension)
  }

  /// Adds one image's `uint8` pixels, (H, W, C) in C order.
  mutating func add(_ pixels: NDArray<UInt8>) {
    if scope == .channel {
      sums.add(pixels)
      return
    }
    pixels.withUnsafeBufferPointer { pending.append(contentsOf: $0) }
    if pending.count >= CovarianceAccumulator.blockRows * sums.dimension { flush() }
  }

  private mutating func flush() {
    if pending.isEmpty { return }
    pending.withUnsafeBufferPointer { sums.add($0) }
    pending.removeAll(keepingCapacity: false)
  }

  /// The sums of every image added (the caller drops this value before fitting, so that
  /// ``WhiteningMatrix/init(fitting:options:)`` can free them).
  mutating func finished() -> CovarianceAccumulator {
    flush()
    return sums
  }
}
