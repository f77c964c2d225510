/* joren-printer-settings.c: the printer form. The form only lists the
 * transport ids and the profiles; devices/joren-printer-config.c parses
 * the address, so Save validates by building the printer it describes
 * (nothing is opened: a printer switched off still saves). Test print
 * uses the form as typed, before saving, through a queue of its own, so
 * the owner can try addresses without touching the register's printer. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-device-error.h"
#include "joren-print-queue.h"
#include "joren-printer-config.h"
#include "joren-printer-settings.h"

struct _JorenPrinterSettings
{
  GtkWidget    parent_instance;

  GtkWidget   *scroller;
  GtkDropDown *transport_dropdown;
  GtkEntry    *address_entry;
  GtkLabel    *address_hint;
  GtkDropDown *profile_dropdown;
  GtkWidget   *test_button;
  GtkLabel    *status_label;

  JorenDb     *db;
  char        *shop_name;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenPrinterSettings, joren_printer_settings, GTK_TYPE_WIDGET)

/* In the order of the dropdown's items. */
static const char *const transports[] = {
  JOREN_PRINTER_TRANSPORT_NONE,
  JOREN_PRINTER_TRANSPORT_NETWORK,
  JOREN_PRINTER_TRANSPORT_USB,
  JOREN_PRINTER_TRANSPORT_FILE,
  JOREN_PRINTER_TRANSPORT_PNG,
};

static const char *
describe_address (guint transport)
{
  switch (transport)
    {
    case 1:
      return _("Host or host:port, e.g. 192.168.1.50 (port 9100 when not given).");
    case 2:
      return _("VID:PID in hex, e.g. 04b8:0202, or “auto” for the first USB printer.");
    case 3:
      return _("A device such as /dev/usb/lp0 (needs the lp group).");
    case 4:
      return _("A folder: each receipt is saved there as receipt.png.");
    default:
      return _("Receipts are shown on screen only.");
    }
}

static const char *
get_transport (JorenPrinterSettings *self)
{
  guint i = gtk_drop_down_get_selected (self->transport_dropdown);

  return i < G_N_ELEMENTS (transports) ? transports[i] : JOREN_PRINTER_TRANSPORT_NONE;
}

static const char *
get_profile (JorenPrinterSettings *self)
{
  const JorenPrinterProfile *const *list = joren_printer_profile_list ();
  guint i = gtk_drop_down_get_selected (self->profile_dropdown);

  return i != GTK_INVALID_LIST_POSITION ? list[i]->id : JOREN_PRINTER_DEFAULT_PROFILE;
}

static void
set_status (JorenPrinterSettings *self,
            const char           *text,
            gboolean              failed)
{
  gtk_label_set_text (self->status_label, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
transport_changed_cb (JorenPrinterSettings *self)
{
  guint i = gtk_drop_down_get_selected (self->transport_dropdown);

  gtk_label_set_text (self->address_hint, describe_address (i));
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_entry), i != 0);
  gtk_widget_set_sensitive (self->test_button, i != 0);
}

static void
fill_profiles (JorenPrinterSettings *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (const JorenPrinterProfile *const *p = joren_printer_profile_list (); *p; p++)
    gtk_string_list_append (names, (*p)->name);
  gtk_drop_down_set_model (self->profile_dropdown, G_LIST_MODEL (names));
}

static JorenPrinter *
build_printer (JorenPrinterSettings  *self,
               GError               **error)
{
  return joren_printer_new_from_settings (get_transport (self),
                                          gtk_editable_get_text (GTK_EDITABLE (self->address_entry)),
                                          get_profile (self), error);
}

/* --- test print --- */

static void
test_printed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JorenPrinterSettings) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = joren_print_queue_print_receipt_finish (JOREN_PRINT_QUEUE (source), result, &error);

  if (self->test_button == NULL)
    return;   /* the back office went away while printing */
  if (ok)
    set_status (self, _("The test page was printed."), FALSE);
  else
    set_status (self, error->message, TRUE);
  gtk_widget_set_sensitive (self->test_button, TRUE);
}

