// The common PNG in one pass: 8-bit gray, gray-alpha, RGB or RGBA, not interlaced, every
// chunk known and intact. libpng inflates a PNG a row at a time, and zlib's fast inflate loop
// needs 258 bytes of room, so on small images (a CIFAR row is 97 bytes) every byte goes
// through zlib's slow path; here the IDAT stream is inflated into one buffer and the rows are
// unfiltered after. Anything else, and any doubt (a CRC, a chunk we do not list, a stream that
// ends early or late, a filter type above 4), is left to libpng (PNGDecode.c), which then
// decides, with its own messages: so this path accepts only what libpng accepts, and gives
// the same pixels (PNG's filters and zlib's stream have one meaning).
#include "PNGFastDecode.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { CIC_PNG_FAST_MAX_FILTERED = 16 << 20 };

static uint32_t cic_png_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/// Ancillary chunks that change nothing in the pixels and that libpng reads without
/// complaint when their length is right (0: any length).
static int cic_png_fast_harmless(const uint8_t *type, uint32_t length) {
  static const struct { char name[5]; uint32_t length; } harmless[] = {
    {"gAMA", 4}, {"cHRM", 32}, {"sRGB", 1}, {"pHYs", 9}, {"tIME", 7}, {"tEXt", 0},
  };
  for (size_t i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++) {
    if (memcmp(type, harmless[i].name, 4) == 0) return harmless[i].length == 0 || harmless[i].length == length;
  }
  return 0;
}

static uint8_t cic_png_paeth(uint8_t a, uint8_t b, uint8_t c) {
  int p = (int)a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}

#if defined(__SSE2__)
/// One pixel of 3 or 4 bytes as 16-bit lanes (reads 4 bytes: the buffers have slack).
static inline __m128i cic_png_load_pixel(const uint8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm_unpacklo_epi8(_mm_cvtsi32_si128(v), _mm_setzero_si128());
}

/// The Paeth filter a pixel at a time for 3- and 4-byte pixels, in 16-bit lanes: the
/// predictor's three distances, and a, b or c chosen by PNG's order (a on ties, then b).
static void cic_png_paeth_pixels(const uint8_t *in, uint8_t *row, const uint8_t *above, size_t row_bytes, int bpp) {
  const __m128i zero = _mm_setzero_si128();
  __m128i a = zero, c = zero;
  for (size_t i = 0; i < row_bytes; i += (size_t)bpp) {
    __m128i b = cic_png_load_pixel(above + i);
    __m128i bc = _mm_sub_epi16(b, c), ac = _mm_sub_epi16(a, c), sum = _mm_add_epi16(bc, ac);
    __m128i pa = _mm_max_epi16(bc, _mm_sub_epi16(zero, bc));
    __m128i pb = _mm_max_epi16(ac, _mm_sub_epi16(zero, ac));
    __m128i pc = _mm_max_epi16(sum, _mm_sub_epi16(zero, sum));
    __m128i smallest = _mm_min_epi16(pc, _mm_min_epi16(pa, pb));
    __m128i use_a = _mm_cmpeq_epi16(pa, smallest);
    __m128i use_b = _mm_andnot_si128(use_a, _mm_cmpeq_epi16(pb, smallest));
    __m128i use_c = _mm_andnot_si128(_mm_or_si128(use_a, use_b), _mm_set1_epi16(-1));
    __m128i predictor =
        _mm_or_si128(_mm_or_si128(_mm_and_si128(use_a, a), _mm_and_si128(use_b, b)), _mm_and_si128(use_c, c));
    __m128i value = _mm_and_si128(_mm_add_epi16(cic_png_load_pixel(in + i), predictor), _mm_set1_epi16(0xff));
    int32_t packed = _mm_cvtsi128_si32(_mm_packus_epi16(value, value));
    memcpy(row + i, &packed, (size_t)bpp);
    a = value;
    c = b;
  }
}
#endif

/// Unfilters `height` rows of `filtered` (a filter byte, then `row_bytes`) into `pixels`;
/// 0 when a filter type is not one of PNG's five.
static int cic_png_unfilter(const uint8_t *filtered, uint8_t *pixels, size_t row_bytes, size_t height, int bpp) {
  const uint8_t *above = NULL;
  for (size_t y = 0; y < height; y++) {
    const uint8_t *in = filtered + y * (row_bytes + 1);
    uint8_t *row = pixels + y * row_bytes;
    uint8_t type = *in++;
    size_t i = 0;
    switch (type) {
      case 0:
        memcpy(row, in, row_bytes);
        break;
      case 1:
        for (; i < (size_t)bpp && i < row_bytes; i++) row[i] = in[i];
        for (; i < row_bytes; i++) row[i] = (uint8_t)(in[i] + row[i - bpp]);
        break;
      case 2:
        if (above) {
          for (; i < row_bytes; i++) row[i] = (uint8_t)(in[i] + above[i]);
        } else {
          memcpy(row, in, row_bytes);
        }
        break;
      case 3:
        for (; i < (size_t)bpp && i < row_bytes; i++) row[i] = (uint8_t)(in[i] + ((above ? above[i] : 0) >> 1));
        for (; i < row_bytes; i++) row[i] = (uint8_t)(in[i] + (((unsigned)row[i - bpp] + (above ? above[i] : 0)) >> 1));
        break;
      case 4:
#if defined(__SSE2__)
        if (above && (bpp == 3 || bpp == 4)) {
          cic_png_paeth_pixels(in, row, above, row_bytes, bpp);
          break;
        }
#endif
        for (; i < (size_t)bpp && i < row_bytes; i++) row[i] = (uint8_t)(in[i] + (above ? above[i] : 0));
        for (; i < row_bytes; i++) {
          row[i] = (uint8_t)(in[i] + (above ? cic_png_paeth(row[i - bpp], above[i], above[i - bpp]) : row[i - bpp]));
        }
        break;
      default:
        return 0;
    }
    above = row;
  }
  return 1;
}

