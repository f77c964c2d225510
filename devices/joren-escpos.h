/* joren-escpos.h: an ESC/POS encoder, a builder that appends commands to a
 * byte buffer for one printer profile. Text is buffered per line: a line
 * whose characters are all in the printer's font goes out as bytes with
 * style commands; a line with any character the font lacks is drawn with
 * Pango and sent as a raster image, in the same cell grid, so mixed
 * languages keep their columns. Style setters are lazy: the commands are
 * only emitted when text that needs them is printed. */
#pragma once

#include <glib.h>

#include "joren-bitmap.h"
#include "joren-printer-profile.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_ALIGN_LEFT,
  JOREN_ALIGN_CENTER,
  JOREN_ALIGN_RIGHT,
} JorenAlign;

typedef enum {
  JOREN_ESCPOS_EAN13,
  JOREN_ESCPOS_CODE128,
} JorenEscposSymbology;

typedef enum {
  JOREN_QR_AUTO,    /* native GS ( k when the profile has it, else raster */
  JOREN_QR_NATIVE,
  JOREN_QR_RASTER,
} JorenQrMode;

typedef struct _JorenEscpos JorenEscpos;

JorenEscpos               *joren_escpos_new           (const JorenPrinterProfile *profile);
void                       joren_escpos_free          (JorenEscpos *self);
/* Flushes a pending line and returns everything encoded. */
GBytes                    *joren_escpos_free_to_bytes (JorenEscpos *self);
const JorenPrinterProfile *joren_escpos_get_profile   (JorenEscpos *self);

/* ESC @ then the profile's character set selection. */
void     joren_escpos_init            (JorenEscpos *self);
void     joren_escpos_set_bold        (JorenEscpos *self, gboolean bold);
void     joren_escpos_set_underline   (JorenEscpos *self, guint dots);
void     joren_escpos_set_size        (JorenEscpos *self, guint width, guint height);
void     joren_escpos_set_reverse     (JorenEscpos *self, gboolean reverse);
void     joren_escpos_set_font        (JorenEscpos *self, guint font);
void     joren_escpos_set_align       (JorenEscpos *self, JorenAlign align);
/* Dots per line; 0 restores the default (ESC 2). */
void     joren_escpos_set_line_spacing (JorenEscpos *self, guint dots);
void     joren_escpos_reset_style     (JorenEscpos *self);

/* UTF-8; '\n' ends a line. */
void     joren_escpos_text            (JorenEscpos *self, const char *utf8);
void     joren_escpos_newline         (JorenEscpos *self);
void     joren_escpos_feed            (JorenEscpos *self, guint lines);
void     joren_escpos_feed_dots       (JorenEscpos *self, guint dots);
/* Feeds to the cutter and cuts; without a cutter, feeds to the tear bar. */
void     joren_escpos_cut             (JorenEscpos *self, gboolean partial);
/* Cash drawer kick on pin 2 (pin 0) or 5 (pin 1); no-op without a drawer. */
void     joren_escpos_pulse           (JorenEscpos *self, guint pin,
                                       guint on_ms, guint off_ms);
gboolean joren_escpos_barcode         (JorenEscpos      *self,
                                       JorenEscposSymbology  kind,
                                       const char       *data,
                                       gboolean          hri,
                                       GError          **error);
gboolean joren_escpos_qr              (JorenEscpos  *self,
                                       const char   *data,
                                       JorenQrMode   mode,
                                       GError      **error);
/* GS v 0 in strips of the profile's raster_rows, blank rows sent as feeds;
 * placed by the current alignment. */
void     joren_escpos_image           (JorenEscpos *self, const JorenBitmap *bitmap);

/* Layout helpers for documents. */
guint    joren_escpos_get_columns     (JorenEscpos *self);  /* at the current font and width */
guint    joren_escpos_text_columns    (JorenEscpos *self, const char *utf8);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenEscpos, joren_escpos_free)

G_END_DECLS
