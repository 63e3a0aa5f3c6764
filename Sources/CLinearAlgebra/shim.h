// CBLAS and LAPACKE for NDArray's linear algebra: Debian's libopenblas-dev (cblas.h, and
// libopenblas as the BLAS and LAPACK behind liblapacke) and liblapacke-dev (lapacke.h).
#ifndef C_LINEAR_ALGEBRA_SHIM_H
#define C_LINEAR_ALGEBRA_SHIM_H

#include <cblas.h>
#include <lapacke.h>

// OpenBLAS's own: stops its worker threads (they start again at the next threaded call).
// Exported by libopenblas (its fork handler uses it) but not declared in cblas.h.
int blas_thread_shutdown_(void);

#endif
