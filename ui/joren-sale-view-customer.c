/* joren-sale-view-customer.c: the customer at the register. The reception
 * panel over the lines tells the cashier who is at the counter (visits,
 * last visit, spend, favourites, birthday, points) with the one-line hint
 * on top, because that line is what a cashier reads in the second before
 * saying hello. A scanned code no product has is tried as a member card;
 * an unknown card is offered for registration in a bar inside the view,
 * never a modal, so the next scan still goes through. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRId64 inside _(): gettext translates it, not G_GINT64_FORMAT */

#include "joren-barcode.h"
#include "joren-customer-dialog.h"
#include "joren-customer-form.h"
#include "joren-error.h"
#include "joren-punch.h"
#include "joren-ui.h"
#include "joren-sale-view-private.h"

static char *
describe_visits (const JorenCustomerSummary *summary)
{
  if (summary->visit_count == 0)
    return g_strdup (_("First visit"));
  if (summary->days_since_visit == 0)
    /* TRANSLATORS: visits so far, last visit today */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u visit · last today",
                                         "%u visits · last today", summary->visit_count),
                            summary->visit_count);
  /* TRANSLATORS: "12 visits · last 5 days ago"; the day count is the second number */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u visit · last %d days ago",
                                       "%u visits · last %d days ago", summary->visit_count),
                          summary->visit_count, summary->days_since_visit);
}

static char *
describe_stats (JorenSaleView              *self,
                const JorenCustomerSummary *summary)
{
  g_autofree char *visits = describe_visits (summary);
  g_autofree char *spend = joren_money_format (summary->total_spend, self->shop->currency);

  /* TRANSLATORS: visits, total spend, points balance */
  return g_strdup_printf (_("%s · spent %s · %" PRId64 " points"),
                          visits, spend, summary->points);
}

static char *
describe_extra (const JorenCustomerSummary *summary)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) favourites = g_string_new (NULL);

  /* favourites is NULL-padded, not NULL-terminated: all three may be set. */
  for (guint i = 0; i < G_N_ELEMENTS (summary->favourites) && summary->favourites[i]; i++)
    g_string_append_printf (favourites, "%s%s", i > 0 ? ", " : "", summary->favourites[i]);
  if (favourites->len > 0)
    g_string_append_printf (text, _("Likes %s"), favourites->str);
  if (summary->birthday_soon)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      if (summary->days_to_birthday == 0)
        g_string_append (text, _("Birthday today!"));
      else
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Birthday in %d day",
                                                   "Birthday in %d days", summary->days_to_birthday),
                                summary->days_to_birthday);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_optional_label (GtkLabel   *label,
                    const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update_panel (JorenSaleView *self)
{
  g_auto(JorenCustomerSummary) summary = { 0 };
  g_autofree char *hint = NULL;
  g_autofree char *stats = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (self->customer_panel, self->customer != NULL);
  if (self->customer == NULL)
    return;
  gtk_label_set_text (self->customer_name_label, self->customer->name);
  gtk_label_set_text (self->customer_member_label, self->customer->member_no);
  if (!joren_customer_summary (self->db, self->customer, NULL, &summary, &error))
    {
      set_optional_label (self->customer_hint_label, error->message);
      return;
    }
  hint = joren_customer_hint (self->db, self->customer, &summary);
  stats = describe_stats (self, &summary);
  extra = describe_extra (&summary);
  set_optional_label (self->customer_hint_label, hint);
  gtk_label_set_text (self->customer_stats_label, stats);
  set_optional_label (self->customer_extra_label, extra);
  joren_sale_view_update_punch (self);
}

/* --- count cards and stamps --- */

static char *
describe_card (JorenSaleView        *self,
               const JorenPunchCard *card)
{
  gint64 left = card->visits_left - joren_punch_visits_on_sale (self->sale, card->id);
  g_autofree char *visits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%" PRId64 " visit left",
                                                          "%" PRId64 " visits left", left),
                                             left);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *until = NULL;

  if (card->expires_at == NULL)
    return g_strdup_printf ("%s · %s", card->name, visits);
  local = g_date_time_to_local (card->expires_at);
  until = g_date_time_format (local, "%Y-%m-%d");
  /* TRANSLATORS: count card name · "9 visits left" · until a date */
  return g_strdup_printf (_("%s · %s · until %s"), card->name, visits, until);
}

