// The system headers of the library the CTIFF module wraps (pkg-config: libtiff-4).
#include <tiffio.h>
