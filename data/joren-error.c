/* joren-error.c: the quark behind JOREN_DATA_ERROR, the one error domain
 * every data-layer failure (SQLite, bad input, permissions) is reported in. */
#include "config.h"

#include "joren-error.h"

G_DEFINE_QUARK (joren-data-error-quark, joren_data_error)