static void
test_clicked_cb (JorenPrinterSettings *self)
{
  g_autoptr(JorenPrinter) printer = NULL;
  g_autoptr(JorenPrintQueue) queue = NULL;
  g_autoptr(JorenReceipt) page = NULL;
  g_autoptr(GError) error = NULL;

  printer = build_printer (self, &error);
  if (printer == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  /* The task keeps the queue alive until the page is out. */
  queue = joren_print_queue_new (printer);
  page = joren_printer_config_test_receipt (self->shop_name, joren_printer_get_profile (printer));
  set_status (self, _("Printing a test page…"), FALSE);
  gtk_widget_set_sensitive (self->test_button, FALSE);
  joren_print_queue_print_receipt_async (queue, page, NULL, test_printed_cb, g_object_ref (self));
}

/* --- saving --- */

static void
save_clicked_cb (JorenPrinterSettings *self)
{
  g_autoptr(GError) error = NULL;

  if (joren_printer_settings_save (self, &error))
    set_status (self, _("Saved. The register prints with this printer from now on."), FALSE);
  else
    set_status (self, error->message, TRUE);
}

gboolean
joren_printer_settings_save (JorenPrinterSettings  *self,
                             GError               **error)
{
  const char *transport, *address, *profile;
  g_autoptr(JorenPrinter) printer = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (JOREN_IS_PRINTER_SETTINGS (self), FALSE);
  g_return_val_if_fail (JOREN_IS_DB (self->db), FALSE);

  transport = get_transport (self);
  address = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
  profile = get_profile (self);
  printer = build_printer (self, &local);
  if (printer == NULL && !g_error_matches (local, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!joren_db_set_setting (self->db, JOREN_SETTING_PRINTER_TRANSPORT, transport, error) ||
      !joren_db_set_setting (self->db, JOREN_SETTING_PRINTER_ADDRESS, address, error) ||
      !joren_db_set_setting (self->db, JOREN_SETTING_PRINTER_PROFILE, profile, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* --- loading --- */

static guint
find_transport (const char *transport)
{
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    if (g_strcmp0 (transports[i], transport) == 0)
      return i;
  return 0;
}

static guint
find_profile (const char *profile)
{
  const JorenPrinterProfile *wanted = joren_printer_config_get_profile (profile);
  const JorenPrinterProfile *const *list = joren_printer_profile_list ();

  for (guint i = 0; list[i] != NULL; i++)
    if (list[i] == wanted)
      return i;
  return 0;
}

void
joren_printer_settings_set_values (JorenPrinterSettings *self,
                                   const char           *transport,
                                   const char           *address,
                                   const char           *profile)
{
  g_return_if_fail (JOREN_IS_PRINTER_SETTINGS (self));

  if (transport != NULL)
    gtk_drop_down_set_selected (self->transport_dropdown, find_transport (transport));
  if (address != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->address_entry), address);
  if (profile != NULL)
    gtk_drop_down_set_selected (self->profile_dropdown, find_profile (profile));
}

void
joren_printer_settings_set_db (JorenPrinterSettings *self,
                               JorenDb              *db,
                               const char           *shop_name)
{
  g_autofree char *transport = NULL;
  g_autofree char *address = NULL;
  g_autofree char *profile = NULL;

  g_return_if_fail (JOREN_IS_PRINTER_SETTINGS (self));
  g_return_if_fail (JOREN_IS_DB (db));

  g_set_object (&self->db, db);
  g_free (self->shop_name);
  self->shop_name = g_strdup (shop_name);
  transport = joren_db_get_setting (db, JOREN_SETTING_PRINTER_TRANSPORT);
  address = joren_db_get_setting (db, JOREN_SETTING_PRINTER_ADDRESS);
  profile = joren_db_get_setting (db, JOREN_SETTING_PRINTER_PROFILE);
  joren_printer_settings_set_values (self, transport ? transport : JOREN_PRINTER_TRANSPORT_NONE,
                                     address ? address : "", profile ? profile : "");
  set_status (self, "", FALSE);
}

JorenPrinter *
joren_printer_settings_load_printer (JorenDb  *db,
                                     GError  **error)
{
  g_autofree char *transport = NULL;
  g_autofree char *address = NULL;
  g_autofree char *profile = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  transport = joren_db_get_setting (db, JOREN_SETTING_PRINTER_TRANSPORT);
  address = joren_db_get_setting (db, JOREN_SETTING_PRINTER_ADDRESS);
  profile = joren_db_get_setting (db, JOREN_SETTING_PRINTER_PROFILE);
  return joren_printer_new_from_settings (transport, address, profile, error);
}

const char *
joren_printer_settings_load_profile (JorenDb *db)
{
  g_autofree char *profile = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  profile = joren_db_get_setting (db, JOREN_SETTING_PRINTER_PROFILE);
  return joren_printer_config_get_profile (profile)->id;
}

/* --- GObject --- */

static void
joren_printer_settings_dispose (GObject *object)
{
  JorenPrinterSettings *self = JOREN_PRINTER_SETTINGS (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->shop_name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_PRINTER_SETTINGS);
  G_OBJECT_CLASS (joren_printer_settings_parent_class)->dispose (object);
}

static void
joren_printer_settings_class_init (JorenPrinterSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_printer_settings_dispose;

  /* Saved: whoever prints should build its printer again. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-printer-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, scroller);
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, transport_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, address_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, address_hint);
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, test_button);
  gtk_widget_class_bind_template_child (widget_class, JorenPrinterSettings, status_label);
  gtk_widget_class_bind_template_callback (widget_class, transport_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_printer_settings_init (JorenPrinterSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_profiles (self);
  transport_changed_cb (self);
}

GtkWidget *
joren_printer_settings_new (void)
{
  return g_object_new (JOREN_TYPE_PRINTER_SETTINGS, NULL);
}
