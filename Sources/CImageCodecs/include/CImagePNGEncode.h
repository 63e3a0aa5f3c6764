// PNG encoding through the system libpng: 8-bit gray or RGB pixels to PNG bytes in memory.
// This module provides no stable Swift API; Imaging's PNGEncoder wraps it.
#ifndef CIMAGEPNGENCODE_H
#define CIMAGEPNGENCODE_H

#include <stddef.h>
#include <stdint.h>

/// PNG bytes from `cic_encode_png`, or the reason there are none.
typedef struct cic_png_output {
  /// The encoded file from malloc; free it with `cic_png_output_free`. NULL on failure.
  uint8_t *bytes;
  /// Bytes in `bytes`.
  size_t byte_count;
  /// libpng's message on failure, NUL-terminated.
  char message[200];
} cic_png_output;

/// Encodes `height` rows of `width` pixels of `channels` (1: gray, 3: RGB) interleaved
/// 8-bit samples, rows tightly packed, as a non-interlaced PNG (libpng's default filters and
/// zlib level 6, no ancillary chunks). Returns 0 on success; nonzero with `message` set
/// otherwise (bad arguments, libpng or allocation failure), and then nothing leaks.
int cic_encode_png(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                   cic_png_output *out);

/// Releases the bytes of an output (safe on a failed or already freed output).
void cic_png_output_free(cic_png_output *output);

#endif
