/* joren-window.c: the register window. It holds who is signed in and the
 * open cash session, moves between pages, shows the banner, and turns the
 * scanner's keystrokes (a keyboard wedge) into codes: a capture-phase key
 * controller takes printable keys unless a text field has the focus. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-cash.h"
#include "joren-clock-dialog.h"
#include "joren-endofday-page.h"
#include "joren-error.h"
#include "joren-number-dialog.h"
#include "joren-ui.h"
#include "joren-window-private.h"

#define BANNER_SECONDS 4

G_DEFINE_FINAL_TYPE (JorenWindow, joren_window, GTK_TYPE_APPLICATION_WINDOW)

/* --- banner --- */

static gboolean
hide_banner_cb (gpointer user_data)
{
  JorenWindow *self = user_data;

  self->banner_timeout_id = 0;
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

void
joren_window_show_banner (JorenWindow *self,
                          const char  *message)
{
  g_return_if_fail (JOREN_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
  g_clear_handle_id (&self->banner_timeout_id, g_source_remove);
  self->banner_timeout_id = g_timeout_add_seconds (BANNER_SECONDS, hide_banner_cb, self);
}

static void
message_cb (JorenWindow *self,
            const char  *message)
{
  joren_window_show_banner (self, message);
}

/* --- pages --- */

static void
show_register_cb (JorenWindow *self)
{
  joren_window_show_page (self, "register");
}

static void
pay_cb (JorenWindow *self)
{
  joren_tender_view_begin (self->tender_view, self->db,
                           joren_sale_view_get_sale (self->sale_view),
                           self->cash_session_id);
  joren_window_show_page (self, "tender");
}

static void
committed_cb (JorenWindow *self)
{
  /* The tender view keeps the committed sale for its change screen. */
  joren_window_print_committed (self);
  joren_sale_view_new_sale (self->sale_view);
}

static void
catalog_changed_cb (JorenWindow *self)
{
  joren_sale_view_reload_catalog (self->sale_view);
}

static void
mode_toggled_cb (GtkToggleButton *toggle,
                 JorenWindow     *self)
{
  if (!gtk_toggle_button_get_active (toggle) || self->staff == NULL)
    return;
  joren_window_show_page (self, toggle == self->backoffice_toggle ? "backoffice" : "register");
}

static void
show_notice (JorenWindow *self,
             const char  *text)
{
  gtk_label_set_text (self->notice_label, text);
  gtk_stack_set_visible_child_name (self->pages, "notice");
}

/* --- scanner --- */

static void
scanned_cb (JorenScanBuffer *buffer,
            const char      *code,
            JorenWindow     *self)
{
  const char *page = joren_window_get_page (self);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (page, "tender"))
    {
      if (!joren_tender_view_is_done (self->tender_view))
        {
          joren_window_show_banner (self, _("Finish or cancel the payment first"));
          return;
        }
      /* A scan after a finished sale starts the next customer's. */
      joren_window_show_page (self, "register");
    }
  else if (!g_str_equal (page, "register"))
    return;
  if (!joren_sale_view_scan (self->sale_view, code, &error))
    joren_window_show_banner (self, error->message);
}


/* --- sign-in and the cash drawer --- */

static gboolean
float_entered_cb (JorenNumberDialog *dialog,
                  const char        *text,
                  guint              mode,
                  gpointer           user_data)
{
  JorenWindow *self = user_data;
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;

  if (*text != '\0' && !joren_money_parse (text, self->shop->currency, &amount, &error))
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  session = joren_cash_session_open (self->db, self->staff->id, amount, &error);
  if (session == NULL)
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  self->cash_session_id = session->id;
  return TRUE;
}

static void
ask_opening_float (JorenWindow *self)
{
  JorenNumberDialog *dialog;

  dialog = joren_number_dialog_new (GTK_WIDGET (self),
                                    _("Open the drawer: count the change float"));
  if (self->shop->currency->decimals > 0)
    joren_keypad_set_decimal_separator (joren_number_dialog_get_keypad (dialog),
                                        self->shop->currency->decimal_sep);
  joren_keypad_set_placeholder (joren_number_dialog_get_keypad (dialog), "0");
  joren_number_dialog_set_handler (dialog, float_entered_cb, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Sales belong to the open drawer session; the first one to sign in
 * with the right opens it. */
static void
ensure_cash_session (JorenWindow *self)
{
  g_autoptr(JorenCashSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = joren_cash_session_current (self->db, &error);
  if (session != NULL)
    self->cash_session_id = session->id;
  else if (!g_error_matches (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NO_SESSION))
    joren_window_show_banner (self, error->message);
  else if (joren_role_can (self->staff->role, JOREN_PERMISSION_CASH_SESSION))
    ask_opening_float (self);
  else
    joren_window_show_banner (self, _("The drawer is not open yet: ask a manager to open it"));
}

static void
update_header (JorenWindow *self)
{
  gboolean owner = self->staff && joren_role_can (self->staff->role, JOREN_PERMISSION_BACK_OFFICE);
  g_autofree char *who = NULL;

  if (self->staff != NULL)
    who = g_strdup_printf ("%s · %s", self->staff->name, joren_ui_role_name (self->staff->role));
  gtk_label_set_text (self->staff_label, who ? who : "");
  gtk_widget_set_visible (self->mode_box, owner);
  gtk_widget_set_visible (self->signout_button, self->staff != NULL);
  gtk_widget_set_visible (self->reprint_button, self->staff != NULL);
}

static void
pin_entered_cb (JorenSignin *signin,
                gint64       staff_id,
                const char  *pin,
                JorenWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!joren_window_sign_in (self, staff_id, pin, &error))
    joren_signin_show_error (signin, error->message);
}

static void
clock_requested_cb (JorenWindow *self)
{
  joren_clock_dialog_run (GTK_WIDGET (self), self->db);
}

static void
x_report_clicked_cb (JorenWindow *self)
{
  joren_endofday_dialog_run (GTK_WIDGET (self), self->db, self->shop);
}

/* Every signed-in role reads the X report from the header, beside
 * Reprint (shown when it is). */
static void
add_x_report_button (JorenWindow *self)
{
  GtkWidget *button = gtk_button_new_with_label (_("X report"));

  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->reprint_button)), button,
                              self->reprint_button);
  g_object_bind_property (self->reprint_button, "visible", button, "visible",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (x_report_clicked_cb), self);
}

