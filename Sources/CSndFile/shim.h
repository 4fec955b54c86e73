#ifndef VOICETUTOR_CSNDFILE_SHIM_H
#define VOICETUTOR_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