int cic_decode_png_fast(const uint8_t *data, size_t size, cic_image *out) {
  static const uint8_t signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
  if (size < 8 + 25 || memcmp(data, signature, 8) != 0) return 0;
  const uint8_t *ihdr = data + 8;
  if (cic_png_be32(ihdr) != 13 || memcmp(ihdr + 4, "IHDR", 4) != 0) return 0;
  if (crc32(0, ihdr + 4, 17) != cic_png_be32(ihdr + 21)) return 0;
  uint32_t width = cic_png_be32(ihdr + 8), height = cic_png_be32(ihdr + 12);
  uint8_t depth = ihdr[16], color = ihdr[17];
  if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu) return 0;
  if (depth != 8 || ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] != 0) return 0;
  int bpp, layout;
  switch (color) {
    case 0: bpp = 1; layout = CIC_LAYOUT_GRAY8; break;
    case 2: bpp = 3; layout = CIC_LAYOUT_RGB8; break;
    case 4: bpp = 2; layout = CIC_LAYOUT_GRAY_ALPHA8; break;
    case 6: bpp = 4; layout = CIC_LAYOUT_RGBA8; break;
    default: return 0;
  }
  if ((unsigned long long)width * height > CIC_MAX_PIXELS) return 0;
  size_t row_bytes = (size_t)width * (size_t)bpp, filtered_size = (row_bytes + 1) * (size_t)height;
  if (filtered_size > CIC_PNG_FAST_MAX_FILTERED) return 0;

  // The chunks: every CRC right, only harmless ancillary chunks, one run of IDAT, then IEND.
  size_t position = 8 + 25, idat_first = 0, idat_end = 0;
  int idat_state = 0;  // 0 before the IDAT run, 1 in it, 2 after it
  for (;;) {
    if (size - position < 12) return 0;
    uint32_t length = cic_png_be32(data + position);
    const uint8_t *type = data + position + 4;
    if (length > 0x7fffffffu || (size_t)length > size - position - 12) return 0;
    if (crc32(0, type, 4 + length) != cic_png_be32(type + 4 + length)) return 0;
    if (memcmp(type, "IDAT", 4) == 0) {
      if (idat_state == 2) return 0;
      if (idat_state == 0) idat_first = position;
      idat_state = 1;
      idat_end = position + 12 + length;
    } else {
      if (idat_state == 1) idat_state = 2;
      if (memcmp(type, "IEND", 4) == 0) {
        if (length != 0) return 0;
        break;
      }
      if (!cic_png_fast_harmless(type, length)) return 0;
    }
    position += 12 + (size_t)length;
  }
  if (idat_state == 0) return 0;

  // 4 bytes of slack: the pixel-wise Paeth loads 4 bytes for a 3-byte pixel.
  uint8_t *filtered = malloc(filtered_size + 4);
  uint8_t *pixels = malloc(row_bytes * height + 4);
  if (!filtered || !pixels) {
    free(filtered);
    free(pixels);
    return 0;
  }
  z_stream stream;
  memset(&stream, 0, sizeof(stream));
  int ok = inflateInit(&stream) == Z_OK;
  stream.next_out = filtered;
  stream.avail_out = (uInt)filtered_size;
  int status = Z_OK;
  for (size_t chunk = idat_first; ok && chunk < idat_end;) {
    uint32_t length = cic_png_be32(data + chunk);
    if (status == Z_STREAM_END) {
      ok = length == 0;  // data after the stream's end: libpng's call
    } else if (length > 0) {
      stream.next_in = (Bytef *)(data + chunk + 8);
      stream.avail_in = length;
      status = inflate(&stream, Z_NO_FLUSH);
      ok = (status == Z_OK || status == Z_STREAM_END) && stream.avail_in == 0;
    }
    chunk += 12 + (size_t)length;
  }
  ok = ok && status == Z_STREAM_END && stream.total_out == filtered_size;
  inflateEnd(&stream);
  ok = ok && cic_png_unfilter(filtered, pixels, row_bytes, height, bpp);
  free(filtered);
  if (!ok) {
    free(pixels);
    return 0;
  }
  out->pixels = pixels;
  out->byte_count = row_bytes * height;
  out->width = (int32_t)width;
  out->height = (int32_t)height;
  out->layout = layout;
  out->stored_bits = 8;
  return 1;
}
