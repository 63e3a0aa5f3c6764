// The system headers of the library the CGIF module wraps (pkg-config: libgif).
#include <gif_lib.h>
