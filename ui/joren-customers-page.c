/* joren-customers-page.c: customers in the back office. The list is at
 * most a page of matches (lookups use the indexed prefix and phone
 * searches, so it stays quick with a million members); choosing one
 * goes through joren_customer_admin_view so the look is audited. The
 * risky actions (merge, anonymise) ask first; anonymising asks twice
 * because it cannot be undone. Editing uses joren-customer-editor. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-audit.h"
#include "joren-customer-admin.h"
#include "joren-customer-editor.h"
#include "joren-customers-page.h"
#include "joren-points.h"
#include "joren-segment.h"
#include "joren-ui.h"

#define PAGE_ROWS 50

struct _JorenCustomersPage
{
  GtkWidget      parent_instance;

  GtkEditable   *search_entry;
  GtkListBox    *customers_box;
  GtkLabel      *list_label;
  GtkLabel      *name_label;
  GtkLabel      *details_label;
  GtkLabel      *summary_label;
  GtkWidget     *actions_grid;

  JorenDb       *db;
  gint64         staff_id;
  JorenCustomer *selected;
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenCustomersPage, joren_customers_page, GTK_TYPE_WIDGET)

static void
emit_message (JorenCustomersPage *self,
              const char         *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static const char *
display_name (const JorenCustomer *customer)
{
  return customer->name && *customer->name ? customer->name : customer->member_no;
}

/* --- the list --- */

static GtkWidget *
create_row (JorenCustomer *customer)
{
  g_autoptr(GString) detail = g_string_new (customer->member_no);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *row = gtk_list_box_row_new ();

  if (customer->reading && *customer->reading)
    g_string_append_printf (detail, " · %s", customer->reading);
  if (customer->phones->len > 0)
    g_string_append_printf (detail, " · %s", (char *) g_ptr_array_index (customer->phones, 0));
  if (customer->birthday != NULL)
    g_string_append_printf (detail, " · %s", customer->birthday);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (display_name (customer), "line-name", 0));
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (detail->str, "line-detail", 0));
  gtk_widget_add_css_class (box, "sale-line");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "joren-customer", customer,
                          (GDestroyNotify) joren_customer_free);
  return row;
}

static void
add_unique (GPtrArray     *list,
            GHashTable    *seen,
            JorenCustomer *customer)
{
  if (customer == NULL || g_hash_table_contains (seen, &customer->id))
    {
      joren_customer_free (customer);
      return;
    }
  g_hash_table_add (seen, &customer->id);
  g_ptr_array_add (list, customer);
}

static void
add_all (GPtrArray  *list,
         GHashTable *seen,
         GPtrArray  *found)
{
  if (found == NULL)
    return;
  g_ptr_array_set_free_func (found, NULL);
  for (guint i = 0; i < found->len; i++)
    add_unique (list, seen, g_ptr_array_index (found, i));
  g_ptr_array_unref (found);
}

/* A pick list holds what a row shows; this page shows more of each. */
static void
add_whole (JorenCustomersPage *self,
           GPtrArray          *list,
           GHashTable         *seen,
           GPtrArray          *picks)
{
  if (picks == NULL)
    return;
  for (guint i = 0; i < picks->len; i++)
    {
      const JorenCustomer *pick = g_ptr_array_index (picks, i);

      if (!g_hash_table_contains (seen, &pick->id))
        add_unique (list, seen, joren_customer_get (self->db, pick->id, NULL));
    }
  g_ptr_array_unref (picks);
}

static gboolean
is_digits (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '-' && *p != ' ' && *p != '+')
      return FALSE;
  return *text != '\0';
}

static void
add_segment (JorenCustomersPage       *self,
             GPtrArray                *list,
             GHashTable               *seen,
             const JorenSegmentFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSegmentPage) page = joren_segment_run (self->db, filter, 0, PAGE_ROWS, &error);

  if (page == NULL)
    {
      emit_message (self, error->message);
      return;
    }
  for (guint i = 0; i < page->ids->len; i++)
    add_unique (list, seen, joren_customer_get (self->db, g_array_index (page->ids, gint64, i), NULL));
}

