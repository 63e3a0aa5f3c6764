// Pillow's 8-bit convolution kernels (Resample.c's ImagingResampleHorizontal_8bpc and
// ImagingResampleVertical_8bpc), portable and AVX2. Integer sums make the two paths
// identical; the AVX2 one is picked at run time, so the package needs no special flags.
#include "CImageResample.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CIC_HAVE_X86 1
#else
#define CIC_HAVE_X86 0
#endif

#define HALF (1 << (CIC_RESAMPLE_PRECISION_BITS - 1))

int cic_resample_cpu_has_avx2(void) {
#if CIC_HAVE_X86
  return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
  return 0;
#endif
}

static inline uint8_t clip8(int32_t sum) {
  int32_t v = sum >> CIC_RESAMPLE_PRECISION_BITS;
  return v < 0 ? 0 : (v > 255 ? 255 : (uint8_t)v);
}

// MARK: - Portable kernels

/// One output pixel of the horizontal pass, any channel count, 32-bit wrapping sums.
static inline void horizontal_pixel(const uint8_t *row, uint8_t *out, int channels, int xmin,
                                    int n, const int32_t *k) {
  for (int c = 0; c < channels; c++) {
    uint32_t s = HALF;
    const uint8_t *p = row + (size_t)xmin * channels + c;
    for (int t = 0; t < n; t++) s += (uint32_t)p[(size_t)t * channels] * (uint32_t)k[t];
    out[c] = clip8((int32_t)s);
  }
}

static void horizontal_portable(const uint8_t *src, size_t src_stride, uint8_t *dst,
                                size_t dst_stride, int rows, int out_width, int channels,
                                const int32_t *bounds, const int32_t *weights, int ksize) {
  for (int y = 0; y < rows; y++) {
    const uint8_t *row = src + (size_t)y * src_stride;
    uint8_t *out = dst + (size_t)y * dst_stride;
    for (int x = 0; x < out_width; x++) {
      horizontal_pixel(row, out + (size_t)x * channels, channels, bounds[2 * x],
                       bounds[2 * x + 1], weights + (size_t)x * ksize);
    }
  }
}

/// Taps outer, samples inner, into a row of 32-bit sums: a loop compilers vectorise on any
/// target (NEON, SSE2).
static void vertical_portable(const uint8_t *src, size_t src_stride, uint8_t *dst,
                              size_t dst_stride, int out_height, int row_length, int row_offset,
                              const int32_t *bounds, const int32_t *weights, int ksize) {
  uint32_t *sums = malloc(sizeof(uint32_t) * (size_t)(row_length > 0 ? row_length : 1));
  for (int y = 0; y < out_height; y++) {
    int ymin = bounds[2 * y] - row_offset, n = bounds[2 * y + 1];
    const int32_t *k = weights + (size_t)y * ksize;
    const uint8_t *first = src + (size_t)ymin * src_stride;
    uint8_t *out = dst + (size_t)y * dst_stride;
    if (!sums) {  // no memory for the row of sums: one sample at a time
      for (int e = 0; e < row_length; e++) {
        uint32_t s = HALF;
        for (int t = 0; t < n; t++) s += (uint32_t)first[(size_t)t * src_stride + e] * (uint32_t)k[t];
        out[e] = clip8((int32_t)s);
      }
      continue;
    }
    for (int e = 0; e < row_length; e++) sums[e] = HALF;
    for (int t = 0; t < n; t++) {
      const uint8_t *row = first + (size_t)t * src_stride;
      uint32_t w = (uint32_t)k[t];
      for (int e = 0; e < row_length; e++) sums[e] += (uint32_t)row[e] * w;
    }
    for (int e = 0; e < row_length; e++) out[e] = clip8((int32_t)sums[e]);
  }
  free(sums);
}

// MARK: - AVX2 kernels

#if CIC_HAVE_X86

/// (sum + HALF) >> bits, saturated to 0…255, 8 lanes to 8 bytes.
__attribute__((target("avx2"))) static inline __m128i finish8(__m256i sum) {
  sum = _mm256_srai_epi32(_mm256_add_epi32(sum, _mm256_set1_epi32(HALF)), CIC_RESAMPLE_PRECISION_BITS);
  __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
  return _mm_packus_epi16(words, words);
}

