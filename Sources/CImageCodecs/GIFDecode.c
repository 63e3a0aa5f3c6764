// GIF decoding, our own: the first frame, as Pillow 13 opens it (mode "P").
//
// Why our own LZW and not giflib: Pillow decodes GIF with its own C code, and giflib refuses
// streams Pillow reads — an LZW minimum code size above 8 (Pillow accepts up to 12; Pillow's
// Tests/images/issue_2811.gif has 11). Only our own decoder can follow Pillow's observable
// rules, listed here, on every such file:
// - blocks between the header and the first image are walked as Pillow does: extensions
//   (a Graphic Control Extension sets the transparent index), the trailer `;` ends the file,
//   any other byte is skipped;
// - the canvas is the logical screen, grown to hold the frame; pixels outside the frame are
//   the transparent index, else 0; the local colour table wins over the global one, and
//   without either the image is gray ("L");
// - LZW: code sizes 0…12; a clear code resets the table; the first code after a clear must be
//   a literal; a code above the next free entry is an error; the table stops growing at 4096
//   entries; the last row filled ends the frame; sub-blocks of length 0 are skipped and
//   reading goes on into the bytes that follow, as Pillow's decoder does;
// - an end code before the last row, or data that ends there, is truncation: Pillow's
//   decoder pauses at the end code, and its loader then finds no more data ("image file is
//   truncated"); an empty first frame is an error too.
#include "CImageCodecs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CIC_GIF_TABLE = 4096 };

/// The LZW code stream: the frame's sub-blocks joined (``cic_gif_join``), read least
/// significant bit first.
typedef struct cic_gif_bits {
  const uint8_t *bytes;
  size_t size;
  size_t position;
} cic_gif_bits;

/// The data of the sub-blocks from `position` on, joined into one malloc'd buffer (its
/// length in `*joined`): a sub-block is only used when all of it is there (Pillow waits for
/// whole blocks), and sub-blocks of length 0 are skipped, reading on into the bytes that
/// follow, as Pillow's decoder does. NULL when out of memory.
static uint8_t *cic_gif_join(const uint8_t *data, size_t size, size_t position, size_t *joined) {
  uint8_t *bytes = malloc(size - position + 1);
  size_t count = 0;
  if (!bytes) return NULL;
  while (position < size) {
    size_t length = data[position];
    if (size - position - 1 < length) break;
    memcpy(bytes + count, data + position + 1, length);
    count += length;
    position += 1 + length;
  }
  *joined = count;
  return bytes;
}

static cic_status cic_gif_fail(cic_image *out, cic_status status, const char *message) {
  snprintf(out->message, sizeof(out->message), "%s", message);
  free(out->pixels);
  out->pixels = NULL;
  out->byte_count = 0;
  return status;
}

/// Rows of the frame in the order the stream stores them (four passes when interlaced).
typedef struct cic_gif_rows {
  int height;
  int interlaced;
  int pass;
  int y;
} cic_gif_rows;

/// Advances to the next stored row; returns 0 when the frame is complete.
static int cic_gif_next_row(cic_gif_rows *rows) {
  static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
  if (!rows->interlaced) return ++rows->y < rows->height;
  rows->y += step[rows->pass];
  while (rows->y >= rows->height) {
    if (++rows->pass == 4) return 0;
    rows->y = start[rows->pass];
  }
  return 1;
}

/// `word` (read from memory) as a little-endian value.
static inline uint64_t cic_gif_little_endian(uint64_t word) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return __builtin_bswap64(word);
#else
  return word;
#endif
}