/* Card, phone (whole or last 4) and name/reading matches, each once. */
static GPtrArray *
search (JorenCustomersPage *self,
        const char         *text)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_customer_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (*text == '\0')
    {
      JorenSegmentFilter all = { 0 };

      add_segment (self, list, seen, &all);
      return list;
    }
  add_unique (list, seen, joren_customer_find_by_card (self->db, text, NULL));
  if (is_digits (text) && strlen (text) == 4)
    add_whole (self, list, seen, joren_customer_find_by_last4 (self->db, text, PAGE_ROWS, NULL));
  else if (is_digits (text))
    add_all (list, seen, joren_customer_find_by_phone (self->db, text, NULL));
  add_whole (self, list, seen, joren_customer_find_by_name (self->db, text, PAGE_ROWS, NULL));
  return list;
}

static void
show_list (JorenCustomersPage *self,
           GPtrArray          *list,
           const char         *title)
{
  joren_ui_remove_all (GTK_WIDGET (self->customers_box));
  g_ptr_array_set_free_func (list, NULL);   /* the rows own them */
  for (guint i = 0; i < list->len && i < PAGE_ROWS; i++)
    gtk_list_box_append (self->customers_box, create_row (g_ptr_array_index (list, i)));
  for (guint i = PAGE_ROWS; i < list->len; i++)
    joren_customer_free (g_ptr_array_index (list, i));
  gtk_label_set_text (self->list_label, title);
}

static void
load_list (JorenCustomersPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (self->search_entry)));
  g_autoptr(GPtrArray) list = search (self, text);
  g_autofree char *title = g_strdup_printf (g_dngettext (NULL, "%u customer", "%u customers",
                                                         list->len), list->len);

  show_list (self, list, title);
}

static void
search_changed_cb (JorenCustomersPage *self)
{
  if (self->db != NULL)
    load_list (self);
}

static void
birthdays_clicked_cb (JorenCustomersPage *self)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_customer_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  JorenSegmentFilter filter = { 0 };

  joren_segment_preset_birthdays (&filter, NULL);
  add_segment (self, list, seen, &filter);
  show_list (self, list, _("Birthdays this month"));
}

/* --- the chosen customer --- */

static char *
format_details (const JorenCustomer *c)
{
  GString *text = g_string_new (NULL);
  const char *yes = _("yes"), *no = _("no");

  g_string_append_printf (text, _("Member number: %s\n"), c->member_no);
  if (c->reading && *c->reading)
    g_string_append_printf (text, _("Reading: %s\n"), c->reading);
  for (guint i = 0; i < c->phones->len; i++)
    g_string_append_printf (text, _("Phone: %s\n"), (char *) g_ptr_array_index (c->phones, i));
  if (c->email)
    g_string_append_printf (text, _("E-mail: %s\n"), c->email);
  if (c->birthday)
    g_string_append_printf (text, _("Birthday: %s\n"), c->birthday);
  if (c->address)
    g_string_append_printf (text, _("Address: %s %s\n"), c->postal_code ? c->postal_code : "",
                            c->address);
  g_string_append_printf (text, _("Consent: e-mail %s, post %s, SMS %s"),
                          c->consent_email ? yes : no, c->consent_post ? yes : no,
                          c->consent_sms ? yes : no);
  return g_string_free (text, FALSE);
}

static char *
format_summary (JorenCustomersPage  *self,
                const JorenCustomer *customer)
{
  g_auto(JorenCustomerSummary) summary = { 0 };
  g_autoptr(JorenShop) shop = joren_db_load_shop (self->db, NULL);
  g_autofree char *spend = NULL;

  if (!joren_customer_summary (self->db, customer, NULL, &summary, NULL))
    return g_strdup ("");
  spend = joren_money_format (summary.total_spend, shop ? shop->currency : NULL);
  return g_strdup_printf (_("%u visits · %s spent · %" PRId64 " points"),
                          summary.visit_count, spend, summary.points);
}

