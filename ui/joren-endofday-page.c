/* joren-endofday-page.c: X and Z reports. The screen shows the report
 * rendered from the same ESC/POS bytes the printer gets, so what the
 * owner checks is exactly what is printed and kept. Closing the day is
 * three steps on purpose (count, see the difference, PIN): a Z report
 * cannot be undone, its number is never reused. Printing goes through
 * the window's print queue, the same worker thread as receipts. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-authorize.h"
#include "joren-endofday-page.h"
#include "joren-error.h"
#include "joren-escpos-render.h"
#include "joren-number-dialog.h"
#include "joren-printer-settings.h"
#include "joren-receipt-zreport.h"
#include "joren-ui.h"
#include "joren-window.h"

#define HISTORY_LIMIT 100

struct _JorenEndofdayPage
{
  GtkWidget     parent_instance;

  GtkWidget    *print_button;
  GtkWidget    *close_button;
  GtkLabel     *status_label;
  GtkPicture   *preview;
  GtkListBox   *history_box;
  GtkWidget    *reprint_button;

  JorenDb      *db;
  JorenShop    *shop;
  JorenZReport *shown;
  gint64        counted;   /* between the count and the PIN */
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenEndofdayPage, joren_endofday_page, GTK_TYPE_WIDGET)

static void
emit_message (JorenEndofdayPage *self,
              const char        *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static char *
format_money (JorenEndofdayPage *self,
              gint64             minor)
{
  return joren_money_format (minor, self->shop->currency);
}

/* --- showing and printing --- */

static JorenReceipt *
build_document (JorenEndofdayPage  *self,
                const JorenZReport *report,
                gboolean            reprint)
{
  g_autoptr(JorenReceipt) receipt = joren_receipt_new_for_zreport (self->shop, report);

  return reprint ? joren_receipt_new_reprint (receipt) : g_steal_pointer (&receipt);
}

static void
show_preview (JorenEndofdayPage *self,
              JorenReceipt      *receipt)
{
  const JorenPrinterProfile *profile =
    joren_printer_profile_lookup (joren_printer_settings_load_profile (self->db));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  bytes = joren_receipt_encode (receipt, profile, &error);
  if (bytes == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  surface = joren_escpos_render (profile, bytes);
  texture = joren_ui_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
}

static void
set_status (JorenEndofdayPage  *self,
            const JorenZReport *report)
{
  g_autofree char *expected = format_money (self, report->cash_expected);
  g_autofree char *text = NULL;

  if (report->z_no == 0)
    text = g_strdup_printf (_("X report · expected in the drawer %s"), expected);
  else
    text = g_strdup_printf (_("Z report %s-%" PRId64), report->register_prefix,
                            report->z_no);
  gtk_label_set_text (self->status_label, text);
}

static void
show_report (JorenEndofdayPage *self,
             JorenZReport      *report,
             gboolean           reprint)
{
  g_autoptr(JorenReceipt) receipt = build_document (self, report, reprint);

  g_clear_pointer (&self->shown, joren_zreport_free);
  self->shown = report;
  set_status (self, report);
  show_preview (self, receipt);
  gtk_widget_set_sensitive (self->print_button, TRUE);
}

/* The till's printer, through the window's queue. */
static gboolean
print_shown (JorenEndofdayPage  *self,
             gboolean            reprint,
             GError            **error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(JorenReceipt) receipt = NULL;

  /* In the register's dialog: the window it stands over prints. */
  if (GTK_IS_WINDOW (root) && !JOREN_IS_WINDOW (root))
    root = GTK_ROOT (gtk_window_get_transient_for (GTK_WINDOW (root)));
  if (!JOREN_IS_WINDOW (root))
    {
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                           _("No receipt printer here"));
      return FALSE;
    }
  receipt = build_document (self, self->shown, reprint);
  return joren_window_print_document (JOREN_WINDOW (root), receipt, error);
}

static void
print_and_tell (JorenEndofdayPage *self,
                gboolean           reprint)
{
  g_autoptr(GError) error = NULL;

  if (!print_shown (self, reprint, &error))
    emit_message (self, error->message);
}

static void
print_clicked_cb (JorenEndofdayPage *self)
{
  if (self->shown != NULL)
    print_and_tell (self, self->shown->z_no != 0);
}

/* --- X report --- */

gboolean
joren_endofday_page_show_x (JorenEndofdayPage *self)
{
  g_autoptr(GError) error = NULL;
  JorenZReport *report;

  g_return_val_if_fail (JOREN_IS_ENDOFDAY_PAGE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  report = joren_zreport_x (self->db, &error);
  gtk_widget_set_sensitive (self->close_button, report != NULL);
  if (report == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return FALSE;
    }
  show_report (self, report, FALSE);
  return TRUE;
}

static void
x_clicked_cb (JorenEndofdayPage *self)
{
  if (!joren_endofday_page_show_x (self))
    emit_message (self, gtk_label_get_text (self->status_label));
}

/* --- past Z reports --- */

static GtkWidget *
create_history_row (JorenEndofdayPage  *self,
                    const JorenZReport *report)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (report->created_at);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *title = g_strdup_printf ("Z %s-%" G_GINT64_FORMAT "  %s",
                                            report->register_prefix, report->z_no, when);
  g_autofree char *gross = format_money (self, report->gross);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *name = joren_ui_label_new (title, "line-name", 0);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (gross, "line-amount", 1));
  gtk_widget_add_css_class (box, "history-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "joren-z-id64", g_memdup2 (&report->id, sizeof report->id),
                          g_free);
  return row;
}

