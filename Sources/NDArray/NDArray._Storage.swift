#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocations of at least this many bytes ask for transparent huge pages.
@usableFromInline let _hugePageThreshold = 4 << 20

/// `bytes` of memory aligned to 2 MiB, advised `MADV_HUGEPAGE` where the system has it;
/// free it with `free`. Nil when the allocation fails.
@usableFromInline
func _allocateHugePageBacked(bytes: Int) -> UnsafeMutableRawPointer? {
  let alignment = 2 << 20
  let rounded = (bytes + alignment - 1) / alignment * alignment
  var memory: UnsafeMutableRawPointer? = nil
  guard posix_memalign(&memory, alignment, rounded) == 0, let memory else { return nil }
  #if os(Linux)
  _ = madvise(memory, rounded, 14 /* MADV_HUGEPAGE */)
  #endif
  return memory
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
      self.release = { free(UnsafeMutableRawPointer(bitPattern: address)) }
    } else {
      self.base = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(count, 1))
      self.release = nil
    }
    self.count = count
    self.isReadOnly = false
    self.isOwned = true
  }

  @usableFromInline
  init(borrowing base: UnsafeMutablePointer<Element>, count: Int, readOnly: Bool,
       release: @escaping @Sendable () -> Void) {
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
