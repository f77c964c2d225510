/* joren-staff-page.c: staff administration, attendance and performance.
 * A new staff member needs a PIN before they exist (joren_staff_add), so
 * Save on a new one asks for the PIN first; every PIN is typed twice on
 * the keypad because nobody can read it back. Cards are scanned into a
 * focused field: the scanner is a keyboard that ends with Enter. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-attendance.h"
#include "joren-number-dialog.h"
#include "joren-staff-page.h"
#include "joren-ui.h"

struct _JorenStaffPage
{
  GtkWidget          parent_instance;

  GtkStack          *tabs;
  JorenPeriodPicker *period_picker;
  GtkListBox        *staff_box;
  GtkWidget         *editor;
  GtkLabel          *editor_title;
  GtkEditable       *name_entry;
  GtkDropDown       *role_dropdown;
  GtkWidget         *pin_button;
  GtkWidget         *card_button;
  GtkLabel          *cards_label;
  GtkWidget         *deactivate_button;
  GtkGrid           *attendance_grid;
  GtkGrid           *performance_grid;
  JorenChart        *chart;

  JorenDb           *db;
  JorenShop         *shop;
  gint64             editing_id;   /* 0: a new staff member */
  char              *first_pin;    /* the PIN typed once */
  GPtrArray         *attendance;
  GPtrArray         *performance;
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenStaffPage, joren_staff_page, GTK_TYPE_WIDGET)

static void
emit_message (JorenStaffPage *self,
              const char     *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

/* FALSE (and the message shown) when error is set. */
static gboolean
check (JorenStaffPage *self,
       gboolean        ok,
       GError         *error)
{
  if (!ok && error != NULL)
    emit_message (self, error->message);
  return ok;
}

/* --- the list and the editor --- */

static GtkWidget *
create_staff_row (const JorenStaff *staff)
{
  g_autofree char *detail = g_strdup_printf ("%s%s", joren_ui_role_name (staff->role),
                                             staff->active ? "" : _(" · inactive"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *name = joren_ui_label_new (staff->name, "line-name", 0);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (detail, "line-detail", 1));
  gtk_widget_add_css_class (box, "sale-line");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "joren-staff", joren_staff_copy (staff),
                          (GDestroyNotify) joren_staff_free);
  return row;
}

static void
load_staff (JorenStaffPage *self)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GError) error = NULL;

  joren_ui_remove_all (GTK_WIDGET (self->staff_box));
  staff = joren_staff_list (self->db, TRUE, &error);
  if (!check (self, staff != NULL, error))
    return;
  for (guint i = 0; i < staff->len; i++)
    gtk_list_box_append (self->staff_box, create_staff_row (g_ptr_array_index (staff, i)));
}

static void
show_cards (JorenStaffPage *self)
{
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->editing_id != 0)
    cards = joren_staff_list_cards (self->db, self->editing_id, NULL);
  for (guint i = 0; cards != NULL && i < cards->len; i++)
    {
      const char *code = g_ptr_array_index (cards, i);
      gsize len = strlen (code);

      /* Only the end of a card number is shown, like a bank card. */
      g_string_append_printf (text, "%s…%s", text->len ? " · " : "", code + (len > 4 ? len - 4 : 0));
    }
  gtk_label_set_text (self->cards_label, text->len ? text->str : _("No staff card"));
}

static void
edit_staff (JorenStaffPage   *self,
            const JorenStaff *staff)
{
  gboolean existing = staff != NULL;

  self->editing_id = existing ? staff->id : 0;
  gtk_label_set_text (self->editor_title, existing ? staff->name : _("New staff member"));
  gtk_editable_set_text (self->name_entry, existing ? staff->name : "");
  gtk_drop_down_set_selected (self->role_dropdown, existing ? staff->role : JOREN_ROLE_CASHIER);
  gtk_widget_set_sensitive (self->pin_button, existing);
  gtk_widget_set_sensitive (self->card_button, existing && staff->active);
  gtk_widget_set_sensitive (self->deactivate_button, existing && staff->active);
  show_cards (self);
}

static void
staff_selected_cb (GtkListBox     *box,
                   GtkListBoxRow  *row,
                   JorenStaffPage *self)
{
  if (row != NULL)
    edit_staff (self, g_object_get_data (G_OBJECT (row), "joren-staff"));
}