gboolean
joren_window_sign_in (JorenWindow *self,
                      gint64       staff_id,
                      const char  *pin,
                      GError     **error)
{
  JorenStaff *staff;

  g_return_val_if_fail (JOREN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);
  g_return_val_if_fail (self->shop != NULL, FALSE);

  staff = joren_staff_sign_in (self->db, staff_id, pin, error);
  if (staff == NULL)
    return FALSE;
  g_clear_pointer (&self->staff, joren_staff_free);
  self->staff = staff;
  joren_sale_view_set_staff (self->sale_view, staff);
  joren_backoffice_set_staff (self->backoffice, staff);
  update_header (self);
  joren_window_show_page (self, "register");
  ensure_cash_session (self);
  return TRUE;
}

void
joren_window_sign_out (JorenWindow *self)
{
  g_return_if_fail (JOREN_IS_WINDOW (self));

  g_clear_pointer (&self->staff, joren_staff_free);
  joren_backoffice_set_staff (self->backoffice, NULL);
  update_header (self);
  joren_signin_reset (self->signin);
  gtk_stack_set_visible_child_name (self->pages, "signin");
}

const char *
joren_window_get_page (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->pages);
}

static gboolean
may_see (JorenWindow *self,
         const char  *page)
{
  if (g_str_equal (page, "signin") || g_str_equal (page, "notice"))
    return TRUE;
  if (self->staff == NULL)
    return FALSE;
  if (g_str_equal (page, "backoffice"))
    return joren_role_can (self->staff->role, JOREN_PERMISSION_BACK_OFFICE);
  return g_str_equal (page, "register") || g_str_equal (page, "tender");
}

gboolean
joren_window_show_page (JorenWindow *self,
                        const char  *page)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (!may_see (self, page))
    return FALSE;
  if (g_str_equal (page, "backoffice"))
    joren_backoffice_set_db (self->backoffice, self->db, self->shop);
  /* Keep the header switch in step without re-entering via "toggled". */
  if (g_str_equal (page, "backoffice") || g_str_equal (page, "register"))
    gtk_toggle_button_set_active (g_str_equal (page, "backoffice") ? self->backoffice_toggle
                                                                   : self->register_toggle, TRUE);
  gtk_stack_set_visible_child_name (self->pages, page);
  return TRUE;
}

/* --- set-up --- */

