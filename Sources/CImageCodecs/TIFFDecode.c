// TIFF decoding through libtiff, reading the first page into the mode Pillow 13 opens it as.
//
// libtiff reports errors through handlers; TIFFClientOpenExt's per-call handlers write the
// first message into `cic_image.message` (no global state, nothing printed). Memory reads go
// through the client procedures below, over the caller's buffer.
#include "CImageCodecs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

/// The most a byte of compressed TIFF data can expand to: LZW's longest string (4096 bytes
/// for a 12-bit code) bounds LZW, and deflate (1032:1), PackBits (64:1) and JPEG (about
/// 500:1 for a flat image) stay below it.
#define CIC_TIFF_MAX_RATIO 4096

typedef struct cic_tiff_source {
  const uint8_t *data;
  size_t size;
  size_t position;
  int failed;
  cic_image *out;
} cic_tiff_source;

static tmsize_t cic_tiff_read(thandle_t handle, void *buffer, tmsize_t length) {
  cic_tiff_source *source = (cic_tiff_source *)handle;
  if (length < 0) return -1;
  size_t left = source->position < source->size ? source->size - source->position : 0;
  size_t n = (size_t)length < left ? (size_t)length : left;
  memcpy(buffer, source->data + source->position, n);
  source->position += n;
  return (tmsize_t)n;
}

static tmsize_t cic_tiff_write(thandle_t handle, void *buffer, tmsize_t length) {
  (void)handle; (void)buffer; (void)length;
  return -1;
}

static toff_t cic_tiff_seek(thandle_t handle, toff_t offset, int whence) {
  cic_tiff_source *source = (cic_tiff_source *)handle;
  uint64_t base = whence == SEEK_CUR ? source->position : whence == SEEK_END ? source->size : 0;
  uint64_t target = base + offset;
  if (target < base) return (toff_t)-1;
  source->position = (size_t)target;
  return target;
}

static int cic_tiff_close(thandle_t handle) { (void)handle; return 0; }

static toff_t cic_tiff_size(thandle_t handle) { return ((cic_tiff_source *)handle)->size; }

static int cic_tiff_error(TIFF *tiff, void *user, const char *module, const char *format,
                          va_list arguments) {
  (void)tiff; (void)module;
  cic_tiff_source *source = (cic_tiff_source *)user;
  if (!source->failed) {
    vsnprintf(source->out->message, sizeof(source->out->message), format, arguments);
    for (char *c = source->out->message; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
  }
  source->failed = 1;
  return 1;
}

static int cic_tiff_warning(TIFF *tiff, void *user, const char *module, const char *format,
                            va_list arguments) {
  (void)tiff; (void)user; (void)module; (void)format; (void)arguments;
  return 1;
}

/// Fails with `status` and a formatted message, unless libtiff already said why.
static cic_status cic_tiff_fail(cic_tiff_source *source, cic_status status, const char *format, ...) {
  if (!source->failed) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(source->out->message, sizeof(source->out->message), format, arguments);
    va_end(arguments);
    source->failed = 1;
  }
  return status;
}