/// RGB: two output pixels per step, one tap each. A 4-byte load takes a tap's pixel plus
/// the next byte; two loads (one per output pixel) widen to 8 lanes, R G B x | R G B x,
/// against weights pre-expanded per pair of output pixels.
__attribute__((target("avx2"))) static void horizontal_avx2_rgb(
    const uint8_t *src, size_t src_stride, uint8_t *dst, size_t dst_stride, int rows,
    int in_width, int out_width, const int32_t *bounds, const int32_t *weights, int ksize,
    int32_t *expanded) {
  int pairs = out_width / 2;
  for (int p = 0; p < pairs; p++) {
    int x = 2 * p;
    int n0 = bounds[2 * x + 1], n1 = bounds[2 * x + 3];
    const int32_t *k0 = weights + (size_t)x * ksize, *k1 = k0 + ksize;
    int32_t *e = expanded + (size_t)p * ksize * 8;
    for (int t = 0; t < ksize; t++) {
      int32_t a = t < n0 ? k0[t] : 0, b = t < n1 ? k1[t] : 0;
      for (int l = 0; l < 4; l++) { e[8 * t + l] = a; e[8 * t + 4 + l] = b; }
    }
  }
  const long row_bytes = (long)in_width * 3;
  const __m256i half = _mm256_set1_epi32(HALF);
  // Two rows at a time share each pair's bounds and weights.
  for (int y = 0; y < rows; y += 2) {
    int both_rows = y + 1 < rows;
    const uint8_t *row_a = src + (size_t)y * src_stride;
    const uint8_t *row_b = both_rows ? row_a + src_stride : row_a;
    uint8_t *out_a = dst + (size_t)y * dst_stride;
    uint8_t *out_b = both_rows ? out_a + dst_stride : NULL;
    for (int p = 0; p < pairs; p++) {
      int x = 2 * p;
      int xmin0 = bounds[2 * x], n0 = bounds[2 * x + 1];
      int xmin1 = bounds[2 * x + 2], n1 = bounds[2 * x + 3];
      int taps = n0 > n1 ? n0 : n1;
      // Each 4-byte load must stay inside the row.
      if (taps == 0 || 3L * (xmin0 + taps - 1) + 4 > row_bytes || 3L * (xmin1 + taps - 1) + 4 > row_bytes) {
        for (int r = 0; r <= both_rows; r++) {
          const uint8_t *row = r ? row_b : row_a;
          uint8_t *out = r ? out_b : out_a;
          horizontal_pixel(row, out + (size_t)x * 3, 3, xmin0, n0, weights + (size_t)x * ksize);
          horizontal_pixel(row, out + (size_t)x * 3 + 3, 3, xmin1, n1, weights + (size_t)(x + 1) * ksize);
        }
        continue;
      }
      const size_t o0 = (size_t)xmin0 * 3, o1 = (size_t)xmin1 * 3;
      const int32_t *e = expanded + (size_t)p * ksize * 8;
      __m256i sum_a = half, sum_b = half;
      for (int t = 0; t < taps; t++) {
        __m256i w = _mm256_loadu_si256((const __m256i *)(e + 8 * t));
        int32_t a0, a1, b0, b1;
        memcpy(&a0, row_a + o0 + 3 * t, 4);
        memcpy(&a1, row_a + o1 + 3 * t, 4);
        memcpy(&b0, row_b + o0 + 3 * t, 4);
        memcpy(&b1, row_b + o1 + 3 * t, 4);
        __m256i va = _mm256_cvtepu8_epi32(_mm_unpacklo_epi32(_mm_cvtsi32_si128(a0), _mm_cvtsi32_si128(a1)));
        __m256i vb = _mm256_cvtepu8_epi32(_mm_unpacklo_epi32(_mm_cvtsi32_si128(b0), _mm_cvtsi32_si128(b1)));
        sum_a = _mm256_add_epi32(sum_a, _mm256_mullo_epi32(va, w));
        sum_b = _mm256_add_epi32(sum_b, _mm256_mullo_epi32(vb, w));
      }
      for (int r = 0; r <= both_rows; r++) {
        __m256i sum = _mm256_srai_epi32(r ? sum_b : sum_a, CIC_RESAMPLE_PRECISION_BITS);
        __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
        uint64_t pixels = (uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(words, words));
        uint8_t *o = (r ? out_b : out_a) + (size_t)x * 3;
        uint32_t first = (uint32_t)pixels, second = (uint32_t)(pixels >> 32);
        memcpy(o, &first, 4);  // the 4th byte is rewritten by the next pixel
        if (x + 2 < out_width) {
          memcpy(o + 3, &second, 4);  // its 4th byte is rewritten by pixel x + 2
        } else {
          o[3] = (uint8_t)second;
          o[4] = (uint8_t)(second >> 8);
          o[5] = (uint8_t)(second >> 16);
        }
      }
    }
    if (out_width % 2) {
      int x = out_width - 1;
      for (int r = 0; r <= both_rows; r++) {
        horizontal_pixel(r ? row_b : row_a, (r ? out_b : out_a) + (size_t)x * 3, 3, bounds[2 * x],
                         bounds[2 * x + 1], weights + (size_t)x * ksize);
      }
    }
  }
}

