#ifndef VOICETUTOR_COPENBLAS_SHIM_H
#define VOICETUTOR_COPENBLAS_SHIM_H
// cblas.h from libopenblas-dev also declares openblas_get_corename / openblas_set_num_threads.
#include <cblas.h>
#endif