/// Reads the whole page's samples as stored: `planes` planes (1 when contiguous) of
/// `height` rows of `row_bytes` bytes, decompressed and with predictors undone by libtiff.
static cic_status cic_tiff_read_raster(TIFF *tiff, cic_tiff_source *source, uint32_t width,
                                       uint32_t height, size_t row_bytes, int planes,
                                       size_t pixel_bits, uint8_t *raster) {
  size_t plane_bytes = row_bytes * height;
  if (TIFFIsTiled(tiff)) {
    uint32_t tile_width = 0, tile_height = 0;
    TIFFGetField(tiff, TIFFTAG_TILEWIDTH, &tile_width);
    TIFFGetField(tiff, TIFFTAG_TILELENGTH, &tile_height);
    tmsize_t tile_size = TIFFTileSize(tiff);
    tmsize_t tile_row = TIFFTileRowSize(tiff);
    if (tile_width == 0 || tile_height == 0 || tile_size <= 0 || tile_row <= 0)
      return cic_tiff_fail(source, CIC_ERROR_CODEC, "invalid tile size %ux%u", tile_width, tile_height);
    // A tile may be larger than the image, so the image's bound does not cover it: refuse a
    // tile the file cannot hold before allocating it (found by fuzzing: a 1 KB file
    // declaring 2.7 GB tiles).
    if ((uint64_t)tile_size / CIC_TIFF_MAX_RATIO > source->size)
      return cic_tiff_fail(source, CIC_ERROR_TRUNCATED, "a %ux%u tile (%lld bytes) cannot be held in a file of %zu bytes",
                           tile_width, tile_height, (long long)tile_size, source->size);
    uint8_t *tile = malloc((size_t)tile_size);
    if (!tile) return cic_tiff_fail(source, CIC_ERROR_OUT_OF_MEMORY, "out of memory for a tile");
    size_t bytes_per_tile_column = (size_t)tile_row;  // bytes of one tile row
    for (int plane = 0; plane < planes; plane++) {
      for (uint32_t y = 0; y < height; y += tile_height) {
        for (uint32_t x = 0; x < width; x += tile_width) {
          if (TIFFReadTile(tiff, tile, x, y, 0, (uint16_t)plane) < 0) {
            free(tile);
            return cic_tiff_fail(source, CIC_ERROR_CODEC, "cannot read the tile at %u,%u", x, y);
          }
          // The tile's bytes for columns x… start at x's byte offset in the row.
          size_t start = (size_t)x * pixel_bits / 8;  // tile widths are multiples of 16
          size_t copy = row_bytes - start < bytes_per_tile_column ? row_bytes - start : bytes_per_tile_column;
          for (uint32_t row = 0; row < tile_height && y + row < height; row++) {
            memcpy(raster + plane * plane_bytes + (size_t)(y + row) * row_bytes + start,
                   tile + (size_t)row * bytes_per_tile_column, copy);
          }
        }
      }
    }
    free(tile);
    return CIC_OK;
  }
  uint32_t rows_per_strip = 0;
  if (!TIFFGetFieldDefaulted(tiff, TIFFTAG_ROWSPERSTRIP, &rows_per_strip) || rows_per_strip == 0 ||
      rows_per_strip > height)
    rows_per_strip = height;
  uint32_t strips_per_plane = (height + rows_per_strip - 1) / rows_per_strip;
  for (int plane = 0; plane < planes; plane++) {
    for (uint32_t s = 0; s < strips_per_plane; s++) {
      uint32_t row = s * rows_per_strip;
      uint32_t rows = height - row < rows_per_strip ? height - row : rows_per_strip;
      tstrip_t strip = (tstrip_t)(plane * strips_per_plane + s);
      if (TIFFReadEncodedStrip(tiff, strip, raster + plane * plane_bytes + (size_t)row * row_bytes,
                               (tmsize_t)(rows * row_bytes)) < 0)
        return cic_tiff_fail(source, CIC_ERROR_CODEC, "cannot read strip %u", strip);
    }
  }
  return CIC_OK;
}

/// Sample `s` of pixel `i` (`bits` wide, MSB first) from the raster: contiguous or one plane
/// per sample. 16- and 32-bit samples are in host order (libtiff swabs them).
static inline uint32_t cic_tiff_sample(const uint8_t *raster, size_t row_bytes, size_t plane_bytes,
                                       int separate, int samples, int bits, uint32_t width,
                                       size_t i, int s) {
  size_t y = i / width, x = i % width;
  size_t index = separate ? x : x * (size_t)samples + (size_t)s;
  const uint8_t *row = raster + (separate ? (size_t)s * plane_bytes : 0) + y * row_bytes;
  switch (bits) {
    case 8: return row[index];
    case 16: return ((const uint16_t *)(const void *)row)[index];
    case 32: return ((const uint32_t *)(const void *)row)[index];
    default: {
      size_t bit = index * (size_t)bits;
      uint32_t value = 0;
      for (int b = 0; b < bits; b++, bit++) value = (value << 1) | ((row[bit / 8] >> (7 - bit % 8)) & 1);
      return value;
    }
  }
}

