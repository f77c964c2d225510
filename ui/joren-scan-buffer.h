/* joren-scan-buffer.h: collects the characters a keyboard-wedge barcode
 * scanner types until Enter, so a scan is one code however fast it
 * arrives. Not a widget: the window's key controller feeds it, and tests
 * feed it directly. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JOREN_TYPE_SCAN_BUFFER (joren_scan_buffer_get_type ())
G_DECLARE_FINAL_TYPE (JorenScanBuffer, joren_scan_buffer, JOREN, SCAN_BUFFER, GObject)

JorenScanBuffer *joren_scan_buffer_new          (void);
/* A printable character typed at time_ms (the key event's time). Returns
 * FALSE when it is not taken (control characters, buffer full). */
gboolean         joren_scan_buffer_push         (JorenScanBuffer *self,
                                                 gunichar         c,
                                                 guint32          time_ms);
/* Enter: emits "scanned" with the collected code (trimmed) when there is
 * one, empties the buffer, and returns whether a code was emitted. */
gboolean         joren_scan_buffer_submit       (JorenScanBuffer *self);
void             joren_scan_buffer_reset        (JorenScanBuffer *self);
const char      *joren_scan_buffer_peek         (JorenScanBuffer *self);
gboolean         joren_scan_buffer_is_empty     (JorenScanBuffer *self);
/* Hook for inter-key timing: a gap longer than max_gap_ms between two
 * characters starts a new code (0, the default, keeps everything). */
void             joren_scan_buffer_set_max_gap  (JorenScanBuffer *self,
                                                 guint            max_gap_ms);

G_END_DECLS
