/* joren-scanner.c: the burst detector. Keys are held while they come
 * faster than max_gap; a slow key releases the held ones as typing; the
 * terminator after a long enough fast burst makes a scan. Scanners send
 * 1-10 ms apart even at 9600 baud emulation, people rarely under 50 ms
 * between keys, so 30 ms separates them with room on both sides. */
#include "joren-scanner.h"

struct _JorenScanner {
  JorenScannerConfig  config;
  GString            *held;
  guint               n_held;   /* characters, not bytes */
  gint64              last_us;
};

static const JorenScannerConfig defaults = { 30000, 4, '\n' };

JorenScanner *
joren_scanner_new (const JorenScannerConfig *config)
{
  JorenScanner *self = g_new0 (JorenScanner, 1);

  self->config = config != NULL ? *config : defaults;
  self->held = g_string_new (NULL);
  return self;
}

void
joren_scanner_free (JorenScanner *self)
{
  if (self == NULL)
    return;
  g_string_free (self->held, TRUE);
  g_free (self);
}

/* Hands back what is held, as typing. */
static JorenScannerResult
release (JorenScanner *self, char **text)
{
  *text = g_strdup (self->held->str);
  g_string_truncate (self->held, 0);
  self->n_held = 0;
  return JOREN_SCANNER_TYPING;
}

static void
hold (JorenScanner *self, gunichar c, gint64 time_us)
{
  g_string_append_unichar (self->held, c);
  self->n_held++;
  self->last_us = time_us;
}

JorenScannerResult
joren_scanner_feed (JorenScanner  *self,
                    gunichar       c,
                    gint64         time_us,
                    char         **text)
{
  gboolean fast;

  g_return_val_if_fail (self != NULL, JOREN_SCANNER_TYPING);
  g_return_val_if_fail (text != NULL, JOREN_SCANNER_TYPING);

  *text = NULL;
  fast = self->n_held > 0 && time_us - self->last_us <= self->config.max_gap_us;
  if (c == self->config.terminator)
    {
      if (fast && self->n_held >= self->config.min_length)
        {
          *text = g_strdup (self->held->str);
          g_string_truncate (self->held, 0);
          self->n_held = 0;
          return JOREN_SCANNER_SCAN;
        }
      hold (self, c, time_us);
      return release (self, text);
    }
  if (self->n_held > 0 && !fast)
    {
      /* a pause: what was held was typed; this key may start a scan */
      JorenScannerResult result = release (self, text);

      hold (self, c, time_us);
      return result;
    }
  hold (self, c, time_us);
  return JOREN_SCANNER_PENDING;
}

JorenScannerResult
joren_scanner_flush (JorenScanner  *self,
                     gint64         now_us,
                     char         **text)
{
  g_return_val_if_fail (self != NULL, JOREN_SCANNER_PENDING);
  g_return_val_if_fail (text != NULL, JOREN_SCANNER_PENDING);

  *text = NULL;
  if (self->n_held == 0 || now_us - self->last_us <= self->config.max_gap_us)
    return JOREN_SCANNER_PENDING;
  return release (self, text);
}