/// A 32-bit or signed 16-bit gray sample as Pillow's "I"/"F" → "L" conversion gives it:
/// clipped to 0…255, floats truncated toward zero first.
static inline uint8_t cic_tiff_clip_gray(uint32_t raw, int bits, uint16_t format) {
  if (format == SAMPLEFORMAT_IEEEFP) {
    float f;
    memcpy(&f, &raw, sizeof f);
    if (!(f > 0)) return 0;  // negative and NaN
    return f >= 255 ? 255 : (uint8_t)(int)f;
  }
  int64_t v = format == SAMPLEFORMAT_INT ? (bits == 16 ? (int64_t)(int16_t)raw : (int64_t)(int32_t)raw) : (int64_t)raw;
  return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

/// TIFFRGBAImage for what Pillow also decodes that way (YCbCr other than JPEG-compressed):
/// RGBA8 in stored row order. Like Pillow, the image's orientation is declared top-left so
/// libtiff flips nothing; the Orientation tag is applied afterwards, as for every TIFF.
static cic_status cic_tiff_read_rgba(TIFF *tiff, cic_tiff_source *source, uint32_t width,
                                     uint32_t height, cic_image *out) {
  size_t total = (size_t)width * height * 4;
  out->pixels = malloc(total ? total : 1);
  if (!out->pixels) return cic_tiff_fail(source, CIC_ERROR_OUT_OF_MEMORY, "out of memory for %zu bytes", total);
  char reason[1024] = "";
  TIFFRGBAImage image;
  if (!TIFFRGBAImageOK(tiff, reason) || !TIFFRGBAImageBegin(&image, tiff, 0, reason))
    return cic_tiff_fail(source, CIC_ERROR_UNSUPPORTED, "libtiff's RGBA reader refuses it: %s", reason);
  image.orientation = ORIENTATION_TOPLEFT;
  image.req_orientation = ORIENTATION_TOPLEFT;
  int ok = TIFFRGBAImageGet(&image, (uint32_t *)(void *)out->pixels, width, height);
  TIFFRGBAImageEnd(&image);
  if (!ok) return cic_tiff_fail(source, CIC_ERROR_CODEC, "%s", "libtiff's RGBA reader failed");
  // TIFFRGBAImage packs ABGR in a uint32 (R in the low byte): on little-endian hosts
  // that is R, G, B, A in memory already.
  out->byte_count = total;
  out->layout = CIC_LAYOUT_RGBA8;
  return CIC_OK;
}

cic_status cic_decode_tiff(const uint8_t *data, size_t size, cic_image *out) {
  return cic_decode_tiff_depth(data, size, 0, out);
}

cic_status cic_decode_tiff_depth(const uint8_t *data, size_t size, int flags, cic_image *out) {
  int keep_16 = (flags & CIC_DECODE_KEEP_16) != 0;
  memset(out, 0, sizeof(*out));
  cic_tiff_source source = {data, size, 0, 0, out};
  TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
  if (!options) return cic_tiff_fail(&source, CIC_ERROR_OUT_OF_MEMORY, "%s", "out of memory");
  TIFFOpenOptionsSetErrorHandlerExtR(options, cic_tiff_error, &source);
  TIFFOpenOptionsSetWarningHandlerExtR(options, cic_tiff_warning, &source);
  TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)1 << 30);
  // "m": no memory mapping (our procedures read the buffer); "h": headers only on open.
  TIFF *tiff = TIFFClientOpenExt("memory", "rm", (thandle_t)&source, cic_tiff_read, cic_tiff_write,
                                 cic_tiff_seek, cic_tiff_close, cic_tiff_size, NULL, NULL, options);
  TIFFOpenOptionsFree(options);
  if (!tiff) return cic_tiff_fail(&source, CIC_ERROR_CODEC, "%s", "libtiff cannot open the file");

  cic_status status = CIC_OK;
  uint32_t width = 0, height = 0;
  uint16_t bits = 1, samples = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, compression = 1,
           format = SAMPLEFORMAT_UINT, extra_count = 0;
  uint16_t *extra = NULL;
  TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_COMPRESSION, &compression);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
  // Pillow reads a missing PhotometricInterpretation as 0 (MinIsWhite).
  if (!TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric)) photometric = PHOTOMETRIC_MINISWHITE;
  uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetFieldDefaulted(tiff, TIFFTAG_ORIENTATION, &orientation);
  out->orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
  out->stored_bits = bits;
  if (compression == COMPRESSION_WEBP) {
    // Pillow's libtiff is built without WebP ("decoder error -2"); refuse as it does.
    status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "%s", "WebP-compressed TIFF");
    goto done;
  }
  if (TIFFIsTiled(tiff)) {
    uint32_t tile_width = 0, tile_height = 0;
    TIFFGetField(tiff, TIFFTAG_TILEWIDTH, &tile_width);
    TIFFGetField(tiff, TIFFTAG_TILELENGTH, &tile_height);
    if (tile_width == 0 || tile_height == 0 || tile_width % 16 || tile_height % 16) {
      // The TIFF 6 rule; Pillow's libtiff decoder fails on such tiles too.
      status = cic_tiff_fail(&source, CIC_ERROR_CODEC, "tile size %ux%u is not a multiple of 16", tile_width,
                             tile_height);
      goto done;
    }
  }
  {
    uint64_t *offsets = NULL;
    if (!TIFFGetField(tiff, TIFFIsTiled(tiff) ? TIFFTAG_TILEOFFSETS : TIFFTAG_STRIPOFFSETS, &offsets) || !offsets) {
      status = cic_tiff_fail(&source, CIC_ERROR_CODEC, "%s", "no strip or tile offsets");
      goto done;
    }
  }
  if (width == 0 || height == 0) {
    status = cic_tiff_fail(&source, CIC_ERROR_CODEC, "invalid image size %ux%u", width, height);
    goto done;
  }
  if ((unsigned long long)width * height > CIC_MAX_PIXELS) {
    status = cic_tiff_fail(&source, CIC_ERROR_TOO_LARGE, "image size %ux%u exceeds the limit of %llu pixels",
                           width, height, CIC_MAX_PIXELS);
    goto done;
  }
  out->width = (int32_t)width;
  out->height = (int32_t)height;

  if (photometric == PHOTOMETRIC_YCBCR) {
    if (compression == COMPRESSION_JPEG) {
      // libjpeg converts to RGB, as Pillow asks it to.
      TIFFSetField(tiff, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
      photometric = PHOTOMETRIC_RGB;
    } else {
      // Pillow reads these strip by strip through TIFFRGBAImage and fails ("decoder error
      // -2") when a strip does not hold whole subsampled rows; refuse those as it does.
      uint16_t horizontal = 2, vertical = 2;
      uint32_t rows_per_strip = height;
      TIFFGetFieldDefaulted(tiff, TIFFTAG_YCBCRSUBSAMPLING, &horizontal, &vertical);
      TIFFGetFieldDefaulted(tiff, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
      if (!TIFFIsTiled(tiff) && vertical > 0 && rows_per_strip < height && rows_per_strip % vertical != 0) {
        status = cic_tiff_fail(&source, CIC_ERROR_CODEC, "%u rows per strip is not a multiple of the YCbCr subsampling %u",
                               rows_per_strip, vertical);
        goto done;
      }
      if ((uint64_t)width * height / CIC_TIFF_MAX_RATIO > size) {  // the luma plane alone
        status = cic_tiff_fail(&source, CIC_ERROR_TRUNCATED, "%ux%u pixels cannot be held in a file of %zu bytes",
                               width, height, size);
        goto done;
      }
      status = cic_tiff_read_rgba(tiff, &source, width, height, out);
      goto done;
    }
  }
  int gray = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  // Pillow's modes: signed 8-bit gray is read as plain "L"; signed 16-bit, 32-bit and float
  // gray ("I", "F") are clipped by convert.
  int clipped = gray && (bits == 32 || (bits == 16 && format == SAMPLEFORMAT_INT));
  if (clipped ? !(format == SAMPLEFORMAT_UINT || format == SAMPLEFORMAT_INT ||
                  (format == SAMPLEFORMAT_IEEEFP && bits == 32))
              : !(format == SAMPLEFORMAT_UINT || format == SAMPLEFORMAT_VOID ||
                  (format == SAMPLEFORMAT_INT && bits == 8))) {
    status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "sample format %u of %u bits", format, bits);
    goto done;
  }
  if (!(bits == 1 || bits == 2 || bits == 4 || bits == 8 || bits == 16 || (gray && (bits == 12 || bits == 32)))) {
    status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "%u bits per sample", bits);
    goto done;
  }
  int color_samples;
  int layout;
  switch (photometric) {
    case PHOTOMETRIC_MINISBLACK:
    case PHOTOMETRIC_MINISWHITE:
      color_samples = 1;
      // Extra samples (alpha or not) are dropped by convert('L'/'RGB'), so never read.
      layout = !clipped && bits >= 12 ? CIC_LAYOUT_GRAY16 : CIC_LAYOUT_GRAY8;
      break;
    case PHOTOMETRIC_RGB:
      color_samples = 3;
      layout = samples >= 4 ? CIC_LAYOUT_RGBA8 : CIC_LAYOUT_RGB8;
      if (bits < 8) {
        status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "RGB with %u bits per sample", bits);
        goto done;
      }
      break;
    case PHOTOMETRIC_PALETTE:
      color_samples = 1;
      layout = CIC_LAYOUT_PALETTE8;
      if (bits > 8) {
        status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "palette with %u bits per sample", bits);
        goto done;
      }
      break;
    case PHOTOMETRIC_SEPARATED: {
      uint16_t inkset = INKSET_CMYK;
      TIFFGetFieldDefaulted(tiff, TIFFTAG_INKSET, &inkset);
      color_samples = 4;
      layout = CIC_LAYOUT_CMYK8;
      if (inkset != INKSET_CMYK || (bits != 8 && bits != 16)) {
        status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "separated ink set %u with %u bits", inkset, bits);
        goto done;
      }
      break;
    }
    default:
      status = cic_tiff_fail(&source, CIC_ERROR_UNSUPPORTED, "photometric interpretation %u", photometric);
      goto done;
  }
  if (samples < color_samples) {
    status = cic_tiff_fail(&source, CIC_ERROR_CODEC, "%u samples per pixel for photometric %u", samples,
                           photometric);
    goto done;
  }
  int separate = planar == PLANARCONFIG_SEPARATE && samples > 1;
  // Only the planes the output uses are read (Pillow ignores the others, even broken ones).
  int used_samples = layout == CIC_LAYOUT_RGBA8 ? 4 : color_samples;
  int planes = separate ? (used_samples < samples ? used_samples : samples) : 1;
  size_t row_bytes = ((size_t)width * (separate ? 1 : samples) * bits + 7) / 8;
  size_t plane_bytes = row_bytes * height;
  // Refuse sizes the file cannot hold before allocating: uncompressed data must all be
  // there, compressed data expands at most CIC_TIFF_MAX_RATIO times.
  if (compression == COMPRESSION_NONE && plane_bytes * planes > size) {
    status = cic_tiff_fail(&source, CIC_ERROR_TRUNCATED, "%ux%u pixels need %zu bytes, the file has %zu", width,
                           height, plane_bytes * planes, size);
    goto done;
  }
  if (plane_bytes * planes / CIC_TIFF_MAX_RATIO > size) {
    status = cic_tiff_fail(&source, CIC_ERROR_TRUNCATED,
                           "%ux%u pixels (%zu bytes) cannot be held in a file of %zu bytes", width, height,
                           plane_bytes * planes, size);
    goto done;
  }
  uint8_t *raster = calloc(plane_bytes * planes ? plane_bytes * planes : 1, 1);
  if (!raster) {
    status = cic_tiff_fail(&source, CIC_ERROR_OUT_OF_MEMORY, "out of memory for %zu bytes", plane_bytes * planes);
    goto done;
  }
  status = cic_tiff_read_raster(tiff, &source, width, height, row_bytes, planes,
                                (size_t)(separate ? 1 : samples) * bits, raster);
  if (status != CIC_OK) {
    free(raster);
    goto done;
  }
  int out_channels = layout == CIC_LAYOUT_GRAY8 || layout == CIC_LAYOUT_PALETTE8 ? 1
                     : layout == CIC_LAYOUT_GRAY16 || layout == CIC_LAYOUT_GRAY_ALPHA8 ? 2
                     : layout == CIC_LAYOUT_RGB8 ? 3 : 4;
  int premultiplied = layout == CIC_LAYOUT_RGBA8 && extra_count > 0 && extra && extra[0] == EXTRASAMPLE_ASSOCALPHA;
  // --depth 16: 16-bit RGB and RGBA keep their full samples (associated alpha keeps the
  // 8-bit path, which divides it out as Pillow does).
  int wide_color = keep_16 && bits == 16 && !premultiplied &&
                   (layout == CIC_LAYOUT_RGB8 || layout == CIC_LAYOUT_RGBA8);
  size_t pixel_count = (size_t)width * height;
  size_t total = pixel_count * out_channels * (wide_color ? 2 : 1);
  if (wide_color) layout = layout == CIC_LAYOUT_RGB8 ? CIC_LAYOUT_RGB16 : CIC_LAYOUT_RGBA16;
  // When the raster already is the output (contiguous samples, every one used, nothing to
  // invert, clip, scale or divide), it is handed over instead of copied sample by sample.
  int plain_gray = photometric == PHOTOMETRIC_MINISBLACK && !clipped;
  int direct = !separate && samples == out_channels &&
               ((bits == 8 && (((layout == CIC_LAYOUT_GRAY8 || layout == CIC_LAYOUT_GRAY_ALPHA8) && plain_gray) ||
                               layout == CIC_LAYOUT_RGB8 || (layout == CIC_LAYOUT_RGBA8 && !premultiplied) ||
                               layout == CIC_LAYOUT_PALETTE8)) ||
                (bits == 16 && (layout == CIC_LAYOUT_GRAY16 || layout == CIC_LAYOUT_RGB16 ||
                                layout == CIC_LAYOUT_RGBA16)));
  if (direct && plane_bytes == total) {
    out->pixels = raster;
    out->byte_count = total;
    out->layout = layout;
    raster = NULL;
    goto palette;
  }
  out->pixels = malloc(total ? total : 1);
  if (!out->pixels) {
    free(raster);
    status = cic_tiff_fail(&source, CIC_ERROR_OUT_OF_MEMORY, "out of memory for %zu bytes", total);
    goto done;
  }
  out->byte_count = total;
  out->layout = layout;
  uint32_t max_value = (1u << bits) - 1;
  for (size_t i = 0; i < pixel_count; i++) {
#define SAMPLE(s) cic_tiff_sample(raster, row_bytes, plane_bytes, separate, samples, bits, width, i, (s))
    switch (layout) {
      case CIC_LAYOUT_GRAY8: {
        uint32_t v = SAMPLE(0);
        if (clipped) {
          out->pixels[i] = cic_tiff_clip_gray(v, bits, format);
          break;
        }
        if (bits < 8) v = v * 255 / max_value;  // bit replication: ·255, ·85, ·17
        out->pixels[i] = (uint8_t)(photometric == PHOTOMETRIC_MINISWHITE ? 255 - v : v);
        break;
      }
      case CIC_LAYOUT_GRAY16:  // Pillow's "I;16" and "I;12": never inverted
        ((uint16_t *)(void *)out->pixels)[i] = (uint16_t)SAMPLE(0);
        break;
      case CIC_LAYOUT_GRAY_ALPHA8: {
        uint32_t v = SAMPLE(0);
        out->pixels[2 * i] = (uint8_t)(photometric == PHOTOMETRIC_MINISWHITE ? 255 - v : v);
        out->pixels[2 * i + 1] = (uint8_t)SAMPLE(1);
        break;
      }
      case CIC_LAYOUT_PALETTE8:
        out->pixels[i] = (uint8_t)SAMPLE(0);
        break;
      case CIC_LAYOUT_RGB16:
      case CIC_LAYOUT_RGBA16:
        for (int s = 0; s < out_channels; s++)
          ((uint16_t *)(void *)out->pixels)[i * out_channels + s] = (uint16_t)SAMPLE(s);
        break;
      default: {
        int channels = out_channels;
        uint8_t value[4];
        for (int s = 0; s < channels; s++) {
          uint32_t v = SAMPLE(s);
          value[s] = (uint8_t)(bits == 16 ? v >> 8 : v);
        }
        if (premultiplied && value[3] != 0 && value[3] != 255) {
          // Pillow's "RGBa" → "RGBA": 255·c/a, clipped.
          for (int s = 0; s < 3; s++) {
            uint32_t c = (uint32_t)value[s] * 255 / value[3];
            value[s] = (uint8_t)(c > 255 ? 255 : c);
          }
        }
        memcpy(out->pixels + i * channels, value, (size_t)channels);
        break;
      }
    }
#undef SAMPLE
  }
palette:
  free(raster);
  if (layout == CIC_LAYOUT_PALETTE8) {
    uint16_t *red = NULL, *green = NULL, *blue = NULL;
    if (!TIFFGetField(tiff, TIFFTAG_COLORMAP, &red, &green, &blue) || !red || !green || !blue) {
      status = cic_tiff_fail(&source, CIC_ERROR_CODEC, "%s", "palette image without a colormap");
      goto done;
    }
    int count = 1 << bits;
    for (int c = 0; c < count; c++) {
      out->palette[3 * c] = (uint8_t)(red[c] >> 8);
      out->palette[3 * c + 1] = (uint8_t)(green[c] >> 8);
      out->palette[3 * c + 2] = (uint8_t)(blue[c] >> 8);
    }
    out->palette_count = count;
  }

done:
  TIFFClose(tiff);
  if (status != CIC_OK) {
    free(out->pixels);
    out->pixels = NULL;
    out->byte_count = 0;
  }
  return status;
}
