/* joren-device-error.c: the JOREN_DEVICE_ERROR quark. */
#include "joren-device-error.h"

G_DEFINE_QUARK (joren-device-error-quark, joren_device_error)