static void
add_clicked_cb (JorenStaffPage *self)
{
  gtk_list_box_unselect_all (self->staff_box);
  edit_staff (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

gboolean
joren_staff_page_select (JorenStaffPage *self,
                         gint64          staff_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (JOREN_IS_STAFF_PAGE (self), FALSE);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->staff_box, i)); i++)
    {
      JorenStaff *staff = g_object_get_data (G_OBJECT (row), "joren-staff");

      if (staff->id == staff_id)
        {
          gtk_list_box_select_row (self->staff_box, row);
          return TRUE;
        }
    }
  return FALSE;
}

static void
reload_and_select (JorenStaffPage *self,
                   gint64          staff_id)
{
  load_staff (self);
  if (!joren_staff_page_select (self, staff_id))
    edit_staff (self, NULL);
}

/* --- PIN, typed twice --- */

static gboolean
save_pin (JorenStaffPage *self,
          const char     *pin,
          GError        **error)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (self->name_entry)));
  g_autoptr(JorenStaff) added = NULL;

  if (self->editing_id != 0)
    return joren_staff_reset_pin (self->db, self->editing_id, pin, error);
  added = joren_staff_add (self->db, name, gtk_drop_down_get_selected (self->role_dropdown),
                           pin, error);
  if (added == NULL)
    return FALSE;
  self->editing_id = added->id;
  return TRUE;
}

static gboolean
second_pin_cb (JorenNumberDialog *dialog,
               const char        *text,
               guint              mode,
               gpointer           user_data)
{
  JorenStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (text, self->first_pin) != 0)
    {
      joren_number_dialog_set_error (dialog, _("The two PINs differ: type it again"));
      return FALSE;
    }
  if (!save_pin (self, text, &error))
    {
      joren_number_dialog_set_error (dialog, error->message);
      return FALSE;
    }
  emit_message (self, _("The PIN was saved"));
  reload_and_select (self, self->editing_id);
  return TRUE;
}

static JorenNumberDialog *
open_pin_dialog (JorenStaffPage  *self,
                 const char      *title,
                 JorenNumberFunc  func)
{
  JorenNumberDialog *dialog = joren_number_dialog_new (GTK_WIDGET (self), title);

  joren_keypad_set_masked (joren_number_dialog_get_keypad (dialog), TRUE);
  joren_number_dialog_set_handler (dialog, func, self, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static gboolean
first_pin_cb (JorenNumberDialog *dialog,
              const char        *text,
              guint              mode,
              gpointer           user_data)
{
  JorenStaffPage *self = user_data;

  if (strlen (text) < 4 || strlen (text) > 8)
    {
      joren_number_dialog_set_error (dialog, _("A PIN has 4 to 8 digits"));
      return FALSE;
    }
  g_free (self->first_pin);
  self->first_pin = g_strdup (text);
  open_pin_dialog (self, _("Type the new PIN again"), second_pin_cb);
  return TRUE;
}

static void
pin_clicked_cb (JorenStaffPage *self)
{
  open_pin_dialog (self, _("Type the new PIN"), first_pin_cb);
}

/* --- save, deactivate --- */

static gboolean
save_existing (JorenStaffPage *self,
               const char     *name,
               JorenRole       role)
{
  g_autoptr(GError) error = NULL;

  return check (self, joren_staff_rename (self->db, self->editing_id, name, &error) &&
                      joren_staff_set_role (self->db, self->editing_id, role, &error), error);
}

static void
save_clicked_cb (JorenStaffPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (self->name_entry)));

  if (*name == '\0')
    {
      emit_message (self, _("Type the staff member's name"));
      return;
    }
  /* A new staff member is added once their PIN is typed twice. */
  if (self->editing_id == 0)
    pin_clicked_cb (self);
  else if (save_existing (self, name, gtk_drop_down_get_selected (self->role_dropdown)))
    reload_and_select (self, self->editing_id);
}

static void
deactivate_confirmed_cb (int      index,
                         gpointer user_data)
{
  JorenStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (index == 0 && check (self, joren_staff_deactivate (self->db, self->editing_id, &error), error))
    reload_and_select (self, self->editing_id);
}

