// PNG decoding through libpng, with libpng's longjmp errors caught here.
#include "CImageCodecs.h"
#include "PNGFastDecode.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/// The in-memory input plus where the error text goes.
typedef struct cic_png_source {
  const uint8_t *data;
  size_t size;
  size_t position;
  int truncated;
  cic_image *out;
} cic_png_source;

static void cic_png_read(png_structp png, png_bytep destination, size_t length) {
  cic_png_source *source = (cic_png_source *)png_get_io_ptr(png);
  if (length > source->size - source->position) {
    source->truncated = 1;
    png_error(png, "unexpected end of PNG data");
  }
  memcpy(destination, source->data + source->position, length);
  source->position += length;
}

static void cic_png_error(png_structp png, png_const_charp message) {
  cic_png_source *source = (cic_png_source *)png_get_error_ptr(png);
  snprintf(source->out->message, sizeof(source->out->message), "%s", message);
  png_longjmp(png, 1);
}

static void cic_png_warning(png_structp png, png_const_charp message) {
  (void)png;
  (void)message;
}

/// Walks the chunk list before libpng sees it: libpng allocates a chunk's declared length
/// before reading it (1.8 GB for a 158-byte file with a lying zTXt length, found by
/// fuzzing), so a chunk that claims more bytes than the file has left is reported here as
/// truncation, without allocating. Returns CIC_OK when every chunk fits.
static cic_status cic_png_check_chunks(const uint8_t *data, size_t size, cic_image *out) {
  size_t position = 8;
  while (position + 8 <= size) {
    uint32_t length = ((uint32_t)data[position] << 24) | ((uint32_t)data[position + 1] << 16) |
                      ((uint32_t)data[position + 2] << 8) | (uint32_t)data[position + 3];
    const uint8_t *type = data + position + 4;
    if (length > 0x7fffffffu) {
      snprintf(out->message, sizeof(out->message), "chunk length %u exceeds 2^31 - 1", length);
      return CIC_ERROR_PNG;
    }
    size_t left = size - position - 8;
    if ((size_t)length + 4 > left) {
      char name[5];
      for (int i = 0; i < 4; i++) name[i] = (type[i] >= 0x20 && type[i] < 0x7f) ? (char)type[i] : '?';
      name[4] = 0;
      snprintf(out->message, sizeof(out->message),
               "chunk %s declares %u bytes, but only %zu bytes are left in the file", name, length,
               left >= 4 ? left - 4 : 0);
      return CIC_ERROR_TRUNCATED;
    }
    if (memcmp(type, "IEND", 4) == 0) break;
    position += 12 + (size_t)length;
  }
  return CIC_OK;
}

cic_status cic_decode_png(const uint8_t *data, size_t size, cic_image *out) {
  return cic_decode_png_depth(data, size, 0, out);
}

