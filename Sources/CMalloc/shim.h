// glibc's malloc tuning (mallopt) and malloc_trim, which Swift's Glibc module does not export.
#if defined(__linux__)
#include <malloc.h>
#endif
