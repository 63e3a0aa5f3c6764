// AVX-512 VNNI integer Gram kernel: see include/CIntegerGram.h for the contract and bound.
#include "CIntegerGram.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// 8 rows × 48 columns per register tile: 24 int32 accumulators, 3 panel loads, 1 broadcast.
enum { TILE_ROWS = 8, PANEL = 48, GROUP = 4 };

int integer_gram_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vnni");
}

int64_t integer_gram_panel_width(void) { return PANEL; }

int64_t integer_gram_panel_count(int64_t dimension) { return (dimension + PANEL - 1) / PANEL; }

static int64_t groups_of(int64_t rows) { return (rows + GROUP - 1) / GROUP; }

size_t integer_gram_packed_bytes(int64_t rows, int64_t dimension) {
  return (size_t)integer_gram_panel_count(dimension) * (size_t)groups_of(rows) * PANEL * GROUP;
}

enum { CHUNK_GROUPS = 16, SUM_SLICE = 1024 };

// One group of 4 rows (`present` of them real) into panel p's 4-byte columns at `target`.
static void pack_group_panel(const uint8_t *const source[GROUP], int64_t present, int64_t first, int64_t width,
                             uint8_t *target) {
  // A whole group across a whole panel writes every byte; otherwise the padding is zero.
  if (present < GROUP || width < PANEL) memset(target, 0, PANEL * GROUP);
  int64_t c = 0;
  if (present == GROUP) {
    for (; c + 16 <= width; c += 16) {
      __m128i r0 = _mm_loadu_si128((const __m128i *)(source[0] + first + c));
      __m128i r1 = _mm_loadu_si128((const __m128i *)(source[1] + first + c));
      __m128i r2 = _mm_loadu_si128((const __m128i *)(source[2] + first + c));
      __m128i r3 = _mm_loadu_si128((const __m128i *)(source[3] + first + c));
      __m128i a = _mm_unpacklo_epi8(r0, r1), b = _mm_unpackhi_epi8(r0, r1);
      __m128i e = _mm_unpacklo_epi8(r2, r3), f = _mm_unpackhi_epi8(r2, r3);
      _mm_storeu_si128((__m128i *)(target + c * 4), _mm_unpacklo_epi16(a, e));
      _mm_storeu_si128((__m128i *)(target + c * 4 + 16), _mm_unpackhi_epi16(a, e));
      _mm_storeu_si128((__m128i *)(target + c * 4 + 32), _mm_unpacklo_epi16(b, f));
      _mm_storeu_si128((__m128i *)(target + c * 4 + 48), _mm_unpackhi_epi16(b, f));
    }
  }
  for (; c < width; c++) {
    for (int64_t r = 0; r < present; r++) target[c * 4 + r] = source[r][first + c];
  }
}

// packed[((panel·G + g)·PANEL + c)·4 + r] = values[(4g + r)·dimension + panel·PANEL + c].
// Chunks of CHUNK_GROUPS groups (64 rows, 192 KB at D = 3072, in L2) are packed panel by
// panel, so each panel's writes for the chunk are contiguous (group by group across all
// panels wrote 192 bytes to a different page 64 times per group: 6.4 ms per 4096 × 3072
// block, against 3.3 ms). Column sums add a chunk's rows in 16-bit lanes first (64·255 fits).
void integer_gram_pack_groups(const uint8_t *values, int64_t rows, int64_t dimension, uint8_t *packed,
                              int64_t *column_sums, int64_t first_group, int64_t end_group) {
  const int64_t groups = groups_of(rows), panels = integer_gram_panel_count(dimension);
  for (int64_t chunk = first_group; chunk < end_group; chunk += CHUNK_GROUPS) {
    const int64_t chunk_end = chunk + CHUNK_GROUPS < end_group ? chunk + CHUNK_GROUPS : end_group;
    for (int64_t p = 0; p < panels; p++) {
      const int64_t first = p * PANEL;
      const int64_t width = dimension - first < PANEL ? dimension - first : PANEL;
      for (int64_t g = chunk; g < chunk_end; g++) {
        const uint8_t *source[GROUP];
        const int64_t present = rows - g * GROUP < GROUP ? rows - g * GROUP : GROUP;
        for (int64_t r = 0; r < GROUP; r++) source[r] = values + (g * GROUP + (r < present ? r : 0)) * dimension;
        pack_group_panel(source, present, first, width, packed + (p * groups + g) * PANEL * GROUP);
      }
    }
    const int64_t first_row = chunk * GROUP;
    const int64_t end_row = chunk_end * GROUP < rows ? chunk_end * GROUP : rows;
    for (int64_t slice = 0; slice < dimension; slice += SUM_SLICE) {
      const int64_t width = dimension - slice < SUM_SLICE ? dimension - slice : SUM_SLICE;
      uint16_t partial[SUM_SLICE] = {0};
      for (int64_t n = first_row; n < end_row; n++) {
        const uint8_t *row = values + n * dimension + slice;
        for (int64_t c = 0; c < width; c++) partial[c] += row[c];
      }
      for (int64_t c = 0; c < width; c++) column_sums[slice + c] += partial[c];
    }
  }
}

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

