/* joren-mail-page.c: the Mail section. The form is built in code (one
 * labelled row per setting, the same helper for each) and read back into
 * a JorenMailSettings for both Save and the test mail, so the test tries
 * exactly what Save would keep, before it is kept. The password field
 * starts empty whatever is stored: a password once saved is never shown
 * again, and leaving the field empty keeps it. The test mail goes out on
 * a worker thread; the page never waits on the network. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "joren-device-error.h"
#include "joren-mail.h"
#include "joren-mail-page.h"
#include "joren-promotion.h"
#include "joren-ui.h"

struct _JorenMailPage
{
  GtkWidget      parent_instance;

  GtkGrid       *grid;
  GtkEditable   *test_entry;
  GtkWidget     *test_button;
  GtkLabel      *status_label;
  GtkEditable   *host_entry;
  GtkSpinButton *port_spin;
  GtkDropDown   *tls_dropdown;
  GtkEditable   *user_entry;
  GtkEditable   *password_entry;
  GtkEditable   *from_name_entry;
  GtkEditable   *from_entry;
  GtkEditable   *unsubscribe_entry;

  JorenDb       *db;
  GCancellable  *sending;
};

G_DEFINE_FINAL_TYPE (JorenMailPage, joren_mail_page, GTK_TYPE_WIDGET)

/* --- the form --- */

/* name: the widget's name, which the tests find it by. */
static void
add_row (JorenMailPage *self,
         const char    *name,
         const char    *label,
         GtkWidget     *field)
{
  int row = 0;

  while (gtk_grid_get_child_at (self->grid, 0, row) != NULL)
    row++;
  gtk_widget_set_name (field, name);
  gtk_widget_set_hexpand (field, TRUE);
  gtk_grid_attach (self->grid, joren_ui_wrap (joren_ui_label_new (label, NULL, 1)), 0, row, 1, 1);
  gtk_grid_attach (self->grid, field, 1, row, 1, 1);
}

static GtkEditable *
add_entry (JorenMailPage  *self,
           const char     *name,
           const char     *label,
           const char     *placeholder,
           GtkInputPurpose purpose)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), purpose);
  add_row (self, name, label, entry);
  return GTK_EDITABLE (entry);
}

static void
build_form (JorenMailPage *self)
{
  const char *modes[] = { _("None (local relay)"), _("STARTTLS (port 587)"), _("TLS (port 465)"), NULL };
  GtkWidget *password = gtk_password_entry_new ();
  GtkWidget *port = gtk_spin_button_new_with_range (0, 65535, 1);

  self->host_entry = add_entry (self, "host", _("Server"), "smtp.example.jp", GTK_INPUT_PURPOSE_URL);
  add_row (self, "port", _("Port (0: the usual one)"), port);
  self->port_spin = GTK_SPIN_BUTTON (port);
  self->tls_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (modes));
  add_row (self, "tls", _("Security"), GTK_WIDGET (self->tls_dropdown));
  self->user_entry = add_entry (self, "user", _("User name"), _("none: no login"), GTK_INPUT_PURPOSE_FREE_FORM);
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (password), TRUE);
  g_object_set (password, "placeholder-text", _("Leave empty to keep the saved one"), NULL);
  add_row (self, "password", _("Password"), password);
  self->password_entry = GTK_EDITABLE (password);
  self->from_name_entry = add_entry (self, "from_name", _("Sender name"), _("the shop's name"), GTK_INPUT_PURPOSE_NAME);
  self->from_entry = add_entry (self, "from", _("Sender address"), "shop@example.jp", GTK_INPUT_PURPOSE_EMAIL);
  self->unsubscribe_entry = add_entry (self, "unsubscribe", _("Unsubscribe page"), NULL, GTK_INPUT_PURPOSE_URL);
}

static void
set_text (GtkEditable *editable,
          const char  *text)
{
  gtk_editable_set_text (editable, text ? text : "");
}

/* The unsubscribe field shows only what the shop set; its placeholder
 * names the default (the paired server) or says replies are the way. */
static void
load_unsubscribe (JorenMailPage *self)
{
  g_autofree char *own = joren_db_get_setting (self->db, "mail.unsubscribe_url");
  g_autofree char *server = joren_db_get_setting (self->db, "sync.server_url");
  g_autofree char *hint = server && *server ? g_strdup_printf (_("default: %s"), server)
                                            : g_strdup (_("none: customers unsubscribe by reply"));

  set_text (self->unsubscribe_entry, own);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->unsubscribe_entry), hint);
}

static void
load_form (JorenMailPage *self)
{
  g_autoptr(JorenMailSettings) settings = joren_promotion_get_mail_settings (self->db);

  set_text (self->host_entry, settings ? settings->host : NULL);
  gtk_spin_button_set_value (self->port_spin, settings ? settings->port : 0);
  gtk_drop_down_set_selected (self->tls_dropdown, settings ? settings->tls : JOREN_MAIL_TLS_STARTTLS);
  set_text (self->user_entry, settings ? settings->user : NULL);
  set_text (self->password_entry, NULL);
  set_text (self->from_name_entry, settings ? settings->from_name : NULL);
  set_text (self->from_entry, settings ? settings->from : NULL);
  load_unsubscribe (self);
}

static char *
dup_field (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text ? g_steal_pointer (&text) : NULL;
}

