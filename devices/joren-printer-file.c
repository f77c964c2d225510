/* joren-printer-file.c: writing to a device file. The file is opened
 * non-blocking and each write waits with poll() for at most the timeout,
 * because a printer out of paper behind usblp stops draining and a
 * blocking write() would never return. */
#include "joren-printer-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <unistd.h>

#include "joren-device-error.h"

#define WRITE_TIMEOUT_MS 10000

struct _JorenPrinterFile {
  JorenPrinter  parent_instance;
  char         *path;
  int           fd;
};

G_DEFINE_FINAL_TYPE (JorenPrinterFile, joren_printer_file, JOREN_TYPE_PRINTER)

static void
set_errno_error (GError **error, int err, const char *path)
{
  switch (err)
    {
    case ENOENT: case ENODEV: case ENXIO:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND,
                   _("The printer at %s is not connected or switched off."), path);
      break;
    case EACCES: case EPERM:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_PERMISSION,
                   _("No permission to use the printer at %s (add the user to the “lp” group)."), path);
      break;
    case EBUSY:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_BUSY,
                   _("The printer at %s is in use by another program."), path);
      break;
    case EIO: case EPIPE:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_UNPLUGGED,
                   _("The printer at %s was disconnected while printing."), path);
      break;
    default:
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
                   _("Printing to %s failed: %s"), path, g_strerror (err));
    }
}

static gboolean
joren_printer_file_open (JorenPrinter *printer, GCancellable *cancellable, GError **error)
{
  JorenPrinterFile *self = JOREN_PRINTER_FILE (printer);

  self->fd = g_open (self->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_APPEND, 0);
  if (self->fd < 0)
    {
      set_errno_error (error, errno, self->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
wait_writable (JorenPrinterFile *self, GError **error)
{
  struct pollfd pfd = { self->fd, POLLOUT, 0 };
  int n;

  do
    n = poll (&pfd, 1, WRITE_TIMEOUT_MS);
  while (n < 0 && errno == EINTR);
  if (n == 0)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_TIMEOUT,
                   _("The printer stopped accepting data. Check paper and cover, then press Retry."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
joren_printer_file_write (JorenPrinter *printer, const guint8 *data, gsize len,
                          GCancellable *cancellable, GError **error)
{
  JorenPrinterFile *self = JOREN_PRINTER_FILE (printer);

  while (len > 0)
    {
      ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !wait_writable (self, error))
        return FALSE;
      n = write (self->fd, data, len);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, self->path);
          return FALSE;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

static void
joren_printer_file_close (JorenPrinter *printer)
{
  JorenPrinterFile *self = JOREN_PRINTER_FILE (printer);

  if (self->fd >= 0)
    g_close (self->fd, NULL);
  self->fd = -1;
}

static void
joren_printer_file_finalize (GObject *object)
{
  JorenPrinterFile *self = JOREN_PRINTER_FILE (object);

  joren_printer_file_close (JOREN_PRINTER (self));
  g_free (self->path);
  G_OBJECT_CLASS (joren_printer_file_parent_class)->finalize (object);
}

static void
joren_printer_file_class_init (JorenPrinterFileClass *klass)
{
  JorenPrinterClass *printer_class = JOREN_PRINTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = joren_printer_file_finalize;
  printer_class->open = joren_printer_file_open;
  printer_class->write = joren_printer_file_write;
  printer_class->close = joren_printer_file_close;
}

static void
joren_printer_file_init (JorenPrinterFile *self)
{
  self->fd = -1;
}

JorenPrinter *
joren_printer_file_new (const JorenPrinterProfile *profile,
                        const char                *path)
{
  JorenPrinterFile *self;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (JOREN_TYPE_PRINTER_FILE, "profile", profile, "name", path, NULL);
  self->path = g_strdup (path);
  return JOREN_PRINTER (self);
}
