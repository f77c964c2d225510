/* joren-printer-png.c: collects a job's bytes and renders them to a PNG
 * when the job ends; the file is replaced atomically so a viewer never
 * sees half a receipt. */
#include "joren-printer-png.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "joren-device-error.h"
#include "joren-escpos-render.h"

struct _JorenPrinterPng {
  JorenPrinter  parent_instance;
  char         *path;
  GByteArray   *job;
};

G_DEFINE_FINAL_TYPE (JorenPrinterPng, joren_printer_png, JOREN_TYPE_PRINTER)

static gboolean
joren_printer_png_open (JorenPrinter *printer, GCancellable *cancellable, GError **error)
{
  JorenPrinterPng *self = JOREN_PRINTER_PNG (printer);

  g_clear_pointer (&self->job, g_byte_array_unref);
  self->job = g_byte_array_new ();
  return TRUE;
}

static gboolean
joren_printer_png_write (JorenPrinter *printer, const guint8 *data, gsize len,
                         GCancellable *cancellable, GError **error)
{
  JorenPrinterPng *self = JOREN_PRINTER_PNG (printer);

  g_byte_array_append (self->job, data, (guint) len);
  return TRUE;
}

static gboolean
joren_printer_png_flush (JorenPrinter *printer, GCancellable *cancellable, GError **error)
{
  JorenPrinterPng *self = JOREN_PRINTER_PNG (printer);
  g_autoptr(GBytes) bytes = g_bytes_new (self->job->data, self->job->len);
  g_autofree char *tmp = g_strconcat (self->path, ".tmp", NULL);

  if (!joren_escpos_render_to_png (joren_printer_get_profile (printer), bytes, tmp, error))
    return FALSE;
  if (g_rename (tmp, self->path) != 0)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_FAILED,
                   _("Could not save the receipt image to %s: %s"), self->path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
joren_printer_png_close (JorenPrinter *printer)
{
  g_clear_pointer (&JOREN_PRINTER_PNG (printer)->job, g_byte_array_unref);
}

static void
joren_printer_png_finalize (GObject *object)
{
  JorenPrinterPng *self = JOREN_PRINTER_PNG (object);

  g_clear_pointer (&self->job, g_byte_array_unref);
  g_free (self->path);
  G_OBJECT_CLASS (joren_printer_png_parent_class)->finalize (object);
}

static void
joren_printer_png_class_init (JorenPrinterPngClass *klass)
{
  JorenPrinterClass *printer_class = JOREN_PRINTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = joren_printer_png_finalize;
  printer_class->open = joren_printer_png_open;
  printer_class->write = joren_printer_png_write;
  printer_class->flush = joren_printer_png_flush;
  printer_class->close = joren_printer_png_close;
}

static void
joren_printer_png_init (JorenPrinterPng *self)
{
}

JorenPrinter *
joren_printer_png_new (const JorenPrinterProfile *profile,
                       const char                *path)
{
  JorenPrinterPng *self;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (JOREN_TYPE_PRINTER_PNG, "profile", profile, "name", path, NULL);
  self->path = g_strdup (path);
  return JOREN_PRINTER (self);
}