/* The form as settings; NULL with the reason when it cannot work. */
static JorenMailSettings *
read_form (JorenMailPage  *self,
           GError        **error)
{
  g_autoptr(JorenMailSettings) stored = joren_promotion_get_mail_settings (self->db);
  g_autoptr(JorenMailSettings) settings = g_new0 (JorenMailSettings, 1);

  settings->host = dup_field (self->host_entry);
  settings->port = gtk_spin_button_get_value_as_int (self->port_spin);
  settings->tls = gtk_drop_down_get_selected (self->tls_dropdown);
  settings->user = dup_field (self->user_entry);
  settings->password = g_strdup (gtk_editable_get_text (self->password_entry));
  if (*settings->password == '\0' || settings->user == NULL)
    g_clear_pointer (&settings->password, g_free);
  if (settings->password == NULL && settings->user != NULL && stored != NULL)
    settings->password = g_strdup (stored->password);
  settings->from_name = dup_field (self->from_name_entry);
  settings->from = dup_field (self->from_entry);
  if (settings->host != NULL && (settings->from == NULL || strchr (settings->from, '@') == NULL))
    {
      g_set_error (error, JOREN_DEVICE_ERROR, JOREN_DEVICE_ERROR_INVALID,
                   _("Enter the sender address, such as shop@example.jp."));
      return NULL;
    }
  return g_steal_pointer (&settings);
}

static void
show_status (JorenMailPage *self,
             const char    *text)
{
  gtk_label_set_text (self->status_label, text);
}

gboolean
joren_mail_page_save (JorenMailPage *self)
{
  g_autoptr(JorenMailSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unsubscribe = NULL;

  g_return_val_if_fail (JOREN_IS_MAIL_PAGE (self), FALSE);

  settings = read_form (self, &error);
  unsubscribe = dup_field (self->unsubscribe_entry);
  if (settings == NULL
      || !joren_promotion_set_mail_settings (self->db, settings, &error)
      || !joren_db_set_setting (self->db, "mail.unsubscribe_url", unsubscribe, &error))
    {
      show_status (self, error->message);
      return FALSE;
    }
  load_form (self);
  show_status (self, settings->host ? _("Saved.") : _("Saved: no mail server, so no e-mails go out."));
  return TRUE;
}

static void
save_clicked_cb (JorenMailPage *self)
{
  joren_mail_page_save (self);
}

/* --- the test mail --- */

typedef struct {
  JorenMailSettings *settings;
  char              *to;
  char              *subject;
  char              *body;
} TestMail;

static void
test_mail_free (TestMail *mail)
{
  joren_mail_settings_free (mail->settings);
  g_free (mail->to);
  g_free (mail->subject);
  g_free (mail->body);
  g_free (mail);
}

static void
send_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TestMail *mail = task_data;
  g_autoptr(JorenMailSender) sender = joren_mail_sender_new (mail->settings);
  JorenMailMessage message = { mail->to, mail->subject, mail->body, NULL, NULL };
  GError *error = NULL;

  if (joren_mail_sender_send (sender, &message, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JorenMailPage *self;
  TestMail *mail = g_task_get_task_data (G_TASK (result));
  g_autofree char *done = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JOREN_MAIL_PAGE (user_data);
  gtk_widget_set_sensitive (self->test_button, TRUE);
  done = g_strdup_printf (_("Test mail sent to %s. Check that it arrived."), mail->to);
  show_status (self, error ? error->message : done);
}

static void
test_clicked_cb (JorenMailPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(JorenMailSettings) settings = read_form (self, &error);
  g_autofree char *to = dup_field (self->test_entry);
  TestMail *mail;

  if (settings == NULL || settings->host == NULL || to == NULL || strchr (to, '@') == NULL)
    {
      show_status (self, error ? error->message : _("Enter the server and the address to send the test to."));
      return;
    }
  mail = g_new0 (TestMail, 1);
  mail->settings = g_steal_pointer (&settings);
  mail->to = g_steal_pointer (&to);
  mail->subject = g_strdup (_("Test mail from your register"));
  mail->body = g_strdup (_("This is a test. Promotions and birthday greetings will be sent"
                           " through this mail server."));
  g_cancellable_cancel (self->sending);
  g_clear_object (&self->sending);
  self->sending = g_cancellable_new ();
  task = g_task_new (NULL, self->sending, sent_cb, self);
  g_task_set_task_data (task, mail, (GDestroyNotify) test_mail_free);
  gtk_widget_set_sensitive (self->test_button, FALSE);
  show_status (self, _("Sending…"));
  g_task_run_in_thread (task, send_in_thread);
}

/* --- GObject --- */

static void
joren_mail_page_dispose (GObject *object)
{
  JorenMailPage *self = JOREN_MAIL_PAGE (object);

  /* A test mail still in flight answers to nobody. */
  g_cancellable_cancel (self->sending);
  g_clear_object (&self->sending);
  g_clear_object (&self->db);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_MAIL_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (joren_mail_page_parent_class)->dispose (object);
}

static void
joren_mail_page_class_init (JorenMailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_mail_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/joren/Register/joren-mail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenMailPage, grid);
  gtk_widget_class_bind_template_child (widget_class, JorenMailPage, test_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenMailPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, JorenMailPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_mail_page_init (JorenMailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_form (self);
}

GtkWidget *
joren_mail_page_new (void)
{
  return g_object_new (JOREN_TYPE_MAIL_PAGE, NULL);
}

void
joren_mail_page_set_db (JorenMailPage *self,
                        JorenDb       *db)
{
  g_return_if_fail (JOREN_IS_MAIL_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));

  g_set_object (&self->db, db);
  load_form (self);
}
