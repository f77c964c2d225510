/* joren-printer-profile.h: what a receipt printer model can do. Profiles
 * are static tables: paper width in dots, font cell sizes, the character
 * set its built-in fonts cover, and optional features (native QR, cutter,
 * drawer kick, status replies). Everything the encoder decides per printer
 * is read from here, never hard-coded. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How text reaches paper. Characters outside the set are rasterised. */
typedef enum {
  JOREN_CHARSET_ASCII,     /* no usable font beyond ASCII: rest is raster */
  JOREN_CHARSET_CP858,     /* Western code page with the euro sign (ESC t 19) */
  JOREN_CHARSET_SHIFT_JIS, /* Japanese Kanji mode (FS C 1, FS &) */
  JOREN_CHARSET_GB18030,   /* Chinese mode, 2-byte GBK part only */
  JOREN_CHARSET_BIG5,      /* Traditional Chinese mode */
} JorenCharset;

typedef struct {
  guint cell_width;        /* dots per half-width character */
  guint cell_height;       /* dots */
} JorenFontCell;

typedef struct _JorenPrinterProfile JorenPrinterProfile;

struct _JorenPrinterProfile {
  const char   *id;             /* "epson-tm-t88" */
  const char   *name;           /* shown in settings; untranslated model name */
  guint         paper_mm;       /* 58 or 80 */
  guint         dots;           /* printable width: 384, 512, 576 */
  guint         dpi;            /* 180 or 203 */
  JorenFontCell fonts[2];       /* font A, font B */
  guint         line_spacing;   /* default line feed in dots (ESC 2) */
  JorenCharset  charset;
  guint8        code_page;      /* ESC t n for single-byte text */
  guint         raster_rows;    /* max rows per GS v 0 strip */
  guint         qr_module;      /* dots per QR module */
  guint         barcode_height; /* dots */
  guint         barcode_module; /* GS w: 2..6 */
  guint         has_native_qr : 1;
  guint         has_cutter : 1;
  guint         has_drawer : 1;
  guint         has_status : 1;  /* answers DLE EOT */
};

const JorenPrinterProfile *joren_printer_profile_lookup    (const char *id);
/* The built-in table, NULL-terminated. */
const JorenPrinterProfile *const *joren_printer_profile_list (void);
/* Characters per line in a font (0 = A, 1 = B) at width multiplier 1. */
guint                      joren_printer_profile_columns  (const JorenPrinterProfile *profile,
                                                           guint                      font);

G_END_DECLS