/// Decodes one frame's LZW codes into `stream` (`total` bytes, rows in stored order), as
/// Pillow's decoder does (the rules above). Every string the table holds was written to
/// `stream` already: a new entry is the previous code's string plus the next byte, which
/// the stream holds right after it. So an entry is a place and a length in the output, and
/// decoding a code copies bytes forward, without unwinding prefix chains (the string being
/// defined, code == next, copies with overlap: its last byte is its first). Copies go 8
/// bytes at a time where the source is at least 8 bytes behind and the buffer has room.
static cic_status cic_gif_lzw(cic_gif_bits *bits, int minimum, uint8_t *stream, size_t total, cic_image *out) {
  size_t offset[CIC_GIF_TABLE];
  int length[CIC_GIF_TABLE];
  const int clear = 1 << minimum, end = clear + 1;
  int code_width = minimum + 1, next = clear + 2, previous_length = 0;
  size_t written = 0, previous_at = 0;
  const uint8_t *bytes = bits->bytes;
  size_t size = bits->size, position = bits->position;
  uint64_t buffer = 0;
  int count_bits = 0;
  while (written < total) {
    if (count_bits < code_width) {
      if (size - position >= 8) {  // a whole word: as many bytes as the buffer has room for
        uint64_t word;
        memcpy(&word, bytes + position, 8);
        word = cic_gif_little_endian(word);
        buffer |= word << count_bits;
        position += (size_t)((63 - count_bits) >> 3);
        count_bits |= 56;
      } else {
        while (count_bits < code_width) {
          if (position >= size) {
            return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the image data ends before the last row");
          }
          buffer |= (uint64_t)bytes[position++] << count_bits;
          count_bits += 8;
        }
      }
    }
    int code = (int)(buffer & ((1u << code_width) - 1));
    buffer >>= code_width;
    count_bits -= code_width;
    if (code == clear) {
      code_width = minimum + 1;
      next = clear + 2;
      previous_length = 0;
      continue;
    }
    if (code == end) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the LZW end code comes before the last row");
    if (previous_length == 0) {  // the first code after a clear (or of the frame)
      if (code > clear) return cic_gif_fail(out, CIC_ERROR_CODEC, "the first LZW code after a clear is not a literal");
      stream[written] = (uint8_t)code;
      previous_at = written++;
      previous_length = 1;
      continue;
    }
    if (code > next) return cic_gif_fail(out, CIC_ERROR_CODEC, "LZW code beyond the table");
    int count;
    size_t room = total - written;
    if (code < clear) {
      stream[written] = (uint8_t)code;
      count = 1;
    } else {
      size_t from = code == next ? previous_at : offset[code];
      count = code == next ? previous_length + 1 : length[code];
      uint8_t *target = stream + written;
      const uint8_t *source = stream + from;
      size_t copied = (size_t)count < room ? (size_t)count : room;
      if (written - from >= 8 && copied + 8 <= room) {
        for (size_t i = 0; i < copied; i += 8) memcpy(target + i, source + i, 8);
      } else {
        for (size_t i = 0; i < copied; i++) target[i] = source[i];
      }
    }
    if (next < CIC_GIF_TABLE) {
      offset[next] = previous_at;
      length[next] = previous_length + 1;
      if (next == (1 << code_width) - 1 && code_width < 12) code_width++;
      next++;
    }
    previous_at = written;
    previous_length = count;
    written += (size_t)count < room ? (size_t)count : room;
  }
  return CIC_OK;
}