cic_status cic_decode_png_depth(const uint8_t *data, size_t size, int flags, cic_image *out) {
  int keep_16 = (flags & CIC_DECODE_KEEP_16) != 0;  // (the fast path's PNGs are 8-bit)
  memset(out, 0, sizeof(*out));
  if (cic_decode_png_fast(data, size, out)) return CIC_OK;
  cic_status chunks = cic_png_check_chunks(data, size, out);
  if (chunks != CIC_OK) return chunks;
  cic_png_source source = {data, size, 0, 0, out};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, cic_png_error,
                                           cic_png_warning);
  if (!png) {
    snprintf(out->message, sizeof(out->message), "%s", "png_create_read_struct failed");
    return CIC_ERROR_OUT_OF_MEMORY;
  }
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, NULL, NULL);
    snprintf(out->message, sizeof(out->message), "%s", "png_create_info_struct failed");
    return CIC_ERROR_OUT_OF_MEMORY;
  }
  // Row pointers live in `out`-owned memory reachable after longjmp.
  png_bytep *volatile rows = NULL;
  if (setjmp(png_jmpbuf(png))) {
    free((void *)rows);
    free(out->pixels);
    out->pixels = NULL;
    out->byte_count = 0;
    png_destroy_read_struct(&png, &info, NULL);
    return source.truncated ? CIC_ERROR_TRUNCATED : CIC_ERROR_PNG;
  }

  png_set_read_fn(png, &source, cic_png_read);
  // Every CRC mismatch, in critical and ancillary chunks alike, is an error.
  png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  png_set_chunk_malloc_max(png, 64u << 20);
  png_read_info(png, info);

  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
  if ((unsigned long long)width * height > CIC_MAX_PIXELS) {
    snprintf(out->message, sizeof(out->message),
             "image size %ux%u exceeds the limit of %llu pixels", width, height, CIC_MAX_PIXELS);
    png_destroy_read_struct(&png, &info, NULL);
    return CIC_ERROR_TOO_LARGE;
  }

  int layout, bytes_per_pixel;
  switch (color_type) {
    case PNG_COLOR_TYPE_GRAY:
      if (bit_depth == 16) {
        layout = CIC_LAYOUT_GRAY16;
        bytes_per_pixel = 2;
        png_set_swap(png);  // native (little-endian) uint16
      } else {
        layout = CIC_LAYOUT_GRAY8;
        bytes_per_pixel = 1;
        // 1/2/4-bit values scale to 0…255 by bit replication (v·255, v·85, v·17),
        // which is what Pillow's "1", "L;2" and "L;4" unpackers produce.
        if (bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
      }
      break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      layout = CIC_LAYOUT_GRAY_ALPHA8;
      bytes_per_pixel = 2;
      break;
    case PNG_COLOR_TYPE_RGB:
      layout = CIC_LAYOUT_RGB8;
      bytes_per_pixel = 3;
      break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      layout = CIC_LAYOUT_RGBA8;
      bytes_per_pixel = 4;
      break;
    case PNG_COLOR_TYPE_PALETTE: {
      layout = CIC_LAYOUT_PALETTE8;
      bytes_per_pixel = 1;
      if (bit_depth < 8) png_set_packing(png);
      png_colorp palette = NULL;
      int count = 0;
      if (png_get_PLTE(png, info, &palette, &count) && palette) {
        if (count > 256) count = 256;
        for (int i = 0; i < count; i++) {
          out->palette[i * 3 + 0] = palette[i].red;
          out->palette[i * 3 + 1] = palette[i].green;
          out->palette[i * 3 + 2] = palette[i].blue;
        }
        out->palette_count = count;
      }
      png_bytep alphas = NULL;
      int alpha_count = 0;
      if (png_get_tRNS(png, info, &alphas, &alpha_count, NULL) && alphas) {
        if (alpha_count > 256) alpha_count = 256;
        memcpy(out->palette_alpha, alphas, (size_t)alpha_count);
        out->palette_alpha_count = alpha_count;
      }
      break;
    }
    default:
      snprintf(out->message, sizeof(out->message), "unknown PNG color type %d", color_type);
      png_destroy_read_struct(&png, &info, NULL);
      return CIC_ERROR_UNSUPPORTED;
  }
  if ((flags & CIC_DECODE_TRNS_ALPHA) && png_get_valid(png, info, PNG_INFO_tRNS) &&
      (layout == CIC_LAYOUT_GRAY8 || layout == CIC_LAYOUT_GRAY16 || layout == CIC_LAYOUT_RGB8)) {
    // The colour key becomes alpha: 0 where a pixel equals it, else opaque.
    png_set_tRNS_to_alpha(png);
    if (layout == CIC_LAYOUT_RGB8) {
      layout = CIC_LAYOUT_RGBA8;
      bytes_per_pixel = 4;
    } else if (layout == CIC_LAYOUT_GRAY8) {
      layout = CIC_LAYOUT_GRAY_ALPHA8;
      bytes_per_pixel = 2;
    } else {  // 16-bit gray: handled below like 16-bit gray-alpha
      layout = CIC_LAYOUT_GRAY_ALPHA8;
      bytes_per_pixel = 2;
    }
  }
  if (bit_depth == 16 && layout != CIC_LAYOUT_GRAY16) {
    if (keep_16) {
      // Full 16-bit samples, native (little-endian) order.
      png_set_swap(png);
      layout = layout == CIC_LAYOUT_GRAY_ALPHA8 ? CIC_LAYOUT_GRAY_ALPHA16
               : layout == CIC_LAYOUT_RGB8      ? CIC_LAYOUT_RGB16
                                                : CIC_LAYOUT_RGBA16;
      bytes_per_pixel *= 2;
    } else {
      // 16-bit colour keeps the high byte of each sample (Pillow's "RGB;16B" unpackers).
      png_set_strip_16(png);
    }
  }
  if (interlace != PNG_INTERLACE_NONE) png_set_interlace_handling(png);
  png_read_update_info(png, info);

  size_t row_bytes = (size_t)width * (size_t)bytes_per_pixel;
  if (png_get_rowbytes(png, info) != row_bytes) {
    snprintf(out->message, sizeof(out->message), "unexpected PNG row size %zu, expected %zu",
             (size_t)png_get_rowbytes(png, info), row_bytes);
    png_destroy_read_struct(&png, &info, NULL);
    return CIC_ERROR_PNG;
  }
  size_t total = row_bytes * height;
  out->pixels = malloc(total ? total : 1);
  rows = malloc(sizeof(png_bytep) * (height ? height : 1));
  if (!out->pixels || !rows) {
    free((void *)rows);
    free(out->pixels);
    out->pixels = NULL;
    snprintf(out->message, sizeof(out->message), "out of memory for %zu bytes", total);
    png_destroy_read_struct(&png, &info, NULL);
    return CIC_ERROR_OUT_OF_MEMORY;
  }
  out->byte_count = total;
  for (png_uint_32 y = 0; y < height; y++) rows[y] = out->pixels + (size_t)y * row_bytes;
  png_read_image(png, rows);
  free((void *)rows);
  rows = NULL;

  out->width = (int32_t)width;
  out->height = (int32_t)height;
  out->layout = layout;
  out->stored_bits = bit_depth;
  png_destroy_read_struct(&png, &info, NULL);
  return CIC_OK;
}
