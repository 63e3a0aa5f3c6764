// The one-pass decoder of the common PNG (PNGFastDecode.c), tried before libpng.
#ifndef CIC_PNG_FAST_DECODE_H
#define CIC_PNG_FAST_DECODE_H

#include "CImageCodecs.h"

/// Decodes `data` into `out` (zeroed by the caller) and returns 1 when the file is an
/// intact 8-bit, non-interlaced gray/gray-alpha/RGB/RGBA PNG with only harmless chunks;
/// returns 0, leaving `out` as it was, for everything else (libpng's to decode or refuse).
int cic_decode_png_fast(const uint8_t *data, size_t size, cic_image *out);

#endif
