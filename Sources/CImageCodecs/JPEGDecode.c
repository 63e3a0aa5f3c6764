// JPEG decoding through libjpeg-turbo, with libjpeg's longjmp errors caught here.
#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

/// libjpeg's error manager extended with the jump target and what the decoder is doing.
typedef struct cic_jpeg_error {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  /// Set once every scanline has been read: a missing EOI after that is harmless.
  int scanlines_done;
  /// Set when the jump was for a premature end of data (a warning, not an error).
  int truncated;
  /// Set when the jump was for too many scans (see CIC_MAX_JPEG_SCANS).
  int too_many_scans;
} cic_jpeg_error;

/// libjpeg's progress hook, used to stop progressive files with absurdly many scans: each
/// scan can revisit every block of the image, so a 500 KB file of 10,000 tiny scans over a
/// large frame takes minutes (the "progressive JPEG" issue in libjpeg-turbo's
/// TwoIssueswiththeJPEGStandard.pdf; TurboJPEG's TJPARAM_SCANLIMIT does the same).
typedef struct cic_jpeg_progress {
  struct jpeg_progress_mgr pub;
  cic_jpeg_error *err;
} cic_jpeg_progress;

static void cic_jpeg_progress_monitor(j_common_ptr cinfo) {
  cic_jpeg_progress *progress = (cic_jpeg_progress *)cinfo->progress;
  if (cinfo->is_decompressor &&
      ((j_decompress_ptr)cinfo)->input_scan_number > CIC_MAX_JPEG_SCANS) {
    progress->err->too_many_scans = 1;
    longjmp(progress->err->jump, 1);
  }
}

static void cic_jpeg_error_exit(j_common_ptr cinfo) {
  cic_jpeg_error *err = (cic_jpeg_error *)cinfo->err;
  longjmp(err->jump, 1);
}

/// Warnings are ignored as Pillow ignores them, except running out of data before the
/// last scanline, which Pillow reports as "image file is truncated".
static void cic_jpeg_emit_message(j_common_ptr cinfo, int msg_level) {
  cic_jpeg_error *err = (cic_jpeg_error *)cinfo->err;
  if (msg_level < 0) {
    err->pub.num_warnings++;
    if (err->pub.msg_code == JWRN_JPEG_EOF && !err->scanlines_done) {
      err->truncated = 1;
      longjmp(err->jump, 1);
    }
  }
}

static void cic_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

cic_status cic_decode_jpeg(const uint8_t *data, size_t size, int scale_denom, cic_image *out) {
  struct jpeg_decompress_struct cinfo;
  cic_jpeg_error err;
  memset(out, 0, sizeof(*out));
  memset(&err, 0, sizeof(err));

  cinfo.err = jpeg_std_error(&err.pub);
  cic_jpeg_progress progress;
  memset(&progress, 0, sizeof(progress));
  progress.pub.progress_monitor = cic_jpeg_progress_monitor;
  progress.err = &err;
  err.pub.error_exit = cic_jpeg_error_exit;
  err.pub.emit_message = cic_jpeg_emit_message;
  err.pub.output_message = cic_jpeg_output_message;

  // Everything the error path must see lives in memory (out, err, cinfo), not in
  // registers, so it is valid after longjmp.
  volatile cic_status status = CIC_ERROR_JPEG;
  if (setjmp(err.jump)) {
    if (err.too_many_scans) {
      status = CIC_ERROR_UNSUPPORTED;
      snprintf(out->message, sizeof(out->message),
               "progressive JPEG with more than %d scans (a decompression-time bomb)", CIC_MAX_JPEG_SCANS);
    } else if (err.truncated) {
      status = CIC_ERROR_TRUNCATED;
      snprintf(out->message, sizeof(out->message), "%s", "Premature end of JPEG file");
    } else {
      (*err.pub.format_message)((j_common_ptr)&cinfo, out->message);
    }
    jpeg_destroy_decompress(&cinfo);
    free(out->pixels);
    out->pixels = NULL;
    out->byte_count = 0;
    return status;
  }

  jpeg_create_decompress(&cinfo);
  cinfo.progress = &progress.pub;
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_read_header(&cinfo, TRUE);

  int components = cinfo.num_components;
  int layout;
  switch (components) {
    case 1: cinfo.out_color_space = JCS_GRAYSCALE; layout = CIC_LAYOUT_GRAY8; break;
    case 3: cinfo.out_color_space = JCS_RGB; layout = CIC_LAYOUT_RGB8; break;
    case 4: cinfo.out_color_space = JCS_CMYK; layout = CIC_LAYOUT_CMYK8; break;
    default:
      snprintf(out->message, sizeof(out->message), "cannot handle %d-layer images", components);
      jpeg_destroy_decompress(&cinfo);
      return CIC_ERROR_UNSUPPORTED;
  }
  if ((unsigned long long)cinfo.image_width * cinfo.image_height > CIC_MAX_PIXELS) {
    snprintf(out->message, sizeof(out->message),
             "image size %ux%u exceeds the limit of %llu pixels",
             cinfo.image_width, cinfo.image_height, CIC_MAX_PIXELS);
    jpeg_destroy_decompress(&cinfo);
    return CIC_ERROR_TOO_LARGE;
  }
  if (scale_denom > 1) {
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned int)scale_denom;
  }

  jpeg_start_decompress(&cinfo);

  size_t row_bytes = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  size_t total = row_bytes * cinfo.output_height;
  out->pixels = malloc(total ? total : 1);
  if (!out->pixels) {
    snprintf(out->message, sizeof(out->message), "out of memory for %zu bytes", total);
    jpeg_destroy_decompress(&cinfo);
    return CIC_ERROR_OUT_OF_MEMORY;
  }
  out->byte_count = total;

  JSAMPROW rows[16];
  while (cinfo.output_scanline < cinfo.output_height) {
    JDIMENSION want = cinfo.output_height - cinfo.output_scanline;
    if (want > 16) want = 16;
    for (JDIMENSION i = 0; i < want; i++) {
      rows[i] = out->pixels + (size_t)(cinfo.output_scanline + i) * row_bytes;
    }
    jpeg_read_scanlines(&cinfo, rows, want);
  }
  err.scanlines_done = 1;
  jpeg_finish_decompress(&cinfo);

  if (layout == CIC_LAYOUT_CMYK8) {
    // Pillow reads CMYK JPEGs with the "CMYK;I" raw mode (Adobe's inverted polarity).
    uint8_t *p = out->pixels;
    for (size_t i = 0; i < total; i++) p[i] = (uint8_t)(255 - p[i]);
  }
  out->width = (int32_t)cinfo.output_width;
  out->height = (int32_t)cinfo.output_height;
  out->layout = layout;
  jpeg_destroy_decompress(&cinfo);
  return CIC_OK;
}

void cic_image_free(cic_image *image) {
  if (!image) return;
  free(image->pixels);
  image->pixels = NULL;
  image->byte_count = 0;
}