static void
show_customer (JorenCustomersPage *self,
               JorenCustomer      *customer)
{
  g_autofree char *details = customer ? format_details (customer) : NULL;
  g_autofree char *summary = customer ? format_summary (self, customer) : NULL;

  g_clear_pointer (&self->selected, joren_customer_free);
  self->selected = customer;
  gtk_label_set_text (self->name_label, customer ? display_name (customer) : _("Choose a customer"));
  gtk_label_set_text (self->details_label, details ? details : "");
  gtk_label_set_text (self->summary_label, summary ? summary : "");
  gtk_widget_set_sensitive (self->actions_grid, customer != NULL);
}

static void
view_customer (JorenCustomersPage *self,
               gint64              id)
{
  g_autoptr(GError) error = NULL;
  JorenCustomer *customer = joren_customer_admin_view (self->db, self->staff_id, id, &error);

  if (customer == NULL)
    emit_message (self, error->message);
  show_customer (self, customer);
}

static void
customer_selected_cb (GtkListBox         *box,
                      GtkListBoxRow      *row,
                      JorenCustomersPage *self)
{
  JorenCustomer *customer = row ? g_object_get_data (G_OBJECT (row), "joren-customer") : NULL;

  if (self->db == NULL)
    return;  /* disposing: the list is going away */
  if (customer == NULL)
    show_customer (self, NULL);
  else if (self->selected == NULL || self->selected->id != customer->id)
    view_customer (self, customer->id);
}

static void
reload (JorenCustomersPage *self)
{
  gint64 id = self->selected ? self->selected->id : 0;

  load_list (self);
  if (id != 0)
    view_customer (self, id);
}

/* --- edit --- */

static void
customer_saved_cb (const JorenCustomer *customer,
                   gpointer             user_data)
{
  JorenCustomersPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!joren_audit_log (self->db, self->staff_id, JOREN_AUDIT_EDIT, customer->id, NULL, &error))
    emit_message (self, error->message);
  reload (self);
}

static void
edit_clicked_cb (JorenCustomersPage *self)
{
  g_return_if_fail (self->selected != NULL);

  joren_customer_editor_run (GTK_WIDGET (self), self->db, self->selected,
                             customer_saved_cb, self);
}

/* --- history --- */

static GtkWidget *
create_ledger_row (JorenPointsEntry *entry)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (entry->created_at);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *text = g_strdup_printf ("%s  %s  %+" G_GINT64_FORMAT "  %s", when, entry->kind,
                                           entry->points,
                                           entry->receipt_no ? entry->receipt_no
                                                             : entry->reason ? entry->reason : "");

  return joren_ui_label_new (text, "line-detail", 0);
}

static GtkWidget *
create_history (JorenCustomersPage *self)
{
  g_autoptr(GPtrArray) ledger = joren_points_list (self->db, self->selected->id, 100, NULL);
  g_auto(JorenCustomerSummary) summary = { 0 };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *visits = NULL;
  g_autofree char *last = NULL;

  joren_customer_summary (self->db, self->selected, NULL, &summary, NULL);
  visits = format_summary (self, self->selected);
  last = summary.last_visit
         ? g_strdup_printf (_("Last visit: %d days ago (%s)"), summary.days_since_visit,
                            summary.last_receipt_no ? summary.last_receipt_no : "")
         : g_strdup (_("No visit yet"));
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (visits, "line-name", 0));
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (last, "line-detail", 0));
  for (guint i = 0; i < G_N_ELEMENTS (summary.favourites) && summary.favourites[i]; i++)
    gtk_box_append (GTK_BOX (box), joren_ui_label_new (summary.favourites[i], "line-detail", 0));
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (_("Points ledger"), "section-title", 0));
  for (guint i = 0; ledger && i < ledger->len; i++)
    gtk_box_append (GTK_BOX (box), create_ledger_row (g_ptr_array_index (ledger, i)));
  return box;
}

static GtkWindow *
dialog_with_close (JorenCustomersPage *self,
                   const char         *title,
                   GtkWidget          *content)
{
  GtkWindow *window = joren_ui_dialog_new (GTK_WIDGET (self), title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *close = gtk_button_new_with_label (_("Close"));

  gtk_widget_add_css_class (box, "dialog-body");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), content);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 480);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), close);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_window_set_child (window, box);
  gtk_window_set_default_size (window, 600, -1);
  return window;
}

