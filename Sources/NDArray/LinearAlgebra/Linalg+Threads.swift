import CLinearAlgebra

extension Linalg {
  /// Stops OpenBLAS's worker threads until the next threaded BLAS or LAPACK call, which
  /// starts them again. No NumPy equivalent (threadpoolctl's `threadpool_limits` is the
  /// nearest).
  ///
  /// OpenBLAS starts its threads when the library loads, and each one spins (`sched_yield`)
  /// for about 2^28 cycles waiting for work before it sleeps: on two cores, 5 ms of start-up
  /// and about 0.1 s of the second core for a command that never multiplies a matrix.
  /// `normtool` calls this first; a process that does call BLAS loses nothing but the
  /// restart (a few milliseconds).
  public static func parkBLASThreads() {
    _ = blas_thread_shutdown_()
  }
}
