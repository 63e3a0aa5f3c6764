// The system headers of the library the CWebP module wraps (pkg-config: libwebpdemux).
#include <webp/decode.h>
#include <webp/demux.h>