/* A row of the panel: what it is, and a thumb-sized button. */
static GtkWidget *
add_punch_row (JorenSaleView *self,
               const char    *text,
               const char    *button_label,
               GCallback      clicked,
               gint64         id)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *button;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (row, "punch-row");
  gtk_box_append (GTK_BOX (row), label);
  if (button_label != NULL)
    {
      button = gtk_button_new_with_label (button_label);
      gtk_widget_add_css_class (button, "punch-use");
      g_object_set_data (G_OBJECT (button), "joren-id", GSIZE_TO_POINTER ((gsize) id));
      g_signal_connect_swapped (button, "clicked", clicked, self);
      gtk_box_append (GTK_BOX (row), button);
    }
  gtk_box_append (GTK_BOX (self->punch_box), row);
  return row;
}

static gint64
clicked_id (GtkButton *button)
{
  return (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "joren-id"));
}

/* Swapped: self first, the button second. */
static void
use_visit_clicked_cb (JorenSaleView *self,
                      GtkButton     *button)
{
  g_autoptr(GError) error = NULL;

  if (!joren_sale_view_check_editable (self, &error)
      || joren_punch_add_visit (self->db, self->sale, clicked_id (button), &error) == G_MAXUINT)
    joren_sale_view_emit_message (self, error->message);
}

static void
free_item_clicked_cb (JorenSaleView *self,
                      GtkButton     *button)
{
  g_autoptr(GError) error = NULL;

  if (!joren_sale_view_check_editable (self, &error)
      || !joren_punch_apply_free_item (self->db, self->sale, clicked_id (button), &error))
    joren_sale_view_emit_message (self, error->message);
}

static void
add_card_rows (JorenSaleView *self,
               gint64         customer_id)
{
  g_autoptr(GPtrArray) cards = joren_punch_list_cards (self->db, customer_id, NULL, NULL);
  gboolean refund = joren_sale_get_kind (self->sale) != JOREN_SALE_KIND_SALE;

  for (guint i = 0; cards != NULL && i < cards->len; i++)
    {
      JorenPunchCard *card = g_ptr_array_index (cards, i);
      g_autofree char *text = describe_card (self, card);
      gboolean usable = card->visits_left > joren_punch_visits_on_sale (self->sale, card->id);

      add_punch_row (self, text, refund || !usable ? NULL : _("Use a visit"),
                     G_CALLBACK (use_visit_clicked_cb), card->id);
    }
}

static void
add_stamp_rows (JorenSaleView *self,
                gint64         customer_id)
{
  g_autoptr(GPtrArray) stamps = joren_punch_list_stamps (self->db, customer_id, NULL);
  gint64 offer = joren_punch_free_item_offer (self->db, self->sale);

  for (guint i = 0; stamps != NULL && i < stamps->len; i++)
    {
      JorenStampBalance *balance = g_ptr_array_index (stamps, i);
      /* TRANSLATORS: stamp card name, then "7/10 stamps" */
      g_autofree char *text = g_strdup_printf (_("%s · %" PRId64 "/%u stamps"), balance->name,
                                               balance->stamps, balance->stamps_needed);

      add_punch_row (self, text, offer == balance->programme_id ? _("Free item") : NULL,
                     G_CALLBACK (free_item_clicked_cb), balance->programme_id);
    }
}

void
joren_sale_view_update_punch (JorenSaleView *self)
{
  gint64 customer_id = joren_sale_get_customer_id (self->sale);

  joren_ui_remove_all (self->punch_box);
  if (customer_id == 0 || self->db == NULL)
    return;
  add_card_rows (self, customer_id);
  add_stamp_rows (self, customer_id);
}

static void
hide_card_offer (JorenSaleView *self)
{
  g_clear_pointer (&self->unknown_card, g_free);
  gtk_revealer_set_reveal_child (self->card_revealer, FALSE);
}

/* Takes customer (may be NULL). */
static void
take_customer (JorenSaleView *self,
               JorenCustomer *customer)
{
  g_clear_pointer (&self->customer, joren_customer_free);
  self->customer = customer;
  update_panel (self);
}

