/* joren-printer.c: the printer base class: properties (profile, name)
 * and the job sequence shared by every transport. Status replies follow
 * the ESC/POS pattern 0xx1xx10; a byte that does not match is not a
 * status reply and is ignored rather than trusted. */
#include "joren-printer.h"

#include <glib/gi18n.h>

#include "joren-device-error.h"

typedef struct {
  const JorenPrinterProfile *profile;
  char                      *name;
} JorenPrinterPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (JorenPrinter, joren_printer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
joren_printer_finalize (GObject *object)
{
  JorenPrinterPrivate *priv = joren_printer_get_instance_private (JOREN_PRINTER (object));

  g_free (priv->name);
  G_OBJECT_CLASS (joren_printer_parent_class)->finalize (object);
}

static void
joren_printer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JorenPrinterPrivate *priv = joren_printer_get_instance_private (JOREN_PRINTER (object));

  switch (prop_id)
    {
    case PROP_PROFILE: g_value_set_pointer (value, (gpointer) priv->profile); break;
    case PROP_NAME: g_value_set_string (value, priv->name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
joren_printer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JorenPrinterPrivate *priv = joren_printer_get_instance_private (JOREN_PRINTER (object));

  switch (prop_id)
    {
    case PROP_PROFILE: priv->profile = g_value_get_pointer (value); break;
    case PROP_NAME: g_free (priv->name); priv->name = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
joren_printer_constructed (GObject *object)
{
  JorenPrinterPrivate *priv = joren_printer_get_instance_private (JOREN_PRINTER (object));

  G_OBJECT_CLASS (joren_printer_parent_class)->constructed (object);
  if (priv->profile == NULL)
    priv->profile = joren_printer_profile_lookup ("epson-tm-t88");
}

static void
joren_printer_class_init (JorenPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = joren_printer_finalize;
  object_class->get_property = joren_printer_get_property;
  object_class->set_property = joren_printer_set_property;
  object_class->constructed = joren_printer_constructed;

  properties[PROP_PROFILE] =
    g_param_spec_pointer ("profile", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
joren_printer_init (JorenPrinter *self)
{
}

const JorenPrinterProfile *
joren_printer_get_profile (JorenPrinter *self)
{
  JorenPrinterPrivate *priv;

  g_return_val_if_fail (JOREN_IS_PRINTER (self), NULL);
  priv = joren_printer_get_instance_private (self);
  return priv->profile;
}

const char *
joren_printer_get_name (JorenPrinter *self)
{
  JorenPrinterPrivate *priv;

  g_return_val_if_fail (JOREN_IS_PRINTER (self), NULL);
  priv = joren_printer_get_instance_private (self);
  return priv->name;
}

/* One DLE EOT request; FALSE with *ok = TRUE means "cannot tell". */
static gboolean
ask_status (JorenPrinter *self, guint8 request, guint8 *status,
            GCancellable *cancellable, GError **error)
{
  JorenPrinterClass *klass = JOREN_PRINTER_GET_CLASS (self);
  g_autoptr(GError) local = NULL;

  *status = 0x12;
  if (klass->read_status == NULL)
    return TRUE;
  if (klass->read_status (self, request, status, cancellable, &local))
    {
      if ((*status & 0x93) != 0x12)
        *status = 0x12;   /* not a status reply */
      return TRUE;
    }
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
joren_printer_check_status (JorenPrinter  *self,
                            GCancellable  *cancellable,
                            GError       **error)
{
  guint8 cause = 0x12, paper = 0x12;

  g_return_val_if_fail (JOREN_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!joren_printer_get_profile (self)->has_status)
    return TRUE;
  if (!ask_status (self, 2, &cause, cancellable, error)
      || !ask_status (self, 4, &paper, cancellable, error))
    return FALSE;
  if (cause & 0x04)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_COVER_OPEN,
                   _("The printer cover is open. Close it and press Retry."));
      return FALSE;
    }
  if ((cause & 0x20) || (paper & 0x60) == 0x60)
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NO_PAPER,
                   _("The printer is out of paper. Load a new roll and press Retry."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_job (JorenPrinter *self, GBytes *bytes, GCancellable *cancellable, GError **error)
{
  JorenPrinterClass *klass = JOREN_PRINTER_GET_CLASS (self);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (!klass->open (self, cancellable, error))
    return FALSE;
  if (!joren_printer_check_status (self, cancellable, error))
    return FALSE;
  if (!klass->write (self, data, len, cancellable, error))
    return FALSE;
  return klass->flush == NULL || klass->flush (self, cancellable, error);
}

gboolean
joren_printer_print (JorenPrinter  *self,
                     GBytes        *bytes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  JorenPrinterClass *klass;
  gboolean ok;

  g_return_val_if_fail (JOREN_IS_PRINTER (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = JOREN_PRINTER_GET_CLASS (self);
  g_return_val_if_fail (klass->open != NULL && klass->write != NULL, FALSE);

  ok = run_job (self, bytes, cancellable, error);
  if (klass->close != NULL)
    klass->close (self);
  return ok;
}