static void
load_shop (JorenWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autofree char *text = NULL;

  self->shop = joren_db_load_shop (self->db, &error);
  if (self->shop == NULL)
    {
      if (g_error_matches (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND))
        text = g_strdup_printf (_("No shop is set up in %s yet.\nStart Joren with --demo to try it with the demo café."),
                                joren_db_get_path (self->db));
      show_notice (self, text ? text : error->message);
      return;
    }
  gtk_label_set_text (self->shop_label, self->shop->name);
  joren_sale_view_set_context (self->sale_view, self->db, self->shop);
  staff = joren_staff_list (self->db, FALSE, &error);
  if (staff == NULL)
    {
      show_notice (self, error->message);
      return;
    }
  joren_signin_set_staff (self->signin, staff);
  joren_window_reload_printer (self);
  gtk_stack_set_visible_child_name (self->pages, "signin");
}

static void
joren_window_dispose (GObject *object)
{
  JorenWindow *self = JOREN_WINDOW (object);

  g_clear_handle_id (&self->banner_timeout_id, g_source_remove);
  joren_window_print_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_WINDOW);
  joren_window_scan_dispose (self);
  G_OBJECT_CLASS (joren_window_parent_class)->dispose (object);
}

static void
joren_window_finalize (GObject *object)
{
  JorenWindow *self = JOREN_WINDOW (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->staff, joren_staff_free);
  G_OBJECT_CLASS (joren_window_parent_class)->finalize (object);
}

static void
joren_window_class_init (JorenWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_window_dispose;
  object_class->finalize = joren_window_finalize;

  g_type_ensure (JOREN_TYPE_SIGNIN);
  g_type_ensure (JOREN_TYPE_SALE_VIEW);
  g_type_ensure (JOREN_TYPE_TENDER_VIEW);
  g_type_ensure (JOREN_TYPE_BACKOFFICE);
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/joren/Register/joren-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, shop_label);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, staff_label);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, mode_box);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, register_toggle);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, backoffice_toggle);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, signout_button);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, signin);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, sale_view);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, tender_view);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, backoffice);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, JorenWindow, banner_label);
  gtk_widget_class_bind_template_callback (widget_class, message_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_register_cb);
  gtk_widget_class_bind_template_callback (widget_class, pay_cb);
  gtk_widget_class_bind_template_callback (widget_class, committed_cb);
  gtk_widget_class_bind_template_callback (widget_class, catalog_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_window_reload_printer);
  joren_window_print_bind_template (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_entered_cb);
  gtk_widget_class_bind_template_callback (widget_class, joren_window_sign_out);
}

static void
joren_window_init (JorenWindow *self)
{
  joren_ui_init_style (gtk_widget_get_display (GTK_WIDGET (self)));
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_window_scan_init (self, G_CALLBACK (scanned_cb));
  joren_signin_set_show_clock (self->signin, TRUE);
  g_signal_connect_swapped (self->signin, "clock-requested", G_CALLBACK (clock_requested_cb), self);
  add_x_report_button (self);
}

JorenWindow *
joren_window_new (GtkApplication *app,
                  JorenDb        *db)
{
  JorenWindow *self;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  self = g_object_new (JOREN_TYPE_WINDOW, "application", app, NULL);
  self->db = g_object_ref (db);
  load_shop (self);
  joren_window_scan_configure (self);
  return self;
}

GtkEventController *
joren_window_get_scan_controller (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return self->scan_controller;
}

GObject *
joren_window_get_scan_buffer (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return G_OBJECT (self->scan_buffer);
}

GtkWidget *
joren_window_get_sale_view (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->sale_view);
}

GtkWidget *
joren_window_get_tender_view (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->tender_view);
}

GtkWidget *
joren_window_get_backoffice (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->backoffice);
}

const char *
joren_window_get_banner_text (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->banner_label);
}

gboolean
joren_window_get_banner_visible (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

gint64
joren_window_get_cash_session_id (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), 0);

  return self->cash_session_id;
}

/* "Online", "Offline – 12 waiting" or "Not connected", from the sync
 * worker's status (the application sets it on the main thread). */
void
joren_window_set_sync_status (JorenWindow *self,
                              const char  *text)
{
  g_return_if_fail (JOREN_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  gtk_label_set_label (self->sync_label, text);
}

const char *
joren_window_get_sync_status (JorenWindow *self)
{
  g_return_val_if_fail (JOREN_IS_WINDOW (self), NULL);

  return gtk_label_get_label (self->sync_label);
}