void
joren_sale_view_sync_customer (JorenSaleView *self)
{
  gint64 id = joren_sale_get_customer_id (self->sale);
  g_autoptr(GError) error = NULL;
  JorenCustomer *customer = NULL;

  hide_card_offer (self);
  if (id != 0)
    {
      customer = joren_customer_get (self->db, id, &error);
      if (customer == NULL)
        joren_sale_view_emit_message (self, error->message);
    }
  take_customer (self, customer);
}

void
joren_sale_view_set_customer (JorenSaleView       *self,
                              const JorenCustomer *customer)
{
  g_return_if_fail (JOREN_IS_SALE_VIEW (self));
  g_return_if_fail (customer == NULL || customer->id > 0);

  /* The sale holds the id; the panel reads the customer back from it. */
  joren_sale_set_customer (self->sale, customer ? customer->id : 0);
  joren_sale_view_sync_customer (self);
}

const JorenCustomer *
joren_sale_view_get_customer (JorenSaleView *self)
{
  g_return_val_if_fail (JOREN_IS_SALE_VIEW (self), NULL);

  return self->customer;
}

const char *
joren_sale_view_get_customer_hint (JorenSaleView *self)
{
  g_return_val_if_fail (JOREN_IS_SALE_VIEW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->customer_hint_label))
         ? gtk_label_get_text (self->customer_hint_label) : "";
}

/* A GTIN from a manufacturer is a product we lack, never a member card. */
static gboolean
may_be_card (const char *code)
{
  JorenBarcode barcode;

  return !joren_barcode_parse (code, &barcode, NULL) ||
         barcode.kind == JOREN_BARCODE_CODE128 || barcode.in_store;
}

static void
offer_card (JorenSaleView *self,
            const char    *code)
{
  g_autofree char *text = g_strdup_printf (_("No product or member has the code %s."), code);

  g_free (self->unknown_card);
  self->unknown_card = g_strdup (code);
  gtk_label_set_text (self->card_label, text);
  gtk_revealer_set_reveal_child (self->card_revealer, TRUE);
}

gboolean
joren_sale_view_scan_card (JorenSaleView *self,
                           const char    *code)
{
  g_autofree char *stripped = g_strstrip (g_strdup (code));
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenCustomer) customer = NULL;

  customer = joren_customer_find_by_card (self->db, stripped, &error);
  if (customer == NULL)
    {
      if (!g_error_matches (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND))
        g_warning ("Card lookup failed: %s", error->message);
      else if (may_be_card (stripped))
        offer_card (self, stripped);
      return FALSE;
    }
  joren_sale_view_set_customer (self, customer);
  return TRUE;
}

static void
customer_chosen_cb (const JorenCustomer *customer,
                    gpointer             user_data)
{
  joren_sale_view_set_customer (JOREN_SALE_VIEW (user_data), customer);
}

static void
customer_clicked_cb (JorenSaleView *self)
{
  g_autoptr(GError) error = NULL;

  if (!joren_sale_view_check_editable (self, &error))
    {
      joren_sale_view_emit_message (self, error->message);
      return;
    }
  joren_customer_dialog_run (GTK_WIDGET (self), self->db, customer_chosen_cb, self);
}

static void
detach_customer_clicked_cb (JorenSaleView *self)
{
  joren_sale_view_set_customer (self, NULL);
}

static void
register_card_clicked_cb (JorenSaleView *self)
{
  g_autofree char *card = g_steal_pointer (&self->unknown_card);

  hide_card_offer (self);
  if (card != NULL)
    joren_customer_form_run (GTK_WIDGET (self), self->db, card, NULL, customer_chosen_cb, self);
}

static void
dismiss_card_clicked_cb (JorenSaleView *self)
{
  hide_card_offer (self);
}

void
joren_sale_view_customer_finalize (JorenSaleView *self)
{
  g_clear_pointer (&self->customer, joren_customer_free);
  g_clear_pointer (&self->unknown_card, g_free);
}

void
joren_sale_view_customer_bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, customer_panel);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, customer_name_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, customer_member_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, customer_hint_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, customer_stats_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, customer_extra_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, punch_box);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, card_revealer);
  gtk_widget_class_bind_template_child (widget_class, JorenSaleView, card_label);
  gtk_widget_class_bind_template_callback (widget_class, customer_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, detach_customer_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_card_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_card_clicked_cb);
}
