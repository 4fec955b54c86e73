#ifndef VOICETUTOR_CALSA_SHIM_H
#define VOICETUTOR_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
