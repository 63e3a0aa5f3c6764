// CBLAS and LAPACKE for NDArray's linear algebra: Debian's libopenblas-dev (cblas.h, and
// libopenblas as the BLAS and LAPACK behind liblapacke) and liblapacke-dev (lapacke.h).
#ifndef C_LINEAR_ALGEBRA_SHIM_H
#define C_LINEAR_ALGEBRA_SHIM_H

#include <cblas.h>
#include <lapacke.h>

// OpenBLAS's own: stops its worker threads (they start again at the next threaded call).
// Exported by libopenblas (its fork handler uses it) but not declared in cblas.h.
int blas_thread_shutdown_(void);

// LAPACK's MRRR steps, which `dstemr` calls in turn (Fortran symbols of libopenblas, or of
// the reference liblapack; every argument by address, the CHARACTER argument's length
// last). Called directly so that `dlarrv`'s eigenvectors can be computed in parts on
// several threads: NDArray's TridiagonalEigenpairs.swift.
void dlarrr_(const int *n, const double *d, const double *e, int *info);
void dlarre_(const char *range, const int *n, double *vl, double *vu, const int *il, const int *iu,
             double *d, double *e, double *e2, const double *rtol1, const double *rtol2,
             const double *spltol, int *nsplit, int *isplit, int *m, double *w, double *werr,
             double *wgap, int *iblock, int *indexw, double *gers, double *pivmin, double *work,
             int *iwork, int *info, size_t range_length);
void dlarrv_(const int *n, const double *vl, const double *vu, double *d, double *l,
             const double *pivmin, const int *isplit, const int *m, const int *dol, const int *dou,
             const double *minrgp, const double *rtol1, const double *rtol2, double *w,
             double *werr, double *wgap, const int *iblock, const int *indexw, const double *gers,
             double *z, const int *ldz, int *isuppz, double *work, int *iwork, int *info);
void dlarrj_(const int *n, const double *d, const double *e2, const int *ifirst, const int *ilast,
             const double *rtol, const int *offset, double *w, double *werr, double *work,
             int *iwork, const double *pivmin, const double *spdiam, int *info);

#endif