static void
deactivate_clicked_cb (JorenStaffPage *self)
{
  joren_ui_confirm (GTK_WIDGET (self),
                    _("Deactivate this staff member? Their sales and hours are kept; "
                      "they can no longer sign in."),
                    _("Deactivate"), deactivate_confirmed_cb, self);
}

/* --- staff card --- */

static void
card_scanned_cb (GtkEntry       *entry,
                 JorenStaffPage *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(GError) error = NULL;

  if (*code == '\0')
    return;
  if (!check (self, joren_staff_add_card (self->db, self->editing_id, code, &error), error))
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      return;
    }
  show_cards (self);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (entry))));
}

static void
card_clicked_cb (JorenStaffPage *self)
{
  GtkWindow *dialog = joren_ui_dialog_new (GTK_WIDGET (self), _("Scan the staff card now"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Card number"));
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (_("Scan the staff card now"), "dialog-title", 0));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), cancel);
  g_signal_connect (entry, "activate", G_CALLBACK (card_scanned_cb), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), dialog);
  gtk_window_set_child (dialog, box);
  gtk_window_present (dialog);
  gtk_widget_grab_focus (entry);
}

/* --- attendance and performance --- */

static void
add_grid_row (GtkGrid           *grid,
              int                row,
              const char *const *cells,
              guint              n,
              gboolean           header)
{
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *label = joren_ui_label_new (cells[i], header ? "hint" : NULL, i == 0 ? 0 : 1);

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (grid, label, i, row, 1, 1);
    }
}

static char *
format_time (GDateTime *at)
{
  g_autoptr(GDateTime) local = NULL;

  if (at == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (at);
  return g_date_time_format (local, "%H:%M");
}

/* "7:30" for seven and a half hours. */
static char *
format_hours (gint64 us)
{
  gint64 minutes = us / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", minutes / 60, (int) (minutes % 60));
}

static void
fill_attendance (JorenStaffPage *self)
{
  const char *headers[] = { _("Staff"), _("Day"), _("In"), _("Out"), _("Hours"), _("Breaks") };

  joren_ui_remove_all (GTK_WIDGET (self->attendance_grid));
  add_grid_row (self->attendance_grid, 0, headers, G_N_ELEMENTS (headers), TRUE);
  for (guint i = 0; i < self->attendance->len; i++)
    {
      JorenAttendanceDay *day = g_ptr_array_index (self->attendance, i);
      g_autofree char *in = format_time (day->first_in);
      g_autofree char *out = format_time (day->last_out);
      g_autofree char *hours = format_hours (day->worked_us);
      g_autofree char *breaks = format_hours (day->break_us);
      const char *cells[] = { day->staff_name, day->day, in, out, hours, breaks };

      add_grid_row (self->attendance_grid, i + 1, cells, G_N_ELEMENTS (cells), FALSE);
    }
}

static void
fill_performance_row (JorenStaffPage        *self,
                      int                    row,
                      JorenStaffPerformance *perf)
{
  g_autofree char *receipts = g_strdup_printf ("%" G_GINT64_FORMAT, perf->n_sales);
  g_autofree char *gross = joren_money_format (perf->gross, self->shop->currency);
  g_autofree char *basket = joren_money_format (perf->average_basket, self->shop->currency);
  g_autofree char *hours = format_hours (perf->worked_us);
  g_autofree char *per_hour = joren_money_format (perf->gross_per_hour, self->shop->currency);
  const char *cells[] = { perf->staff_name, receipts, gross, basket, hours, per_hour };

  add_grid_row (self->performance_grid, row, cells, G_N_ELEMENTS (cells), FALSE);
}

static void
fill_performance (JorenStaffPage *self)
{
  const char *headers[] = { _("Staff"), _("Receipts"), _("Sales"), _("Average basket"),
                            _("Hours"), _("Per hour") };
  guint n = self->performance->len;
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree gint64 *values = g_new0 (gint64, n + 1);

  joren_ui_remove_all (GTK_WIDGET (self->performance_grid));
  add_grid_row (self->performance_grid, 0, headers, G_N_ELEMENTS (headers), TRUE);
  for (guint i = 0; i < n; i++)
    {
      JorenStaffPerformance *perf = g_ptr_array_index (self->performance, i);

      labels[i] = perf->staff_name;
      values[i] = perf->gross;
      fill_performance_row (self, i + 1, perf);
    }
  joren_chart_set_data (self->chart, n, labels, values);
}

void
joren_staff_page_reload (JorenStaffPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) attendance = NULL;
  g_autoptr(GPtrArray) performance = NULL;
  JorenReportQuery query;

  g_return_if_fail (JOREN_IS_STAFF_PAGE (self));

  if (self->db == NULL)
    return;
  joren_period_picker_get_query (self->period_picker, &query);
  attendance = joren_attendance_report (self->db, query.first_day, query.last_day, 0, NULL, &error);
  if (attendance != NULL)
    performance = joren_attendance_performance (self->db, query.first_day, query.last_day, &error);
  if (!check (self, performance != NULL, error))
    return;
  g_clear_pointer (&self->attendance, g_ptr_array_unref);
  g_clear_pointer (&self->performance, g_ptr_array_unref);
  self->attendance = g_steal_pointer (&attendance);
  self->performance = g_steal_pointer (&performance);
  fill_attendance (self);
  fill_performance (self);
}

