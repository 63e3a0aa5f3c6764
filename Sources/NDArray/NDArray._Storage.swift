import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocations of at least this many bytes ask for transparent huge pages.
@usableFromInline let _hugePageThreshold = 4 << 20

/// The size `_allocateHugePageBacked(bytes:)` really allocates for `bytes`: a whole
/// number of 2 MiB pages.
@usableFromInline
func _hugePageRoundedSize(_ bytes: Int) -> Int {
  let alignment = 2 << 20
  return (bytes + alignment - 1) / alignment * alignment
}

/// `bytes` of memory aligned to 2 MiB, advised `MADV_HUGEPAGE` where the system has it;
/// give it back with `_releaseHugePageBacked(_:bytes:)` (same `bytes`). A buffer of the
/// same rounded size released a moment ago is reused when one is cached (see
/// `_HugePageBufferCache`). Nil when the allocation fails.
@usableFromInline
func _allocateHugePageBacked(bytes: Int) -> UnsafeMutableRawPointer? {
  let rounded = _hugePageRoundedSize(bytes)
  if let reused = _HugePageBufferCache.take(bytes: rounded) { return reused }
  var memory: UnsafeMutableRawPointer? = nil
  if posix_memalign(&memory, 2 << 20, rounded) != 0 || memory == nil {
    // Cached buffers hold address space (and, until reclaimed, memory): give them back
    // and try once more, so the cache never makes an allocation fail.
    guard _HugePageBufferCache.drain() else { return nil }
    memory = nil
    guard posix_memalign(&memory, 2 << 20, rounded) == 0 else { return nil }
  }
  guard let memory else { return nil }
  _adviseHugePages(memory, bytes: rounded)
  return memory
}

/// Advises the whole 2 MiB pages within `bytes` from `start` `MADV_HUGEPAGE` (Linux; a no-op
/// elsewhere), for a large buffer NDArray did not allocate, such as a Swift array's, before
/// it is first written: a matrix streamed from memory again and again (`dsytrd`'s) then
/// costs one TLB entry per 2 MiB, and the hardware prefetchers are not stopped every
/// 4 KiB. NumPy advises its large arrays the same way.
public func _adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
  #if os(Linux)
  let alignment = UInt(2 << 20)
  let first = (UInt(bitPattern: start) + alignment - 1) & ~(alignment - 1)
  let end = (UInt(bitPattern: start) + UInt(bytes)) & ~(alignment - 1)
  if end > first, let page = UnsafeMutableRawPointer(bitPattern: first) {
    _ = madvise(page, Int(end - first), 14 /* MADV_HUGEPAGE */)
  }
  #endif
}

/// Gives back memory from `_allocateHugePageBacked(bytes:)`: it goes to the reuse cache
/// when there is room, else to `free`.
@usableFromInline
func _releaseHugePageBacked(_ memory: UnsafeMutableRawPointer, bytes: Int) {
  let rounded = _hugePageRoundedSize(bytes)
  if !_HugePageBufferCache.keep(memory, bytes: rounded) { free(memory) }
}

/// A few recently released large buffers, kept for the next allocation of the same
/// rounded size (as jemalloc and PyTorch's caching allocator do).
///
/// Fresh memory from the kernel must be zeroed page by page on first touch, and for a
/// large result that zeroing costs more than computing it (`astype` of 150 M `uint8` to
/// `float32`: ~0.04 s of the ~0.065 s). A cached buffer is advised `MADV_FREE`: the
/// kernel may still take its pages back under memory pressure (they are then zeroed
/// again on next touch), but until it does, reuse costs no page faults. Contents of a
/// reused buffer are unspecified, exactly like fresh `malloc` memory: every caller
/// initializes all elements, so results never depend on the cache. Implementation
/// detail; this type provides no stable API.
enum _HugePageBufferCache {
  /// At most this many buffers are kept.
  static let maximumBuffers = 4
  /// At most this many bytes are kept in all: 2 GiB, or an eighth of physical memory
  /// when that is less.
  static let maximumBytes = Swift.min(2 << 30, Int(clamping: _physicalMemory() / 8))

  private struct Entry: Sendable {
    let address: UInt
    let bytes: Int
  }
  /// Oldest first.
  private static let entries = Mutex<[Entry]>([])

  /// A cached buffer of exactly `bytes` (a multiple of 2 MiB), or nil.
  static func take(bytes: Int) -> UnsafeMutableRawPointer? {
    let address = entries.withLock { entries -> UInt? in
      guard let index = entries.lastIndex(where: { $0.bytes == bytes }) else { return nil }
      return entries.remove(at: index).address
    }
    return address.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
  }

  /// Frees every cached buffer; false when there was none.
  static func drain() -> Bool {
    let drained = entries.withLock { entries -> [Entry] in
      defer { entries.removeAll() }
      return entries
    }
    for entry in drained { free(UnsafeMutableRawPointer(bitPattern: entry.address)) }
    return !drained.isEmpty
  }

