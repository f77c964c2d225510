/* joren-uuid.c: time-ordered UUIDs (see joren-uuid.h). A sale's uuid and
 * an outbox op's id are unique keys written by every commit: random
 * (version 4) ones land on a random leaf of their index, which costs a
 * read on a big file and splits pages all over it (1.4 pages written per
 * commit instead of 1, each 4 KiB more for the commit's fsync). 74 random
 * bits a millisecond keep them as unique as version 4's 122. */
#include "config.h"

#include "joren-uuid.h"

/* 8-4-4-4-12 lower-case hex digits, as g_uuid_string_random writes them. */
static char *
format_uuid (const guint8 *b)
{
  static const char digits[] = "0123456789abcdef";
  char text[37];
  guint n = 0;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        text[n++] = '-';
      text[n++] = digits[b[i] >> 4];
      text[n++] = digits[b[i] & 0x0f];
    }
  text[n] = '\0';
  return g_strdup (text);
}

char *
joren_uuid_new_ordered (void)
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 b[16];

  for (guint i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (40 - 8 * i));
  for (guint i = 6; i < 16; i += 2)
    {
      guint32 r = g_random_int ();

      b[i] = (guint8) r;
      b[i + 1] = (guint8) (r >> 8);
    }
  b[6] = (guint8) (0x70 | (b[6] & 0x0f));   /* version 7 */
  b[8] = (guint8) (0x80 | (b[8] & 0x3f));   /* RFC 9562 variant */
  return format_uuid (b);
}
