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

  /// Allocates `count` uninitialized elements. The caller must initialize them all.
  @usableFromInline
  init(uninitializedCount count: Int) {
    self.base = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(count, 1))
    self.count = count
    self.isReadOnly = false
    self.release = nil
  }

  @usableFromInline
  init(borrowing base: UnsafeMutablePointer<Element>, count: Int, readOnly: Bool,
       release: @escaping @Sendable () -> Void) {
    self.base = base
    self.count = count
    self.isReadOnly = readOnly
    self.release = release
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
