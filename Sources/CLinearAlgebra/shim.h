// CBLAS and LAPACKE for NDArray's linear algebra: Debian's libopenblas-dev (cblas.h, and
// libopenblas as the BLAS and LAPACK behind liblapacke) and liblapacke-dev (lapacke.h).
#ifndef C_LINEAR_ALGEBRA_SHIM_H
#define C_LINEAR_ALGEBRA_SHIM_H

#include <cblas.h>
#include <lapacke.h>

#endif
