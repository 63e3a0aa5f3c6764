import Testing

@testable import NDArray

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Large results reuse recently released buffers (`_HugePageBufferCache`): a reused
/// buffer must hold exactly the new result and never be shared with a live array.
@Test func reusedLargeBuffersHoldOnlyTheNewResult() {
  let count = 3 << 20  // 12 MiB of Float: above the huge-page threshold
  let pixels = NDArray<UInt8>((0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) })
  let expected = pixels.flatElements.map(Float.init)
  for _ in 0..<3 {
    // Fill a buffer of the result's size with other values, then release it.
    do {
      let stale = NDArray<Float>(shape: [count], repeating: -7)
      #expect(stale[item: 0] == -7)
    }
    let first = pixels.astype(Float.self)
    let second = pixels.astype(Float.self)  // allocated while `first` is alive
    #expect(first.flatElements == expected)
    #expect(second.flatElements == expected)
    var third = first
    third[item: count - 1] = 1000  // copy-on-write: must not reach `first`'s buffer
    #expect(first[item: count - 1] == expected[count - 1])
  }
}

/// The cache hands a kept buffer back only for the same size, and only once; draining
/// empties it.
@Test func hugePageBufferCacheReturnsKeptBufferOnceForItsSize() {
  let bytes = _hugePageRoundedSize(37 << 20)  // a size no other test allocates
  guard let memory = _allocateHugePageBacked(bytes: bytes) else {
    Issue.record("allocation of \(bytes) bytes failed")
    return
  }
  let kept = _HugePageBufferCache.keep(memory, bytes: bytes)
  #expect(kept == (bytes <= _HugePageBufferCache.maximumBytes))
  guard kept else { free(memory); return }
  let otherSize = bytes + (2 << 20)
  if let other = _HugePageBufferCache.take(bytes: otherSize) {
    #expect(other != memory)
    _releaseHugePageBacked(other, bytes: otherSize)
  }
  let reused = _HugePageBufferCache.take(bytes: bytes)
  #expect(reused == memory)
  #expect(_HugePageBufferCache.take(bytes: bytes) == nil)
  // Draining (what a failed allocation does) frees every kept buffer.
  guard let reused else { return }
  #expect(_HugePageBufferCache.keep(reused, bytes: bytes))
  #expect(_HugePageBufferCache.drain())
  #expect(_HugePageBufferCache.take(bytes: bytes) == nil)
}