/// Gray: eight taps per step, weights padded with zeros to a multiple of eight.
__attribute__((target("avx2"))) static void horizontal_avx2_gray(
    const uint8_t *src, size_t src_stride, uint8_t *dst, size_t dst_stride, int rows,
    int in_width, int out_width, const int32_t *bounds, const int32_t *weights, int ksize,
    int32_t *expanded) {
  int padded = (ksize + 7) / 8 * 8;
  for (int x = 0; x < out_width; x++) {
    int n = bounds[2 * x + 1];
    const int32_t *k = weights + (size_t)x * ksize;
    int32_t *e = expanded + (size_t)x * padded;
    for (int t = 0; t < padded; t++) e[t] = t < n ? k[t] : 0;
  }
  for (int y = 0; y < rows; y++) {
    const uint8_t *row = src + (size_t)y * src_stride;
    uint8_t *out = dst + (size_t)y * dst_stride;
    for (int x = 0; x < out_width; x++) {
      int xmin = bounds[2 * x], n = bounds[2 * x + 1];
      int steps = (n + 7) / 8;
      if (n == 0 || xmin + 8 * steps > in_width) {
        horizontal_pixel(row, out + x, 1, xmin, n, weights + (size_t)x * ksize);
        continue;
      }
      const uint8_t *p = row + xmin;
      const int32_t *e = expanded + (size_t)x * padded;
      __m256i sum = _mm256_setzero_si256();
      for (int j = 0; j < steps; j++) {
        __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 8 * j)));
        sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(v, _mm256_loadu_si256((const __m256i *)(e + 8 * j))));
      }
      __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
      s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
      s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
      out[x] = clip8((int32_t)((uint32_t)_mm_cvtsi128_si32(s) + HALF));
    }
  }
}

__attribute__((target("avx2"))) static void vertical_avx2(
    const uint8_t *src, size_t src_stride, uint8_t *dst, size_t dst_stride, int out_height,
    int row_length, int row_offset, const int32_t *bounds, const int32_t *weights, int ksize) {
  for (int y = 0; y < out_height; y++) {
    int ymin = bounds[2 * y] - row_offset, n = bounds[2 * y + 1];
    const int32_t *k = weights + (size_t)y * ksize;
    const uint8_t *first = src + (size_t)ymin * src_stride;
    uint8_t *out = dst + (size_t)y * dst_stride;
    int e = 0;
    for (; e + 32 <= row_length; e += 32) {
      __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
      const uint8_t *p = first + e;
      for (int t = 0; t < n; t++, p += src_stride) {
        __m256i w = _mm256_set1_epi32(k[t]);
        s0 = _mm256_add_epi32(s0, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)), w));
        s1 = _mm256_add_epi32(s1, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 8))), w));
        s2 = _mm256_add_epi32(s2, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 16))), w));
        s3 = _mm256_add_epi32(s3, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 24))), w));
      }
      _mm_storel_epi64((__m128i *)(out + e), finish8(s0));
      _mm_storel_epi64((__m128i *)(out + e + 8), finish8(s1));
      _mm_storel_epi64((__m128i *)(out + e + 16), finish8(s2));
      _mm_storel_epi64((__m128i *)(out + e + 24), finish8(s3));
    }
    for (; e + 8 <= row_length; e += 8) {
      __m256i s = _mm256_setzero_si256();
      const uint8_t *p = first + e;
      for (int t = 0; t < n; t++, p += src_stride) {
        s = _mm256_add_epi32(s, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)),
                                                   _mm256_set1_epi32(k[t])));
      }
      _mm_storel_epi64((__m128i *)(out + e), finish8(s));
    }
    for (; e < row_length; e++) {
      uint32_t s = HALF;
      for (int t = 0; t < n; t++) s += (uint32_t)first[(size_t)t * src_stride + e] * (uint32_t)k[t];
      out[e] = clip8((int32_t)s);
    }
  }
}

#endif

// MARK: - Entry points

void cic_resample_horizontal_u8(const uint8_t *src, size_t src_stride, uint8_t *dst,
                                size_t dst_stride, int rows, int in_width, int out_width,
                                int channels, const int32_t *bounds, const int32_t *weights,
                                int ksize, int allow_simd) {
#if CIC_HAVE_X86
  if ((channels == 3 || channels == 1) && allow_simd && cic_resample_cpu_has_avx2()) {
    size_t per_pixel = channels == 3 ? (size_t)ksize * 4 : (size_t)(ksize + 7) / 8 * 8;
    int32_t *expanded = malloc(sizeof(int32_t) * per_pixel * (size_t)(out_width > 0 ? out_width : 1));
    if (expanded) {
      if (channels == 3) {
        horizontal_avx2_rgb(src, src_stride, dst, dst_stride, rows, in_width, out_width, bounds,
                            weights, ksize, expanded);
      } else {
        horizontal_avx2_gray(src, src_stride, dst, dst_stride, rows, in_width, out_width, bounds,
                             weights, ksize, expanded);
      }
      free(expanded);
      return;
    }
  }
#endif
  (void)in_width;
  (void)allow_simd;
  horizontal_portable(src, src_stride, dst, dst_stride, rows, out_width, channels, bounds,
                      weights, ksize);
}

void cic_resample_vertical_u8(const uint8_t *src, size_t src_stride, uint8_t *dst,
                              size_t dst_stride, int out_height, int row_length,
                              int row_offset, const int32_t *bounds, const int32_t *weights,
                              int ksize, int allow_simd) {
#if CIC_HAVE_X86
  if (allow_simd && cic_resample_cpu_has_avx2()) {
    vertical_avx2(src, src_stride, dst, dst_stride, out_height, row_length, row_offset, bounds,
                  weights, ksize);
    return;
  }
#endif
  (void)allow_simd;
  vertical_portable(src, src_stride, dst, dst_stride, out_height, row_length, row_offset, bounds,
                    weights, ksize);
}
