// CImageCodecs: JPEG, PNG, WebP and TIFF decoding through the system libjpeg-turbo, libpng,
// libwebp and libtiff, our own GIF decoder, and PNG encoding through libpng
// (CImagePNGEncode.h).
//
// This module provides no stable Swift API; the Imaging module wraps it.
//
// Every entry point fills a `cic_image` and returns a `cic_status`. On failure the
// `message` field holds the library's own message (libjpeg's or libpng's text), no
// pixels are returned and nothing leaks. libjpeg and libpng report errors by
// `longjmp`; the matching `setjmp` lives in the C files, never in Swift.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#include "CImagePNGEncode.h"
#include "CImageResample.h"

/// What went wrong, if anything.
typedef enum cic_status {
  CIC_OK = 0,
  /// libjpeg reported an error (corrupt data, unsupported feature); see `message`.
  CIC_ERROR_JPEG = 1,
  /// libpng reported an error (bad chunk, CRC mismatch, zlib failure); see `message`.
  CIC_ERROR_PNG = 2,
  /// The data ended before the last row of pixels (Pillow: "image file is truncated").
  CIC_ERROR_TRUNCATED = 3,
  /// Width × height exceeds `CIC_MAX_PIXELS` (Pillow's DecompressionBombError limit).
  CIC_ERROR_TOO_LARGE = 4,
  /// malloc failed.
  CIC_ERROR_OUT_OF_MEMORY = 5,
  /// A valid file this decoder does not handle (e.g. a 2-component JPEG).
  CIC_ERROR_UNSUPPORTED = 6,
  /// libwebp or libtiff (or a decoder of ours: BMP, PNM, GIF) rejected the data; see `message`.
  CIC_ERROR_CODEC = 7,
} cic_status;

/// How the returned samples are laid out. Rows are tightly packed.
typedef enum cic_layout {
  CIC_LAYOUT_NONE = 0,
  /// 1 byte per pixel (Pillow "L"; also 1-, 2- and 4-bit gray scaled to 0…255).
  CIC_LAYOUT_GRAY8 = 1,
  /// 2 bytes per pixel, gray then alpha (Pillow "LA"; 16-bit LA keeps the high bytes).
  CIC_LAYOUT_GRAY_ALPHA8 = 2,
  /// 3 bytes per pixel (Pillow "RGB"; 16-bit RGB keeps the high bytes).
  CIC_LAYOUT_RGB8 = 3,
  /// 4 bytes per pixel (Pillow "RGBA"; 16-bit RGBA keeps the high bytes).
  CIC_LAYOUT_RGBA8 = 4,
  /// 4 bytes per pixel C, M, Y, K, already inverted as Pillow's "CMYK;I" raw mode does.
  CIC_LAYOUT_CMYK8 = 5,
  /// 1 byte per pixel, an index into `palette` (Pillow "P").
  CIC_LAYOUT_PALETTE8 = 6,
  /// 1 native-endian uint16 per pixel (Pillow "I;16").
  CIC_LAYOUT_GRAY16 = 7,
  /// 2 native-endian uint16 per pixel, gray then alpha (16-bit samples kept: `--depth 16`).
  CIC_LAYOUT_GRAY_ALPHA16 = 8,
  /// 3 native-endian uint16 per pixel (16-bit samples kept: `--depth 16`).
  CIC_LAYOUT_RGB16 = 9,
  /// 4 native-endian uint16 per pixel (16-bit samples kept: `--depth 16`).
  CIC_LAYOUT_RGBA16 = 10,
} cic_layout;

/// Pillow's `Image.MAX_IMAGE_PIXELS * 2`: above this Pillow raises DecompressionBombError.
#define CIC_MAX_PIXELS 178956970ULL

/// More scans than this in a progressive JPEG is refused (CIC_ERROR_UNSUPPORTED): every scan
/// may revisit the whole image, so scan count × image size bounds the decoding time. Real
/// progressive files have about 10; libjpeg-turbo's TurboJPEG offers the same limit
/// (TJPARAM_SCANLIMIT). Pillow has no limit and decodes such files, slowly.
#define CIC_MAX_JPEG_SCANS 500

/// A decoded image, or the reason there is none.
typedef struct cic_image {
  int32_t width;
  int32_t height;
  /// A `cic_layout` value.
  int32_t layout;
  /// Entries in `palette` (0…256) for CIC_LAYOUT_PALETTE8.
  int32_t palette_count;
  /// Pixel data from malloc; free it with `cic_image_free`. NULL on failure.
  uint8_t *pixels;
  /// Bytes in `pixels`.
  size_t byte_count;
  /// RGB triples for CIC_LAYOUT_PALETTE8.
  uint8_t palette[768];
  /// The library's message on failure, NUL-terminated.
  char message[200];
  /// The TIFF Orientation tag (1…8) of a decoded TIFF, which Pillow's TIFF loader applies
  /// itself (`ImageOps.exif_transpose` in `load_end`); 0 for the other formats.
  int32_t orientation;
  /// Alpha of palette entries 0 ..< `palette_alpha_count` of a PALETTE8 image (a PNG's tRNS,
  /// a GIF's transparent index); the other entries are opaque. What Pillow's
  /// `convert("RGBA")` of a "P" image with transparency gives.
  uint8_t palette_alpha[256];
  int32_t palette_alpha_count;
  /// Bits per sample as stored in the file when a decoder knows it (PNG bit depth, TIFF
  /// BitsPerSample, 16 for PNM with maxval above 255), else 0: above 8, the 8-bit path
  /// reduced the samples as Pillow does (the summary's hint to `--depth 16`).
  int32_t stored_bits;
} cic_image;

