// PNG encoding through libpng, with libpng's longjmp errors caught here.
#include "CImagePNGEncode.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/// A growing in-memory file plus where the error text goes.
typedef struct cic_png_sink {
  uint8_t *bytes;
  size_t count;
  size_t capacity;
  int out_of_memory;
  cic_png_output *out;
} cic_png_sink;

static void cic_png_sink_write(png_structp png, png_bytep data, size_t length) {
  cic_png_sink *sink = (cic_png_sink *)png_get_io_ptr(png);
  if (length > sink->capacity - sink->count) {
    size_t needed = sink->count + length;
    size_t capacity = sink->capacity ? sink->capacity : 4096;
    while (capacity < needed) capacity *= 2;
    uint8_t *grown = (uint8_t *)realloc(sink->bytes, capacity);
    if (grown == NULL) {
      sink->out_of_memory = 1;
      png_error(png, "out of memory while encoding PNG");
    }
    sink->bytes = grown;
    sink->capacity = capacity;
  }
  memcpy(sink->bytes + sink->count, data, length);
  sink->count += length;
}

static void cic_png_sink_flush(png_structp png) { (void)png; }

static void cic_png_encode_error(png_structp png, png_const_charp message) {
  cic_png_sink *sink = (cic_png_sink *)png_get_error_ptr(png);
  snprintf(sink->out->message, sizeof(sink->out->message), "%s", message);
  png_longjmp(png, 1);
}

static void cic_png_encode_warning(png_structp png, png_const_charp message) {
  (void)png;
  (void)message;
}

int cic_encode_png(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                   cic_png_output *out) {
  memset(out, 0, sizeof(*out));
  if (pixels == NULL || width < 1 || height < 1 || (channels != 1 && channels != 3) ||
      width > 0x7fffffff / channels) {
    snprintf(out->message, sizeof(out->message),
             "expected 1 or 3 channels and a positive size, found %d channels, %dx%d", channels,
             width, height);
    return 1;
  }
  cic_png_sink sink = {NULL, 0, 0, 0, out};
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, cic_png_encode_error, cic_png_encode_warning);
  if (png == NULL) {
    snprintf(out->message, sizeof(out->message), "libpng could not start a PNG writer");
    return 1;
  }
  png_infop info = png_create_info_struct(png);
  // Volatile: changed between setjmp and a possible longjmp.
  png_bytep *volatile rows = NULL;
  if (info == NULL || setjmp(png_jmpbuf(png))) {
    if (info == NULL) snprintf(out->message, sizeof(out->message), "libpng could not allocate PNG info");
    png_destroy_write_struct(&png, info ? &info : NULL);
    free(rows);
    free(sink.bytes);
    return 1;
  }
  png_set_write_fn(png, &sink, cic_png_sink_write, cic_png_sink_flush);
  png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
               channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, 6);
  rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)height);
  if (rows == NULL) png_error(png, "out of memory while encoding PNG");
  size_t stride = (size_t)width * (size_t)channels;
  for (int32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * stride);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  free(rows);
  out->bytes = sink.bytes;
  out->byte_count = sink.count;
  return 0;
}

void cic_png_output_free(cic_png_output *output) {
  free(output->bytes);
  output->bytes = NULL;
  output->byte_count = 0;
}
