import CMalloc

/// How the process's `malloc` keeps freed memory: one decision for the whole run, so it is
/// made here, in the executable, not in a library.
///
/// Every image of a run allocates the same few buffers (the file's bytes, the decoded
/// pixels, the resize passes: 0.1–4 MB each). glibc serves blocks from 128 KiB up with a
/// fresh `mmap` and returns them with `munmap` (until its threshold has adapted), and trims
/// the heap when 128 KiB are free at its top, so each image paid again for page faults and
/// zeroed pages: 62,000 faults and a third of the run's time for 120 BMPs of 640×480.
/// Keeping blocks below 32 MiB in the heap and trimming only above 64 MiB free lets the next
/// image reuse them (2,500 faults). Large arrays (≥ 4 MiB) have their own cache in NDArray.
enum MallocTuning {
  /// Blocks of at least this size still get their own mapping (glibc's own upper bound).
  static let mmapThreshold: Int32 = 32 << 20
  /// The free memory at the heap's top kept for reuse instead of returned to the system.
  static let trimThreshold: Int32 = 64 << 20

  /// Applies both settings (glibc; elsewhere nothing).
  static func apply() {
    #if canImport(Glibc)
    _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
    _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
    #endif
  }
}
