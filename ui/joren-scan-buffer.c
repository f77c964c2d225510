/* joren-scan-buffer.c: the scanner's keystrokes, gathered into codes. A
 * scanner types 8-30 characters in a few milliseconds and ends with Enter;
 * a cashier's stray key presses on the same keyboard must not merge with
 * the next scan, which is what the optional gap limit is for. */
#include "config.h"

#include "joren-scan-buffer.h"

#define MAX_CODE_LENGTH 63

struct _JorenScanBuffer
{
  GObject  parent_instance;

  GString *code;
  guint32  last_time_ms;
  guint    max_gap_ms;
};

enum {
  SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenScanBuffer, joren_scan_buffer, G_TYPE_OBJECT)

static void
joren_scan_buffer_finalize (GObject *object)
{
  JorenScanBuffer *self = JOREN_SCAN_BUFFER (object);

  g_string_free (self->code, TRUE);
  G_OBJECT_CLASS (joren_scan_buffer_parent_class)->finalize (object);
}

static void
joren_scan_buffer_class_init (JorenScanBufferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = joren_scan_buffer_finalize;

  /* The code as the scanner typed it, whitespace trimmed. */
  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
joren_scan_buffer_init (JorenScanBuffer *self)
{
  self->code = g_string_new (NULL);
}

JorenScanBuffer *
joren_scan_buffer_new (void)
{
  return g_object_new (JOREN_TYPE_SCAN_BUFFER, NULL);
}

static gboolean
gap_too_long (JorenScanBuffer *self,
              guint32          time_ms)
{
  if (self->max_gap_ms == 0 || self->code->len == 0)
    return FALSE;
  return time_ms - self->last_time_ms > self->max_gap_ms;
}

gboolean
joren_scan_buffer_push (JorenScanBuffer *self,
                        gunichar         c,
                        guint32          time_ms)
{
  g_return_val_if_fail (JOREN_IS_SCAN_BUFFER (self), FALSE);

  if (!g_unichar_isprint (c))
    return FALSE;
  if (gap_too_long (self, time_ms))
    g_string_truncate (self->code, 0);
  if (self->code->len + 6 > MAX_CODE_LENGTH)
    return FALSE;
  g_string_append_unichar (self->code, c);
  self->last_time_ms = time_ms;
  return TRUE;
}

gboolean
joren_scan_buffer_submit (JorenScanBuffer *self)
{
  g_autofree char *code = NULL;

  g_return_val_if_fail (JOREN_IS_SCAN_BUFFER (self), FALSE);

  code = g_strstrip (g_string_free (g_steal_pointer (&self->code), FALSE));
  self->code = g_string_new (NULL);
  if (*code == '\0')
    return FALSE;
  g_signal_emit (self, signals[SCANNED], 0, code);
  return TRUE;
}

void
joren_scan_buffer_reset (JorenScanBuffer *self)
{
  g_return_if_fail (JOREN_IS_SCAN_BUFFER (self));

  g_string_truncate (self->code, 0);
}

const char *
joren_scan_buffer_peek (JorenScanBuffer *self)
{
  g_return_val_if_fail (JOREN_IS_SCAN_BUFFER (self), NULL);

  return self->code->str;
}

gboolean
joren_scan_buffer_is_empty (JorenScanBuffer *self)
{
  g_return_val_if_fail (JOREN_IS_SCAN_BUFFER (self), TRUE);

  return self->code->len == 0;
}

void
joren_scan_buffer_set_max_gap (JorenScanBuffer *self,
                               guint            max_gap_ms)
{
  g_return_if_fail (JOREN_IS_SCAN_BUFFER (self));

  self->max_gap_ms = max_gap_ms;
}