static void
period_changed_cb (JorenStaffPage *self)
{
  joren_staff_page_reload (self);
}

/* --- GObject --- */

static void
joren_staff_page_dispose (GObject *object)
{
  JorenStaffPage *self = JOREN_STAFF_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_STAFF_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->first_pin, g_free);
  g_clear_pointer (&self->attendance, g_ptr_array_unref);
  g_clear_pointer (&self->performance, g_ptr_array_unref);
  G_OBJECT_CLASS (joren_staff_page_parent_class)->dispose (object);
}

static void
bind_children (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, tabs);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, period_picker);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, staff_box);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, editor);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, editor_title);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, role_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, pin_button);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, card_button);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, cards_label);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, deactivate_button);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, attendance_grid);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, performance_grid);
  gtk_widget_class_bind_template_child (widget_class, JorenStaffPage, chart);
}

static void
joren_staff_page_class_init (JorenStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_staff_page_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (JOREN_TYPE_CHART);
  g_type_ensure (JOREN_TYPE_PERIOD_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-staff-page.ui");
  bind_children (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, staff_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, deactivate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_staff_page_init (JorenStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
joren_staff_page_new (void)
{
  return g_object_new (JOREN_TYPE_STAFF_PAGE, NULL);
}

void
joren_staff_page_set_db (JorenStaffPage  *self,
                         JorenDb         *db,
                         const JorenShop *shop)
{
  g_return_if_fail (JOREN_IS_STAFF_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  g_set_object (&self->db, db);
  g_clear_pointer (&self->shop, joren_shop_free);
  self->shop = joren_shop_copy (shop);
  joren_chart_set_currency (self->chart, shop->currency);
  reload_and_select (self, self->editing_id);
  joren_staff_page_reload (self);
}

void
joren_staff_page_show_tab (JorenStaffPage *self,
                           const char     *tab)
{
  g_return_if_fail (JOREN_IS_STAFF_PAGE (self));
  g_return_if_fail (tab != NULL);

  gtk_stack_set_visible_child_name (self->tabs, tab);
}

GPtrArray *
joren_staff_page_get_attendance (JorenStaffPage *self)
{
  g_return_val_if_fail (JOREN_IS_STAFF_PAGE (self), NULL);

  return self->attendance;
}

GPtrArray *
joren_staff_page_get_performance (JorenStaffPage *self)
{
  g_return_val_if_fail (JOREN_IS_STAFF_PAGE (self), NULL);

  return self->performance;
}

JorenChart *
joren_staff_page_get_chart (JorenStaffPage *self)
{
  g_return_val_if_fail (JOREN_IS_STAFF_PAGE (self), NULL);

  return self->chart;
}

JorenPeriodPicker *
joren_staff_page_get_period_picker (JorenStaffPage *self)
{
  g_return_val_if_fail (JOREN_IS_STAFF_PAGE (self), NULL);

  return self->period_picker;
}
