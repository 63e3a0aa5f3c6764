// GIF decoding through giflib: the first frame, as Pillow 13 opens it (mode "P").
//
// Why giflib and not an LZW decoder of our own: Pillow's GIF decoder is its own C code, so
// neither choice reuses Pillow's; giflib is the maintained, widely fuzzed LZW implementation
// Debian ships, and the pixels of a valid stream are fully determined by the format, so a
// second LZW decoder would add hostile-input surface without adding fidelity. What Pillow
// decides beyond the LZW stream (which palette, the canvas size, what fills the canvas
// outside the frame) is done here, after giflib.
#include "CImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

typedef struct cic_gif_source {
  const uint8_t *data;
  size_t size;
  size_t position;
  int short_read;
} cic_gif_source;

static int cic_gif_read(GifFileType *gif, GifByteType *buffer, int length) {
  cic_gif_source *source = (cic_gif_source *)gif->UserData;
  size_t left = source->size - source->position;
  size_t n = length < 0 ? 0 : (size_t)length;
  if (n > left) {
    n = left;
    source->short_read = 1;
  }
  memcpy(buffer, source->data + source->position, n);
  source->position += n;
  return (int)n;
}

static cic_status cic_gif_fail(cic_image *out, GifFileType *gif, cic_gif_source *source, int error) {
  const char *text = GifErrorString(error);
  snprintf(out->message, sizeof(out->message), "%s", text ? text : "giflib failed");
  free(out->pixels);
  out->pixels = NULL;
  out->byte_count = 0;
  int ignored;
  if (gif) DGifCloseFile(gif, &ignored);
  return source->short_read ? CIC_ERROR_TRUNCATED : CIC_ERROR_CODEC;
}

cic_status cic_decode_gif(const uint8_t *data, size_t size, cic_image *out) {
  memset(out, 0, sizeof(*out));
  cic_gif_source source = {data, size, 0, 0};
  int error = 0;
  GifFileType *gif = DGifOpen(&source, cic_gif_read, &error);
  if (!gif) return cic_gif_fail(out, NULL, &source, error);
  int transparent = -1;
  for (;;) {
    GifRecordType record;
    if (DGifGetRecordType(gif, &record) == GIF_ERROR) return cic_gif_fail(out, gif, &source, gif->Error);
    if (record == TERMINATE_RECORD_TYPE) {
      snprintf(out->message, sizeof(out->message), "%s", "no image in the file");
      int ignored;
      DGifCloseFile(gif, &ignored);
      return CIC_ERROR_CODEC;
    }
    if (record == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType *extension = NULL;
      if (DGifGetExtension(gif, &code, &extension) == GIF_ERROR) return cic_gif_fail(out, gif, &source, gif->Error);
      if (code == GRAPHICS_EXT_FUNC_CODE && extension && extension[0] >= 4) {
        transparent = (extension[1] & 1) ? extension[4] : -1;
      }
      while (extension) {
        if (DGifGetExtensionNext(gif, &extension) == GIF_ERROR) return cic_gif_fail(out, gif, &source, gif->Error);
      }
      continue;
    }
    if (record != IMAGE_DESC_RECORD_TYPE) continue;
    if (DGifGetImageDesc(gif) == GIF_ERROR) return cic_gif_fail(out, gif, &source, gif->Error);
    GifImageDesc *frame = &gif->Image;
    // Pillow grows the canvas to hold a frame that extends past the logical screen.
    size_t right = (size_t)frame->Left + (size_t)frame->Width;
    size_t bottom = (size_t)frame->Top + (size_t)frame->Height;
    size_t width = right > (size_t)gif->SWidth ? right : (size_t)gif->SWidth;
    size_t height = bottom > (size_t)gif->SHeight ? bottom : (size_t)gif->SHeight;
    if ((unsigned long long)width * height > CIC_MAX_PIXELS) {
      snprintf(out->message, sizeof(out->message), "image size %zux%zu exceeds the limit of %llu pixels",
               width, height, CIC_MAX_PIXELS);
      int ignored;
      DGifCloseFile(gif, &ignored);
      return CIC_ERROR_TOO_LARGE;
    }
    // Every pixel of the frame takes at least a bit of LZW code, bounded by 12 bits a code:
    // a 1 KB file cannot hold a gigapixel frame.
    if ((unsigned long long)frame->Width * frame->Height / 4096 > size) {
      snprintf(out->message, sizeof(out->message),
               "a %dx%d frame cannot be held in a file of %zu bytes", frame->Width, frame->Height, size);
      int ignored;
      DGifCloseFile(gif, &ignored);
      return CIC_ERROR_TRUNCATED;
    }
    size_t total = width * height;
    out->pixels = malloc(total ? total : 1);
    GifPixelType *line = malloc(frame->Width ? (size_t)frame->Width : 1);
    if (!out->pixels || !line) {
      free(line);
      snprintf(out->message, sizeof(out->message), "out of memory for %zu bytes", total);
      int ignored;
      DGifCloseFile(gif, &ignored);
      free(out->pixels);
      out->pixels = NULL;
      return CIC_ERROR_OUT_OF_MEMORY;
    }
    memset(out->pixels, transparent >= 0 ? transparent : 0, total ? total : 1);
    out->byte_count = total;
    // Interlaced frames store rows in four passes.
    static const int pass_start[4] = {0, 4, 2, 1}, pass_step[4] = {8, 8, 4, 2};
    int passes = frame->Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; pass++) {
      int start = frame->Interlace ? pass_start[pass] : 0, step = frame->Interlace ? pass_step[pass] : 1;
      for (int y = start; y < frame->Height; y += step) {
        if (DGifGetLine(gif, line, frame->Width) == GIF_ERROR) {
          free(line);
          return cic_gif_fail(out, gif, &source, gif->Error);
        }
        memcpy(out->pixels + ((size_t)frame->Top + y) * width + frame->Left, line, (size_t)frame->Width);
      }
    }
    free(line);
    ColorMapObject *map = frame->ColorMap ? frame->ColorMap : gif->SColorMap;
    if (map && map->Colors) {
      int count = map->ColorCount > 256 ? 256 : map->ColorCount;
      for (int c = 0; c < count; c++) {
        out->palette[3 * c] = map->Colors[c].Red;
        out->palette[3 * c + 1] = map->Colors[c].Green;
        out->palette[3 * c + 2] = map->Colors[c].Blue;
      }
      out->palette_count = count;
      out->layout = CIC_LAYOUT_PALETTE8;
    } else {
      out->layout = CIC_LAYOUT_GRAY8;  // Pillow reads a GIF without a palette as "L"
    }
    out->width = (int32_t)width;
    out->height = (int32_t)height;
    int ignored;
    DGifCloseFile(gif, &ignored);
    return CIC_OK;
  }
}