// Adds one tile's int32 sums, corrected, to the int64 products: row i, 16 columns from j.
VNNI static inline void store16(__m512i sum, int64_t i, int64_t j, int64_t dimension, int64_t correction,
                                int64_t *products) {
  __m512i add = _mm512_set1_epi64(correction);
  for (int half = 0; half < 2; half++) {
    int64_t start = j + half * 8;
    // Lanes k with i ≤ start + k < dimension.
    int64_t below = i - start, beyond = start + 8 - dimension;
    if (below >= 8 || beyond >= 8) continue;
    unsigned mask = 0xFFu;
    if (below > 0) mask &= 0xFFu << below;
    if (beyond > 0) mask &= 0xFFu >> beyond;
    if (!(mask & 0xFFu)) continue;
    __m256i lanes = half ? _mm512_extracti64x4_epi64(sum, 1) : _mm512_castsi512_si256(sum);
    __m512i wide = _mm512_add_epi64(_mm512_cvtepi32_epi64(lanes), add);
    int64_t *target = products + i * dimension + start;
    __m512i old = _mm512_maskz_loadu_epi64((__mmask8)mask, target);
    _mm512_mask_storeu_epi64(target, (__mmask8)mask, _mm512_add_epi64(old, wide));
  }
}

VNNI void integer_gram_add_panel(const uint8_t *packed, int64_t rows, int64_t dimension, int64_t panel,
                                 const int64_t *column_sums, int64_t *products) {
  const int64_t groups = groups_of(rows);
  const int64_t j0 = panel * PANEL;
  const int64_t last = j0 + PANEL < dimension ? j0 + PANEL : dimension;  // rows i < last
  const uint8_t *columns = packed + panel * groups * PANEL * GROUP;
  const __m512i flip = _mm512_set1_epi8((char)0x80);
  for (int64_t i0 = 0; i0 < last; i0 += TILE_ROWS) {
    const uint8_t *tileRows = packed + (i0 / PANEL) * groups * PANEL * GROUP + (i0 % PANEL) * GROUP;
    __m512i s00 = _mm512_setzero_si512(), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
    __m512i s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
    __m512i s40 = s00, s41 = s00, s42 = s00, s50 = s00, s51 = s00, s52 = s00;
    __m512i s60 = s00, s61 = s00, s62 = s00, s70 = s00, s71 = s00, s72 = s00;
    for (int64_t g = 0; g < groups; g++) {
      const uint8_t *b = columns + g * PANEL * GROUP;
      const int32_t *a = (const int32_t *)(tileRows + g * PANEL * GROUP);
      __m512i b0 = _mm512_xor_si512(_mm512_loadu_si512(b), flip);
      __m512i b1 = _mm512_xor_si512(_mm512_loadu_si512(b + 64), flip);
      __m512i b2 = _mm512_xor_si512(_mm512_loadu_si512(b + 128), flip);
      __m512i x;
#define ROW(r, t0, t1, t2)                      \
  x = _mm512_set1_epi32(a[r]);                  \
  t0 = _mm512_dpbusd_epi32(t0, x, b0);          \
  t1 = _mm512_dpbusd_epi32(t1, x, b1);          \
  t2 = _mm512_dpbusd_epi32(t2, x, b2);
      ROW(0, s00, s01, s02)
      ROW(1, s10, s11, s12)
      ROW(2, s20, s21, s22)
      ROW(3, s30, s31, s32)
      ROW(4, s40, s41, s42)
      ROW(5, s50, s51, s52)
      ROW(6, s60, s61, s62)
      ROW(7, s70, s71, s72)
#undef ROW
    }
    __m512i sums[TILE_ROWS][3] = {{s00, s01, s02}, {s10, s11, s12}, {s20, s21, s22}, {s30, s31, s32},
                                  {s40, s41, s42}, {s50, s51, s52}, {s60, s61, s62}, {s70, s71, s72}};
    for (int r = 0; r < TILE_ROWS; r++) {
      const int64_t i = i0 + r;
      if (i >= last) break;
      const int64_t correction = 128 * column_sums[i];
      for (int k = 0; k < 3; k++) store16(sums[r][k], i, j0 + 16 * k, dimension, correction, products);
    }
  }
}

#else  // Not x86-64: no VNNI; CovarianceAccumulator takes the ssyrk path and never packs.

int integer_gram_available(void) { return 0; }

int64_t integer_gram_panel_width(void) { return 48; }

int64_t integer_gram_panel_count(int64_t dimension) { return (dimension + 47) / 48; }

size_t integer_gram_packed_bytes(int64_t rows, int64_t dimension) {
  return (size_t)integer_gram_panel_count(dimension) * (size_t)((rows + 3) / 4) * 48 * 4;
}

void integer_gram_pack_groups(const uint8_t *values, int64_t rows, int64_t dimension, uint8_t *packed,
                              int64_t *column_sums, int64_t first_group, int64_t end_group) {
  (void)values, (void)rows, (void)dimension, (void)packed, (void)column_sums, (void)first_group, (void)end_group;
}

void integer_gram_add_panel(const uint8_t *packed, int64_t rows, int64_t dimension, int64_t panel,
                            const int64_t *column_sums, int64_t *products) {
  (void)packed, (void)rows, (void)dimension, (void)panel, (void)column_sums, (void)products;
}

#endif
