// CImageCodecs: JPEG and PNG decoding through libjpeg-turbo and libpng.
// This module provides no stable Swift API; the Imaging module wraps it.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
#include <stddef.h>
#endif
