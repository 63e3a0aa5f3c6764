#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for array data read from files.
///
/// Large buffers are 2 MiB-aligned and, on Linux, marked for transparent huge pages, as
/// NumPy does for its data allocations (`madvise(MADV_HUGEPAGE)` above 4 MiB): reading a
/// big array then takes a few hundred page faults instead of hundreds of thousands.
enum ArrayAllocation {
  static let hugePageThreshold = 4 << 20
  static let hugePageSize = 2 << 20

  /// Allocates `byteCount` bytes (at least 1) aligned for any element type.
  static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
    let size = max(byteCount, 1)
    var pointer: UnsafeMutableRawPointer? = nil
    if size >= hugePageThreshold {
      if posix_memalign(&pointer, hugePageSize, size) == 0, let pointer {
        #if os(Linux)
        _ = madvise(pointer, size, 14 /* MADV_HUGEPAGE */)
        #endif
        return pointer
      }
    }
    guard posix_memalign(&pointer, 64, size) == 0, let pointer else {
      fatalError("out of memory allocating \(size) bytes")
    }
    return pointer
  }

  /// Frees memory from ``allocate(byteCount:)``.
  static func deallocate(_ pointer: UnsafeMutableRawPointer) {
    free(pointer)
  }
}
