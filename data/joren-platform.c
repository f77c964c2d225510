/* joren-platform.c: the one place in data/ that makes operating-system
 * calls GLib does not wrap. Today that is the crash hook the crash-safety
 * tests use to kill the register half way through writing a sale. */
#include "config.h"

#include <stdlib.h>

#include "joren-sale-db.h"

#ifdef G_OS_UNIX
#include <signal.h>
#else
#include <windows.h>
#endif

void
joren_db_crash_point (const char *point)
{
  const char *wanted = g_getenv ("JOREN_CRASH_POINT");

  g_return_if_fail (point != NULL);

  if (wanted == NULL || g_strcmp0 (wanted, point) != 0)
    return;
  /* SIGKILL, like a power cut: no atexit handlers, no SQLite cleanup. */
#ifdef G_OS_UNIX
  raise (SIGKILL);
#else
  TerminateProcess (GetCurrentProcess (), 9);
#endif
  abort ();
}