/// `flags` of the `_depth` decoders: keep 16-bit samples (`--depth 16`).
#define CIC_DECODE_KEEP_16 1
/// `flags` of the `_depth` decoders: turn a PNG's tRNS colour key into an alpha channel
/// (GRAY_ALPHA, RGBA), as Pillow's `convert("RGBA")` does; only asked when alpha is used.
#define CIC_DECODE_TRNS_ALPHA 2

/// Decodes a JPEG held in memory.
///
/// `scale_denom` of 1, 2, 4 or 8 asks libjpeg for DCT-domain downscaling by that factor
/// (what Pillow's `Image.draft` sets); 1 decodes at full size. One-component files come
/// back as GRAY8, three-component files as RGB8 (libjpeg's default colour conversion, ISLOW
/// IDCT, fancy upsampling), four-component files as inverted CMYK8. A premature end of
/// the data before the last scanline is CIC_ERROR_TRUNCATED; libjpeg's other warnings
/// are ignored, as Pillow ignores them.
cic_status cic_decode_jpeg(const uint8_t *data, size_t size, int scale_denom, cic_image *out);

/// Decodes a PNG held in memory: every bit depth and colour type, Adam7 interlace,
/// CRC errors in any chunk are errors.
cic_status cic_decode_png(const uint8_t *data, size_t size, cic_image *out);

/// `cic_decode_png` with `flags`: CIC_DECODE_KEEP_16 keeps the full samples of 16-bit
/// gray-alpha, RGB and RGBA (GRAY_ALPHA16, RGB16, RGBA16, native-endian) instead of the high
/// byte; CIC_DECODE_TRNS_ALPHA turns a gray or RGB tRNS colour key into alpha. A palette's
/// tRNS always fills `palette_alpha`.
cic_status cic_decode_png_depth(const uint8_t *data, size_t size, int flags, cic_image *out);

/// Decodes a WebP held in memory the way Pillow 13 does, through WebPAnimDecoder: lossy,
/// lossless, with or without alpha, animated (first frame on its canvas). Always RGBA8.
cic_status cic_decode_webp(const uint8_t *data, size_t size, cic_image *out);

/// Decodes the first page of a TIFF held in memory (strips or tiles; every compression
/// libtiff has but WebP, which Pillow's libtiff lacks; 1/2/4/8/12/16/32-bit and float gray,
/// 8/16-bit RGB(A) and CMYK, palette, YCbCr; predictors; both byte orders) into the layout
/// Pillow 13 opens it as: GRAY8 (1-, 2-, 4-bit scaled, MinIsWhite inverted; signed 8-bit read
/// as unsigned, signed 16-bit and 32-bit clipped to 0…255, floats truncated and clipped, as
/// Pillow's "I"/"F" → "L" conversions do), GRAY16 (12- and 16-bit, not inverted),
/// GRAY_ALPHA8, RGB8, RGBA8 (16-bit samples keep the high byte;
/// premultiplied alpha is divided out as Pillow's "RGBa" → "RGB" does), PALETTE8 (colormap
/// >> 8), CMYK8; YCbCr other than JPEG-compressed goes through libtiff's RGBA reader, as in
/// Pillow. libtiff's errors are collected per call, never printed.
cic_status cic_decode_tiff(const uint8_t *data, size_t size, cic_image *out);

/// `cic_decode_tiff` with `flags`: CIC_DECODE_KEEP_16 keeps the full samples of 16-bit RGB
/// and RGBA with unassociated alpha (RGB16, RGBA16) instead of the high byte.
cic_status cic_decode_tiff_depth(const uint8_t *data, size_t size, int flags, cic_image *out);

/// Decodes the first frame of a GIF held in memory with our own LZW decoder, following
/// Pillow's rules (GIFDecode.c says why not giflib): PALETTE8 on the logical screen (grown to
/// hold the frame, as Pillow does), pixels outside the frame set to the frame's transparent
/// index, or 0; the local colour table, else the global one; GRAY8 without either.
cic_status cic_decode_gif(const uint8_t *data, size_t size, cic_image *out);

/// Releases the pixels of an image (safe on a failed or already freed image).
void cic_image_free(cic_image *image);

#endif
