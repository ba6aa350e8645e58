// LAPACK (Debian liblapacke-dev) over OpenBLAS (libopenblas-dev) for the CFA's matrix algebra.
#include <lapacke.h>

// OpenBLAS: the psychometrics use small matrices (p <= 14), where one thread is fastest and a busy
// second core makes two threads far slower (engineering notes). Declared here because the
// OpenBLAS header is not on the default include path.
void openblas_set_num_threads(int num_threads);