static void
load_history (JorenEndofdayPage *self)
{
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->history_box));
  gtk_widget_set_sensitive (self->reprint_button, FALSE);
  reports = joren_zreport_list (self->db, HISTORY_LIMIT, &error);
  if (reports == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  for (guint i = 0; i < reports->len; i++)
    gtk_list_box_append (self->history_box,
                         create_history_row (self, g_ptr_array_index (reports, i)));
}

static gint64
get_row_id (GtkListBoxRow *row)
{
  return *(gint64 *) g_object_get_data (G_OBJECT (row), "joren-z-id64");
}

static gboolean
show_stored (JorenEndofdayPage  *self,
             gint64              id,
             GError            **error)
{
  JorenZReport *report = joren_zreport_get (self->db, id, error);

  if (report == NULL)
    return FALSE;
  show_report (self, report, TRUE);
  return TRUE;
}

static void
history_selected_cb (GtkListBox        *box,
                     GtkListBoxRow     *row,
                     JorenEndofdayPage *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->reprint_button, row != NULL);
  if (row != NULL && !show_stored (self, get_row_id (row), &error))
    emit_message (self, error->message);
}

gboolean
joren_endofday_page_reprint (JorenEndofdayPage  *self,
                             gint64              z_report_id,
                             GError            **error)
{
  g_return_val_if_fail (JOREN_IS_ENDOFDAY_PAGE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return show_stored (self, z_report_id, error) && print_shown (self, TRUE, error);
}

static void
reprint_clicked_cb (JorenEndofdayPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->history_box);
  g_autoptr(GError) error = NULL;

  if (row != NULL && !joren_endofday_page_reprint (self, get_row_id (row), &error))
    emit_message (self, error->message);
}

/* --- closing the day: count, confirm, PIN --- */