cic_status cic_decode_gif(const uint8_t *data, size_t size, cic_image *out) {
  memset(out, 0, sizeof(*out));
  if (size < 13) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside the 13-byte header");
  size_t width = data[6] | (size_t)data[7] << 8, height = data[8] | (size_t)data[9] << 8;
  const uint8_t *palette = NULL;
  int palette_count = 0;
  size_t position = 13;
  if (data[10] & 0x80) {
    palette_count = 2 << (data[10] & 7);
    if (size - position < (size_t)palette_count * 3)
      return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside the global colour table");
    palette = data + position;
    position += (size_t)palette_count * 3;
  }
  int transparent = -1;
  for (;;) {
    if (position >= size) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "no image before the end of the file");
    uint8_t kind = data[position++];
    if (kind == ';') return cic_gif_fail(out, CIC_ERROR_CODEC, "no image in the file");
    if (kind == '!') {
      if (position >= size) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside an extension");
      uint8_t label = data[position++];
      int first = 1;
      for (;;) {
        if (position >= size) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside an extension");
        size_t length = data[position++];
        if (length == 0) break;
        if (size - position < length) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside an extension");
        if (first && label == 0xF9 && length >= 4) transparent = (data[position] & 1) ? data[position + 3] : -1;
        first = 0;
        position += length;
      }
      continue;
    }
    if (kind != ',') continue;  // Pillow skips anything else, one byte at a time
    if (size - position < 9) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside the image descriptor");
    size_t left = data[position] | (size_t)data[position + 1] << 8;
    size_t top = data[position + 2] | (size_t)data[position + 3] << 8;
    size_t frame_width = data[position + 4] | (size_t)data[position + 5] << 8;
    size_t frame_height = data[position + 6] | (size_t)data[position + 7] << 8;
    uint8_t flags = data[position + 8];
    position += 9;
    if (flags & 0x80) {
      palette_count = 2 << (flags & 7);
      if (size - position < (size_t)palette_count * 3)
        return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends inside the local colour table");
      palette = data + position;
      position += (size_t)palette_count * 3;
    }
    // Pillow's decoder refuses an empty frame ("tile cannot extend outside image").
    if (frame_width == 0 || frame_height == 0) return cic_gif_fail(out, CIC_ERROR_CODEC, "the first frame is empty");
    if (left + frame_width > width) width = left + frame_width;
    if (top + frame_height > height) height = top + frame_height;
    if (width == 0 || height == 0) return cic_gif_fail(out, CIC_ERROR_CODEC, "the image has no pixels");
    if ((unsigned long long)width * height > CIC_MAX_PIXELS) {
      snprintf(out->message, sizeof(out->message), "image size %zux%zu exceeds the limit of %llu pixels", width,
               height, CIC_MAX_PIXELS);
      return CIC_ERROR_TOO_LARGE;
    }
    if (position >= size) return cic_gif_fail(out, CIC_ERROR_TRUNCATED, "the file ends before the image data");
    int minimum = data[position++];
    if (minimum > 12) return cic_gif_fail(out, CIC_ERROR_CODEC, "LZW code size above 12 bits");

    size_t total = width * height;
    out->pixels = malloc(total);
    if (!out->pixels) return cic_gif_fail(out, CIC_ERROR_OUT_OF_MEMORY, "out of memory for the canvas");
    memset(out->pixels, transparent >= 0 ? transparent : 0, total);
    out->byte_count = total;
    out->width = (int32_t)width;
    out->height = (int32_t)height;
    if (palette) {
      int count = palette_count > 256 ? 256 : palette_count;
      memcpy(out->palette, palette, (size_t)count * 3);
      out->palette_count = count;
      out->layout = CIC_LAYOUT_PALETTE8;
      if (transparent >= 0) {  // Pillow's putpalettealpha(transparency, 0)
        memset(out->palette_alpha, 255, sizeof(out->palette_alpha));
        out->palette_alpha[transparent] = 0;
        out->palette_alpha_count = transparent + 1;
      }
    } else {
      out->layout = CIC_LAYOUT_GRAY8;
    }

    // The frame's rows in stored order: straight into the canvas when they are its rows,
    // else into a scratch buffer placed (and de-interlaced) afterwards.
    int interlaced = (flags & 0x40) != 0;
    int direct = !interlaced && left == 0 && frame_width == width;
    size_t frame_total = frame_width * frame_height;
    uint8_t *stream = direct ? out->pixels + top * width : malloc(frame_total);
    if (!stream) return cic_gif_fail(out, CIC_ERROR_OUT_OF_MEMORY, "out of memory for the frame");
    size_t joined = 0;
    uint8_t *codes = cic_gif_join(data, size, position, &joined);
    if (!codes) {
      if (!direct) free(stream);
      return cic_gif_fail(out, CIC_ERROR_OUT_OF_MEMORY, "out of memory for the image data");
    }
    cic_gif_bits bits = {codes, joined, 0};
    cic_status status = cic_gif_lzw(&bits, minimum, stream, frame_total, out);
    free(codes);
    if (status == CIC_OK && !direct) {
      cic_gif_rows rows = {(int)frame_height, interlaced, 0, 0};
      size_t stored = 0;
      do {
        memcpy(out->pixels + (top + (size_t)rows.y) * width + left, stream + stored * frame_width, frame_width);
        stored++;
      } while (cic_gif_next_row(&rows));
    }
    if (!direct) free(stream);
    return status;
  }
}
