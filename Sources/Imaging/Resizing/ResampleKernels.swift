import CImageCodecs

/// Which integer kernels run the convolution passes of `resize` and `fit`.
///
/// No Pillow equivalent: Pillow compiles one set of kernels into Resample.c. Ours are chosen
/// per call, so a caller (a test comparing the two) never changes what another thread
/// gets. Both choices give identical bytes: every output sample is an integer sum of 22-bit
/// fixed-point weights, whatever the order of additions.
public enum ResampleKernels: Sendable, CaseIterable {
  /// The AVX2 kernels where this CPU has AVX2, the portable ones elsewhere (the default).
  case fastest
  /// The portable C kernels, on every CPU.
  case portable

  /// True when this CPU can run the AVX2 kernels, so `.fastest` differs from `.portable`.
  public static var cpuHasAVX2: Bool { cic_resample_cpu_has_avx2() != 0 }

  /// The `allow_simd` argument of the C kernels.
  var allowsSIMD: Int32 { self == .fastest ? 1 : 0 }
}