const JorenZReport *
joren_endofday_page_close_day (JorenEndofdayPage  *self,
                               gint64              staff_id,
                               gint64              counted,
                               GError            **error)
{
  g_autoptr(GError) print_error = NULL;
  JorenZReport *report;

  g_return_val_if_fail (JOREN_IS_ENDOFDAY_PAGE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report = joren_zreport_close (self->db, staff_id, counted, error);
  if (report == NULL)
    return NULL;
  show_report (self, report, FALSE);
  load_history (self);
  gtk_widget_set_sensitive (self->close_button, FALSE);
  /* Stored already: a printer problem costs paper, never the report. */
  if (!print_shown (self, FALSE, &print_error))
    emit_message (self, print_error->message);
  return report;
}

static void
authorized_cb (const JorenStaff *authorizer,
               gpointer          user_data)
{
  JorenEndofdayPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (joren_endofday_page_close_day (self, authorizer->id, self->counted, &error) == NULL)
    emit_message (self, error->message);
}

static void
confirmed_cb (int      index,
              gpointer user_data)
{
  JorenEndofdayPage *self = user_data;

  if (index != 0)
    return;
  joren_authorize_run (GTK_WIDGET (self), self->db, JOREN_PERMISSION_CASH_SESSION,
                       _("Close the day: manager or owner PIN"), authorized_cb, self);
}

static char *
describe_count (JorenEndofdayPage  *self,
                const JorenZReport *x,
                gint64              counted)
{
  g_autofree char *expected = format_money (self, x->cash_expected);
  g_autofree char *count = format_money (self, counted);
  g_autofree char *difference = format_money (self, counted - x->cash_expected);

  return g_strdup_printf (_("Expected in the drawer: %s\nCounted: %s\nDifference: %s\n\n"
                            "Close the day? The Z report cannot be undone."),
                          expected, count, difference);
}

static gboolean
cash_counted_cb (JorenNumberDialog *dialog,
                 const char        *text,
                 guint              mode,
                 gpointer           user_data)
{
  JorenEndofdayPage *self = user_data;
  g_autoptr(JorenZReport) x = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *question = NULL;

  if (!joren_money_parse (*text ? text : "0", self->shop->currency, &self->counted, &error) ||
      (x = joren_zreport_x (self->db, &error)) == NULL)
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  question = describe_count (self, x, self->counted);
  joren_ui_confirm (GTK_WIDGET (self), question, _("Close the day"), confirmed_cb, self);
  return TRUE;
}

void
joren_endofday_page_count_cash (JorenEndofdayPage *self)
{
  JorenNumberDialog *dialog;
  JorenKeypad *keypad;

  g_return_if_fail (JOREN_IS_ENDOFDAY_PAGE (self));
  g_return_if_fail (self->shop != NULL);

  dialog = joren_number_dialog_new (GTK_WIDGET (self), _("Count the cash in the drawer"));
  keypad = joren_number_dialog_get_keypad (dialog);
  if (self->shop->currency->decimals > 0)
    joren_keypad_set_decimal_separator (keypad, self->shop->currency->decimal_sep);
  joren_keypad_set_placeholder (keypad, "0");
  joren_number_dialog_set_handler (dialog, cash_counted_cb, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_clicked_cb (JorenEndofdayPage *self)
{
  joren_endofday_page_count_cash (self);
}

/* --- GObject --- */

static void
joren_endofday_page_dispose (GObject *object)
{
  JorenEndofdayPage *self = JOREN_ENDOFDAY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_ENDOFDAY_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->shown, joren_zreport_free);
  G_OBJECT_CLASS (joren_endofday_page_parent_class)->dispose (object);
}

static void
joren_endofday_page_class_init (JorenEndofdayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_endofday_page_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-endofday-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenEndofdayPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, JorenEndofdayPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, JorenEndofdayPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, JorenEndofdayPage, preview);
  gtk_widget_class_bind_template_child (widget_class, JorenEndofdayPage, history_box);
  gtk_widget_class_bind_template_child (widget_class, JorenEndofdayPage, reprint_button);
  gtk_widget_class_bind_template_callback (widget_class, x_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, reprint_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_endofday_page_init (JorenEndofdayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
joren_endofday_page_new (void)
{
  return g_object_new (JOREN_TYPE_ENDOFDAY_PAGE, NULL);
}

void
joren_endofday_page_set_db (JorenEndofdayPage *self,
                            JorenDb           *db,
                            const JorenShop   *shop)
{
  g_return_if_fail (JOREN_IS_ENDOFDAY_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  g_set_object (&self->db, db);
  g_clear_pointer (&self->shop, joren_shop_free);
  self->shop = joren_shop_copy (shop);
  load_history (self);
  joren_endofday_page_show_x (self);
}

const JorenZReport *
joren_endofday_page_get_shown (JorenEndofdayPage *self)
{
  g_return_val_if_fail (JOREN_IS_ENDOFDAY_PAGE (self), NULL);

  return self->shown;
}

guint
joren_endofday_page_get_n_history (JorenEndofdayPage *self)
{
  guint n = 0;

  g_return_val_if_fail (JOREN_IS_ENDOFDAY_PAGE (self), 0);

  while (gtk_list_box_get_row_at_index (self->history_box, n) != NULL)
    n++;
  return n;
}

GtkWindow *
joren_endofday_dialog_run (GtkWidget       *parent,
                           JorenDb         *db,
                           const JorenShop *shop)
{
  GtkWindow *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = joren_endofday_page_new ();
  GtkWidget *done = gtk_button_new_with_label (_("Close"));

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (shop != NULL, NULL);

  dialog = joren_ui_dialog_new (parent, _("End of day"));
  gtk_window_set_default_size (dialog, 900, 700);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_widget_set_margin_start (done, 12);
  gtk_widget_set_margin_end (done, 12);
  gtk_widget_set_margin_bottom (done, 12);
  gtk_box_append (GTK_BOX (box), page);
  gtk_box_append (GTK_BOX (box), done);
  g_signal_connect_swapped (done, "clicked", G_CALLBACK (gtk_window_destroy), dialog);
  gtk_window_set_child (dialog, box);
  joren_endofday_page_set_db (JOREN_ENDOFDAY_PAGE (page), db, shop);
  gtk_window_present (dialog);
  return dialog;
}
