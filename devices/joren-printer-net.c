/* joren-printer-net.c: raw TCP printing with GIO. One connection per job:
 * most network receipt printers serve a single client at a time, so
 * holding the socket open would lock out a second till. */
#include "joren-printer-net.h"

#include <glib/gi18n.h>

#include "joren-device-error.h"

struct _JorenPrinterNet {
  JorenPrinter       parent_instance;
  char              *host;
  guint16            port;
  guint              timeout;
  GSocketConnection *connection;
};

G_DEFINE_FINAL_TYPE (JorenPrinterNet, joren_printer_net, JOREN_TYPE_PRINTER)

/* GIO errors become messages about the printer, keeping GIO's text. */
static void
set_net_error (JorenPrinterNet *self, GError **error, GError *cause)
{
  JorenDeviceError code = JOREN_DEVICE_ERROR_FAILED;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = JOREN_DEVICE_ERROR_TIMEOUT;
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
           || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
           || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    code = JOREN_DEVICE_ERROR_NOT_FOUND;
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
           || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    code = JOREN_DEVICE_ERROR_UNPLUGGED;
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (cause));
      return;
    }
  g_set_error (error, JOREN_DEVICE_ERROR, code,
               _("The network printer %s:%u does not answer (%s). Check that it is on and connected."),
               self->host, self->port, cause->message);
}

static gboolean
joren_printer_net_open (JorenPrinter *printer, GCancellable *cancellable, GError **error)
{
  JorenPrinterNet *self = JOREN_PRINTER_NET (printer);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local = NULL;

  g_socket_client_set_timeout (client, self->timeout);
  self->connection = g_socket_client_connect_to_host (client, self->host, self->port,
                                                      cancellable, &local);
  if (self->connection == NULL)
    {
      set_net_error (self, error, local);
      return FALSE;
    }
  return TRUE;
}

static gboolean
joren_printer_net_write (JorenPrinter *printer, const guint8 *data, gsize len,
                         GCancellable *cancellable, GError **error)
{
  JorenPrinterNet *self = JOREN_PRINTER_NET (printer);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  g_autoptr(GError) local = NULL;

  if (!g_output_stream_write_all (out, data, len, NULL, cancellable, &local))
    {
      set_net_error (self, error, local);
      return FALSE;
    }
  return TRUE;
}

static gboolean
joren_printer_net_read_status (JorenPrinter *printer, guint8 request, guint8 *status,
                               GCancellable *cancellable, GError **error)
{
  JorenPrinterNet *self = JOREN_PRINTER_NET (printer);
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));
  const guint8 ask[] = { 0x10, 0x04, request };
  g_autoptr(GError) local = NULL;
  gsize got = 0;

  if (!joren_printer_net_write (printer, ask, sizeof ask, cancellable, error))
    return FALSE;
  if (!g_input_stream_read_all (in, status, 1, &got, cancellable, &local) || got != 1)
    {
      if (local == NULL)
        local = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "EOF");
      set_net_error (self, error, local);
      return FALSE;
    }
  return TRUE;
}

static void
joren_printer_net_close (JorenPrinter *printer)
{
  JorenPrinterNet *self = JOREN_PRINTER_NET (printer);

  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
}

static void
joren_printer_net_finalize (GObject *object)
{
  JorenPrinterNet *self = JOREN_PRINTER_NET (object);

  joren_printer_net_close (JOREN_PRINTER (self));
  g_free (self->host);
  G_OBJECT_CLASS (joren_printer_net_parent_class)->finalize (object);
}

static void
joren_printer_net_class_init (JorenPrinterNetClass *klass)
{
  JorenPrinterClass *printer_class = JOREN_PRINTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = joren_printer_net_finalize;
  printer_class->open = joren_printer_net_open;
  printer_class->write = joren_printer_net_write;
  printer_class->read_status = joren_printer_net_read_status;
  printer_class->close = joren_printer_net_close;
}

static void
joren_printer_net_init (JorenPrinterNet *self)
{
  self->timeout = 5;
}

JorenPrinter *
joren_printer_net_new (const JorenPrinterProfile *profile,
                       const char                *host,
                       guint16                    port)
{
  JorenPrinterNet *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  port = port != 0 ? port : 9100;
  name = g_strdup_printf ("%s:%u", host, port);
  self = g_object_new (JOREN_TYPE_PRINTER_NET, "profile", profile, "name", name, NULL);
  self->host = g_strdup (host);
  self->port = port;
  return JOREN_PRINTER (self);
}

void
joren_printer_net_set_timeout (JorenPrinterNet *self,
                               guint            seconds)
{
  g_return_if_fail (JOREN_IS_PRINTER_NET (self));
  g_return_if_fail (seconds > 0);
  self->timeout = seconds;
}