static void
history_clicked_cb (JorenCustomersPage *self)
{
  g_autofree char *title = NULL;

  g_return_if_fail (self->selected != NULL);
  title = g_strdup_printf (_("History of %s"), display_name (self->selected));
  gtk_window_present (dialog_with_close (self, title, create_history (self)));
}

/* --- merge --- */

typedef struct {
  JorenCustomersPage *self;
  gint64              duplicate_id;
  GtkWindow          *picker;
} MergeData;

static gboolean
close_window_cb (gpointer window)
{
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
merge_confirmed_cb (int      index,
                    gpointer user_data)
{
  MergeData *data = user_data;
  JorenCustomersPage *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!joren_customer_merge (self->db, self->staff_id, self->selected->id, data->duplicate_id,
                             &error))
    emit_message (self, error->message);
  else
    emit_message (self, _("The two customers are one now."));
  /* The confirmation is the picker's child and still running: close the
   * picker once it has returned. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_window_cb, g_object_ref (data->picker),
                   g_object_unref);
  reload (self);
}

static void
duplicate_activated_cb (GtkListBox    *box,
                        GtkListBoxRow *row,
                        MergeData     *data)
{
  JorenCustomer *duplicate = g_object_get_data (G_OBJECT (row), "joren-customer");
  g_autofree char *question = g_strdup_printf (_("Merge %s (%s) into %s (%s)? Cards, phones, sales"
                                                 " and points move over; this cannot be undone."),
                                               display_name (duplicate), duplicate->member_no,
                                               display_name (data->self->selected),
                                               data->self->selected->member_no);

  data->duplicate_id = duplicate->id;
  joren_ui_confirm (GTK_WIDGET (box), question, _("Merge"), merge_confirmed_cb, data);
}

static void
merge_search_changed_cb (GtkEditable *entry,
                         GtkListBox  *box)
{
  JorenCustomersPage *self = g_object_get_data (G_OBJECT (box), "joren-page");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GPtrArray) list = *text ? search (self, text) : NULL;

  joren_ui_remove_all (GTK_WIDGET (box));
  for (guint i = 0; list && i < list->len; i++)
    {
      JorenCustomer *customer = g_ptr_array_index (list, i);

      if (customer->id != self->selected->id)
        gtk_list_box_append (box, create_row (g_steal_pointer (&list->pdata[i])));
    }
}

static void
merge_clicked_cb (JorenCustomersPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *list = gtk_list_box_new ();
  MergeData *data = g_new0 (MergeData, 1);
  g_autofree char *title = NULL;

  g_return_if_fail (self->selected != NULL);
  title = g_strdup_printf (_("Merge a duplicate into %s"), display_name (self->selected));
  data->self = self;
  g_object_set (entry, "placeholder-text", _("Search the duplicate"), NULL);
  gtk_widget_add_css_class (list, "merge-list");
  g_object_set_data (G_OBJECT (list), "joren-page", self);
  g_signal_connect (entry, "search-changed", G_CALLBACK (merge_search_changed_cb), list);
  g_signal_connect (list, "row-activated", G_CALLBACK (duplicate_activated_cb), data);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), list);
  data->picker = dialog_with_close (self, title, box);
  g_object_set_data_full (G_OBJECT (data->picker), "joren-merge", data, g_free);
  gtk_widget_set_size_request (list, -1, 300);
  gtk_window_present (data->picker);
}

/* --- export --- */

gboolean
joren_customers_page_export_to (JorenCustomersPage  *self,
                                const char          *path,
                                GError             **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (JOREN_IS_CUSTOMERS_PAGE (self), FALSE);
  g_return_val_if_fail (self->selected != NULL && path != NULL, FALSE);

  json = joren_customer_export_json (self->db, self->staff_id, self->selected->id, error);
  return json != NULL && g_file_set_contents (path, json, -1, error);
}

static void
export_chosen_cb (GtkNativeDialog    *chooser,
                  int                 response,
                  JorenCustomersPage *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  g_object_unref (chooser);
  if (response != GTK_RESPONSE_ACCEPT || path == NULL)
    return;
  if (!joren_customers_page_export_to (self, path, &error))
    emit_message (self, error->message);
  else
    emit_message (self, _("The customer's data was saved."));
}

static void
export_clicked_cb (JorenCustomersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  g_return_if_fail (self->selected != NULL);
  chooser = gtk_file_chooser_native_new (_("Export the customer's data"), GTK_WINDOW (root),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("Save"), _("Cancel"));
  name = g_strdup_printf ("%s.json", self->selected->member_no);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- anonymise: asked twice --- */

static void
anonymise_confirmed_cb (int      index,
                        gpointer user_data)
{
  JorenCustomersPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!joren_customer_anonymise (self->db, self->staff_id, self->selected->id, &error))
    emit_message (self, error->message);
  else
    emit_message (self, _("The customer's personal data was removed."));
  reload (self);
}

static void
anonymise_first_cb (int      index,
                    gpointer user_data)
{
  JorenCustomersPage *self = user_data;

  joren_ui_confirm (GTK_WIDGET (self),
                    _("This cannot be undone. Remove the personal data now?"),
                    _("Remove for good"), anonymise_confirmed_cb, self);
}

static void
anonymise_clicked_cb (JorenCustomersPage *self)
{
  g_autofree char *question = NULL;

  g_return_if_fail (self->selected != NULL);
  question = g_strdup_printf (_("Anonymise %s? Name, contact details, birthday, cards and phones"
                                " are removed; sales and points stay."),
                              display_name (self->selected));
  joren_ui_confirm (GTK_WIDGET (self), question, _("Anonymise"), anonymise_first_cb, self);
}

/* --- GObject --- */

static void
joren_customers_page_dispose (GObject *object)
{
  JorenCustomersPage *self = JOREN_CUSTOMERS_PAGE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->selected, joren_customer_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_CUSTOMERS_PAGE);
  /* The unnamed top box is not a bound child: unparent it here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (joren_customers_page_parent_class)->dispose (object);
}

static void
joren_customers_page_class_init (JorenCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_customers_page_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, customers_box);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, list_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, JorenCustomersPage, actions_grid);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, birthdays_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, customer_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, merge_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, anonymise_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_customers_page_init (JorenCustomersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
joren_customers_page_new (void)
{
  return g_object_new (JOREN_TYPE_CUSTOMERS_PAGE, NULL);
}

void
joren_customers_page_set_db (JorenCustomersPage *self,
                             JorenDb            *db)
{
  g_return_if_fail (JOREN_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));

  g_set_object (&self->db, db);
  show_customer (self, NULL);
  load_list (self);
}

void
joren_customers_page_set_staff (JorenCustomersPage *self,
                                gint64              staff_id)
{
  g_return_if_fail (JOREN_IS_CUSTOMERS_PAGE (self));

  self->staff_id = staff_id;
}

gboolean
joren_customers_page_select (JorenCustomersPage *self,
                             gint64              customer_id)
{
  g_return_val_if_fail (JOREN_IS_CUSTOMERS_PAGE (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->customers_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      JorenCustomer *customer = g_object_get_data (G_OBJECT (row), "joren-customer");

      if (customer != NULL && customer->id == customer_id)
        {
          gtk_list_box_select_row (self->customers_box, GTK_LIST_BOX_ROW (row));
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
joren_customers_page_select_row (JorenCustomersPage *self,
                                 guint               index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (JOREN_IS_CUSTOMERS_PAGE (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->customers_box, index);
  if (row != NULL)
    gtk_list_box_select_row (self->customers_box, row);
  return row != NULL;
}

gint64
joren_customers_page_get_selected (JorenCustomersPage *self)
{
  g_return_val_if_fail (JOREN_IS_CUSTOMERS_PAGE (self), 0);

  return self->selected ? self->selected->id : 0;
}

guint
joren_customers_page_get_n_rows (JorenCustomersPage *self)
{
  guint n = 0;

  g_return_val_if_fail (JOREN_IS_CUSTOMERS_PAGE (self), 0);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->customers_box));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    n += g_object_get_data (G_OBJECT (row), "joren-customer") != NULL;
  return n;
}