  /// Keeps `memory` (`bytes` long, from `posix_memalign`) for reuse, evicting the oldest
  /// buffers to make room; false when it is too large to keep (the caller frees it).
  static func keep(_ memory: UnsafeMutableRawPointer, bytes: Int) -> Bool {
    guard maximumBuffers > 0, bytes <= maximumBytes else { return false }
    #if os(Linux)
    _ = madvise(memory, bytes, 8 /* MADV_FREE */)
    #endif
    let evicted = entries.withLock { entries -> [Entry] in
      entries.append(Entry(address: UInt(bitPattern: memory), bytes: bytes))
      var total = entries.reduce(0) { $0 + $1.bytes }
      var evicted: [Entry] = []
      while entries.count > maximumBuffers || total > maximumBytes {
        let oldest = entries.removeFirst()
        total -= oldest.bytes
        evicted.append(oldest)
      }
      return evicted
    }
    for entry in evicted { free(UnsafeMutableRawPointer(bitPattern: entry.address)) }
    return true
  }
}

/// Physical memory in bytes (0 when unknown, which disables the cache).
private func _physicalMemory() -> UInt64 {
  #if os(Linux)
  let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
  return pages > 0 && size > 0 ? UInt64(pages) * UInt64(size) : 0
  #else
  return 0
  #endif
}

/// The buffer behind one or more arrays. Views share it; writes copy it first unless
/// exactly one array holds it (copy-on-write).
///
/// Storage either owns memory it allocated, or borrows memory that someone else owns
/// (a memory-mapped file, say) and runs a release closure when the last array lets go.
/// Borrowed storage may be read-only: writing through an array that holds it copies first.
@usableFromInline
final class _NDArrayStorage<Element>: @unchecked Sendable {
  @usableFromInline let base: UnsafeMutablePointer<Element>
  @usableFromInline let count: Int
  @usableFromInline let isReadOnly: Bool
  @usableFromInline let release: (@Sendable () -> Void)?
  /// True when this storage allocated its memory (it is not borrowed): only then may a
  /// temporary be reused as an operation's result.
  @usableFromInline let isOwned: Bool

  /// Allocates `count` uninitialized elements. The caller must initialize them all.
  ///
  /// Buffers of 4 MiB and more are 2 MiB-aligned and advised to use transparent huge
  /// pages (as NumPy does): first-touch page faults then cost 512 times less.
  @usableFromInline
  init(uninitializedCount count: Int) {
    let bytes = Swift.max(count, 1) * MemoryLayout<Element>.stride
    if bytes >= _hugePageThreshold, let memory = _allocateHugePageBacked(bytes: bytes) {
      self.base = memory.bindMemory(to: Element.self, capacity: Swift.max(count, 1))
      let address = UInt(bitPattern: memory)
      self.release = { _releaseHugePageBacked(UnsafeMutableRawPointer(bitPattern: address)!, bytes: bytes) }
    } else {
      self.base = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(count, 1))
      self.release = nil
    }
    self.count = count
    self.isReadOnly = false
    self.isOwned = true
  }

  @usableFromInline
  init(
    borrowing base: UnsafeMutablePointer<Element>, count: Int, readOnly: Bool,
    release: @escaping @Sendable () -> Void
  ) {
    self.base = base
    self.count = count
    self.isReadOnly = readOnly
    self.release = release
    self.isOwned = false
  }

  deinit {
    if let release {
      release()
    } else {
      base.deinitialize(count: count)
      base.deallocate()
    }
  }
}

// MARK: - The allocator for other modules of the package

extension NDArray {
  /// An array of `shape` (C order, or Fortran order when `fortranOrder`) over storage this
  /// library allocates and owns: buffers of 4 MiB and more are huge-page backed and go
  /// back to the reuse cache when released, and the array may be reused as a temporary,
  /// like any array NDArray computes. `body` must write all `count × itemsize` bytes it is
  /// given (a file's data section, say); if it throws, the memory is released.
  ///
  /// The NumPy equivalent is `numpy.empty(shape, order=...)` filled by `readinto`, as
  /// `numpy.load` does. For NPYIO; not a stable API.
  package init(
    _unsafeUninitializedShape shape: [Int], fortranOrder: Bool,
    initializingRawBytesWith body: (UnsafeMutableRawBufferPointer) throws -> Void
  ) rethrows {
    let count = NDArray.elementCount(of: shape)
    let storage = _NDArrayStorage<Element>(uninitializedCount: count)
    try body(UnsafeMutableRawBufferPointer(start: storage.base, count: count * MemoryLayout<Element>.stride))
    let strides = fortranOrder ? NDArray.fortranStrides(for: shape) : NDArray.cStrides(for: shape)
    self.init(_storage: storage, shape: shape, strides: strides, offset: 0)
  }

  /// True when the array's storage was allocated by this library rather than borrowed
  /// (a memory-mapped file, say): only such storage is cached and reused. For tests and
  /// NPYIO; not a stable API.
  package var _ownsStorage: Bool { _storage.isOwned }

  /// The address of the array's storage, which a write through a uniquely held array does
  /// not change (no copy). For tests; not a stable API.
  package var _storageAddress: UnsafeRawPointer { UnsafeRawPointer(_storage.base) }
}
