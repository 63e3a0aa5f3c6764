// Integer convolution kernels of Pillow's 8-bit resampler (Resample.c), with an AVX2 path
// chosen at run time. This module provides no stable Swift API; Imaging's resize calls it.
//
// Weights are 32-bit fixed point with CIC_RESAMPLE_PRECISION_BITS fractional bits; every
// output sample is clip8((2^(bits-1) + Σ sample·weight) >> bits), summed in 32-bit
// integers, so the AVX2 and the portable paths give identical bytes.
#ifndef CIMAGERESAMPLE_H
#define CIMAGERESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#define CIC_RESAMPLE_PRECISION_BITS 22

/// Horizontal pass: `rows` rows of `in_width` pixels of `channels` interleaved bytes to rows
/// of `out_width` pixels. Output pixel x reads input pixels bounds[2x] ..< bounds[2x] +
/// bounds[2x+1] with weights[x * ksize ...]. `allow_simd` nonzero lets the AVX2 kernels run
/// where the CPU has them; 0 runs the portable ones (the same bytes either way).
void cic_resample_horizontal_u8(const uint8_t *src, size_t src_stride, uint8_t *dst,
                                size_t dst_stride, int rows, int in_width, int out_width,
                                int channels, const int32_t *bounds, const int32_t *weights,
                                int ksize, int allow_simd);

/// Vertical pass: `out_height` rows of `row_length` bytes; output row y is the weighted sum
/// of input rows bounds[2y] - row_offset ..< that + bounds[2y+1]. `allow_simd` as above.
void cic_resample_vertical_u8(const uint8_t *src, size_t src_stride, uint8_t *dst,
                              size_t dst_stride, int out_height, int row_length,
                              int row_offset, const int32_t *bounds, const int32_t *weights,
                              int ksize, int allow_simd);

/// 1 when this CPU can run the AVX2 kernels, else 0. No state: the kernel choice is the
/// `allow_simd` argument of each call, so concurrent callers never affect one another.
int cic_resample_cpu_has_avx2(void);

#endif
