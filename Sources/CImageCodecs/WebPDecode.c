// WebP decoding through libwebp, as Pillow 13 reads it: Pillow takes libwebp's
// WebPAnimDecoder for every WebP (still or animated), the first frame composited on a zeroed
// canvas, as RGBA. For a still image that frame is the whole canvas and a key frame, which
// the animation decoder decodes without blending: the same pixels as a plain decode. So a
// still image is decoded straight into its final layout (RGB without alpha: no canvas, no
// copy, no alpha channel to drop), and only animations go through WebPAnimDecoder.
#include "CImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

static const char *cic_webp_status_text(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "not enough data";
    default: return "decoding failed";
  }
}

/// A still image: RGB, or RGBA when it has alpha, decoded in one call into our buffer.
static cic_status cic_decode_webp_still(const uint8_t *data, size_t size, const WebPBitstreamFeatures *features,
                                        cic_image *out) {
  int channels = features->has_alpha ? 4 : 3;
  size_t stride = (size_t)features->width * channels, total = stride * (size_t)features->height;
  out->pixels = malloc(total ? total : 1);
  if (!out->pixels) {
    snprintf(out->message, sizeof(out->message), "out of memory for %zu bytes", total);
    return CIC_ERROR_OUT_OF_MEMORY;
  }
  uint8_t *decoded = features->has_alpha ? WebPDecodeRGBAInto(data, size, out->pixels, total, (int)stride)
                                         : WebPDecodeRGBInto(data, size, out->pixels, total, (int)stride);
  if (!decoded) {
    free(out->pixels);
    out->pixels = NULL;
    // libwebp does not say why; a short file is the common reason (as for animations).
    snprintf(out->message, sizeof(out->message), "%s", "libwebp failed to decode the first frame");
    return CIC_ERROR_CODEC;
  }
  out->byte_count = total;
  out->width = features->width;
  out->height = features->height;
  out->layout = features->has_alpha ? CIC_LAYOUT_RGBA8 : CIC_LAYOUT_RGB8;
  return CIC_OK;
}

cic_status cic_decode_webp(const uint8_t *data, size_t size, cic_image *out) {
  memset(out, 0, sizeof(*out));
  // The canvas size comes from the headers alone; refuse a bomb before the decoder
  // allocates the canvas.
  WebPBitstreamFeatures features;
  VP8StatusCode status = WebPGetFeatures(data, size, &features);
  if (status != VP8_STATUS_OK) {
    snprintf(out->message, sizeof(out->message), "%s in the headers", cic_webp_status_text(status));
    return status == VP8_STATUS_NOT_ENOUGH_DATA ? CIC_ERROR_TRUNCATED : CIC_ERROR_CODEC;
  }
  if (features.width <= 0 || features.height <= 0 ||
      (unsigned long long)features.width * (unsigned long long)features.height > CIC_MAX_PIXELS) {
    snprintf(out->message, sizeof(out->message), "image size %dx%d exceeds the limit of %llu pixels",
             features.width, features.height, CIC_MAX_PIXELS);
    return CIC_ERROR_TOO_LARGE;
  }
  if (!features.has_animation) return cic_decode_webp_still(data, size, &features, out);
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) {
    snprintf(out->message, sizeof(out->message), "%s", "libwebp version mismatch");
    return CIC_ERROR_CODEC;
  }
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  WebPData input = {data, size};
  WebPAnimDecoder *decoder = WebPAnimDecoderNew(&input, &options);
  if (!decoder) {
    snprintf(out->message, sizeof(out->message), "%s", "libwebp could not parse the container");
    return CIC_ERROR_CODEC;
  }
  WebPAnimInfo info;
  if (!WebPAnimDecoderGetInfo(decoder, &info)) {
    WebPAnimDecoderDelete(decoder);
    snprintf(out->message, sizeof(out->message), "%s", "libwebp could not read the canvas size");
    return CIC_ERROR_CODEC;
  }
  if ((unsigned long long)info.canvas_width * info.canvas_height > CIC_MAX_PIXELS) {
    WebPAnimDecoderDelete(decoder);
    snprintf(out->message, sizeof(out->message), "image size %ux%u exceeds the limit of %llu pixels",
             info.canvas_width, info.canvas_height, CIC_MAX_PIXELS);
    return CIC_ERROR_TOO_LARGE;
  }
  uint8_t *frame = NULL;
  int timestamp = 0;
  if (!WebPAnimDecoderGetNext(decoder, &frame, &timestamp) || !frame) {
    WebPAnimDecoderDelete(decoder);
    // libwebp does not say why; a short file is the common reason.
    snprintf(out->message, sizeof(out->message), "%s", "libwebp failed to decode the first frame");
    return CIC_ERROR_CODEC;
  }
  size_t total = (size_t)info.canvas_width * info.canvas_height * 4;
  out->pixels = malloc(total ? total : 1);
  if (!out->pixels) {
    WebPAnimDecoderDelete(decoder);
    snprintf(out->message, sizeof(out->message), "out of memory for %zu bytes", total);
    return CIC_ERROR_OUT_OF_MEMORY;
  }
  memcpy(out->pixels, frame, total);
  WebPAnimDecoderDelete(decoder);
  out->byte_count = total;
  out->width = (int32_t)info.canvas_width;
  out->height = (int32_t)info.canvas_height;
  out->layout = CIC_LAYOUT_RGBA8;
  return CIC_OK;
}
