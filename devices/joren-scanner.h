/* joren-scanner.h: tells a keyboard-wedge barcode scanner or card reader
 * from a person typing. Scanners "type" a whole code in a fast burst
 * ending in Enter; people are slower and uneven. A pure state machine:
 * the UI feeds every key with its timestamp and gets back either nothing
 * yet (keys held), a complete scan, or keys to hand back as typing. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64 max_gap_us;    /* longest pause between keys of one scan (30 ms) */
  guint  min_length;    /* shortest code counted as a scan (4) */
  gunichar terminator;  /* key that ends a scan ('\n'; '\t' for some) */
} JorenScannerConfig;

typedef enum {
  JOREN_SCANNER_PENDING,   /* key held: may be part of a scan */
  JOREN_SCANNER_SCAN,      /* *text is a complete code, terminator removed */
  JOREN_SCANNER_TYPING,    /* *text holds keys a person typed, in order */
} JorenScannerResult;

typedef struct _JorenScanner JorenScanner;

/* config NULL: the defaults above. */
JorenScanner       *joren_scanner_new   (const JorenScannerConfig *config);
void                joren_scanner_free  (JorenScanner *self);
JorenScannerResult  joren_scanner_feed  (JorenScanner *self,
                                         gunichar      c,
                                         gint64        time_us,
                                         char        **text);
/* Call from a timer: held keys older than max_gap are typing. */
JorenScannerResult  joren_scanner_flush (JorenScanner *self,
                                         gint64        now_us,
                                         char        **text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenScanner, joren_scanner_free)

G_END_DECLS
