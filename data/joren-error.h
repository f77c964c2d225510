/* joren-error.h: the data layer's error domain. SQLite result codes become
 * these at the edge of data/, with messages a cashier can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JOREN_DATA_ERROR (joren_data_error_quark ())

typedef enum {
  JOREN_DATA_ERROR_FAILED,        /* SQLite or I/O failure */
  JOREN_DATA_ERROR_NOT_FOUND,     /* no such product, sale, staff ... */
  JOREN_DATA_ERROR_INVALID,       /* bad input: malformed scan, bad amount */
  JOREN_DATA_ERROR_EXISTS,        /* duplicate barcode, SKU ... */
  JOREN_DATA_ERROR_WRONG_PIN,
  JOREN_DATA_ERROR_LOCKED,        /* too many wrong PINs, try later */
  JOREN_DATA_ERROR_PERMISSION,    /* role may not do this */
  JOREN_DATA_ERROR_NOT_PAID,      /* commit of a sale that is not fully paid */
  JOREN_DATA_ERROR_CORRUPT,       /* database file damaged */
  JOREN_DATA_ERROR_NEWER_SCHEMA,  /* file written by a newer Joren */
  JOREN_DATA_ERROR_NO_SESSION,    /* no open cash session */
} JorenDataError;

GQuark joren_data_error_quark (void);

G_END_DECLS
