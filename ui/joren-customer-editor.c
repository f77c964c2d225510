/* joren-customer-editor.c: a plain form built in code: one labelled entry
 * per field, a switch per consent, Save and Cancel. The record is read
 * again from the database when the editor opens, so it edits what is
 * stored, not what a list row cached. A phone number that another
 * member has is refused with their member number, like at the counter. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-customer-editor.h"
#include "joren-ui.h"

typedef struct {
  JorenDb           *db;
  JorenCustomer     *customer;
  JorenCustomerFunc  func;
  gpointer           user_data;
  GtkWindow         *window;
  GtkEditable       *name, *reading, *phone, *email, *birthday, *postal_code, *address, *notes;
  GtkSwitch         *consent_email, *consent_post, *consent_sms;
  GtkLabel          *error_label;
} Editor;

static void
editor_free (Editor *editor)
{
  g_clear_object (&editor->db);
  joren_customer_free (editor->customer);
  g_free (editor);
}

static GtkEditable *
add_entry (GtkGrid    *grid,
           int         row,
           const char *label,
           const char *value)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), value ? value : "");
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_grid_attach (grid, joren_ui_label_new (label, NULL, 0), 0, row, 1, 1);
  gtk_grid_attach (grid, entry, 1, row, 1, 1);
  return GTK_EDITABLE (entry);
}

static GtkSwitch *
add_switch (GtkGrid    *grid,
            int         row,
            const char *label,
            gboolean    active)
{
  GtkWidget *toggle = gtk_switch_new ();

  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_halign (toggle, GTK_ALIGN_START);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_grid_attach (grid, joren_ui_label_new (label, NULL, 0), 0, row, 1, 1);
  gtk_grid_attach (grid, toggle, 1, row, 1, 1);
  return GTK_SWITCH (toggle);
}

static char *
get_text (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text ? g_steal_pointer (&text) : NULL;
}

static void
replace (char        **field,
         GtkEditable  *editable)
{
  g_free (*field);
  *field = get_text (editable);
}

static void
read_form (Editor *e)
{
  JorenCustomer *c = e->customer;
  g_autofree char *phone = get_text (e->phone);

  replace (&c->name, e->name);
  replace (&c->reading, e->reading);
  replace (&c->email, e->email);
  replace (&c->birthday, e->birthday);
  replace (&c->postal_code, e->postal_code);
  replace (&c->address, e->address);
  replace (&c->notes, e->notes);
  c->consent_email = gtk_switch_get_active (e->consent_email);
  c->consent_post = gtk_switch_get_active (e->consent_post);
  c->consent_sms = gtk_switch_get_active (e->consent_sms);
  /* The first phone is the one shown; others are kept. */
  if (c->phones->len > 0)
    g_ptr_array_remove_index (c->phones, 0);
  if (phone != NULL)
    g_ptr_array_insert (c->phones, 0, g_steal_pointer (&phone));
}

static gboolean
valid_birthday (const char *text)
{
  return text == NULL || g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text, 0, 0);
}

static void
save_clicked_cb (Editor *e)
{
  g_autoptr(GError) error = NULL;

  read_form (e);
  if (!valid_birthday (e->customer->birthday))
    {
      gtk_label_set_text (e->error_label, _("Write the birthday as YYYY-MM-DD."));
      return;
    }
  if (!joren_customer_update (e->db, e->customer, FALSE, &error))
    {
      gtk_label_set_text (e->error_label, error->message);
      return;
    }
  if (e->func != NULL)
    e->func (e->customer, e->user_data);
  gtk_window_destroy (e->window);
}

static GtkWidget *
build_grid (Editor *e)
{
  const JorenCustomer *c = e->customer;
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());

  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  e->name = add_entry (grid, 0, _("Name"), c->name);
  e->reading = add_entry (grid, 1, _("Reading"), c->reading);
  e->phone = add_entry (grid, 2, _("Phone"), c->phones->len ? c->phones->pdata[0] : NULL);
  e->email = add_entry (grid, 3, _("E-mail"), c->email);
  e->birthday = add_entry (grid, 4, _("Birthday (YYYY-MM-DD)"), c->birthday);
  e->postal_code = add_entry (grid, 5, _("Postal code"), c->postal_code);
  e->address = add_entry (grid, 6, C_("postal", "Address"), c->address);
  e->notes = add_entry (grid, 7, _("Notes"), c->notes);
  e->consent_email = add_switch (grid, 8, _("Agrees to e-mail"), c->consent_email);
  e->consent_post = add_switch (grid, 9, _("Agrees to post"), c->consent_post);
  e->consent_sms = add_switch (grid, 10, _("Agrees to SMS"), c->consent_sms);
  return GTK_WIDGET (grid);
}

static GtkWidget *
build_buttons (Editor *e)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));
  GtkWidget *save = gtk_button_new_with_label (_("Save"));

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), e->window);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), e);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_box_append (GTK_BOX (box), save);
  return box;
}

GtkWindow *
joren_customer_editor_run (GtkWidget           *parent,
                           JorenDb             *db,
                           const JorenCustomer *customer,
                           JorenCustomerFunc    func,
                           gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *box, *scrolled;
  Editor *e;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (customer != NULL, NULL);

  e = g_new0 (Editor, 1);
  e->customer = joren_customer_get (db, customer->id, &error);
  if (e->customer == NULL)
    {
      g_warning ("Cannot edit customer %" G_GINT64_FORMAT ": %s", customer->id, error->message);
      g_free (e);
      return NULL;
    }
  e->db = g_object_ref (db);
  e->func = func;
  e->user_data = user_data;
  e->window = joren_ui_dialog_new (parent, _("Edit customer"));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), build_grid (e));
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 520);
  e->error_label = GTK_LABEL (joren_ui_label_new ("", "error", 0));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (e->error_label));
  gtk_box_append (GTK_BOX (box), build_buttons (e));
  gtk_window_set_child (e->window, box);
  gtk_window_set_default_size (e->window, 640, -1);
  g_object_set_data_full (G_OBJECT (e->window), "joren-editor", e, (GDestroyNotify) editor_free);
  gtk_window_present (e->window);
  return e->window;
}
