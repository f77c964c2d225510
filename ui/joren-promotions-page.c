/* joren-promotions-page.c: one-touch promotions. The filter is rebuilt
 * from the buttons and fields on every change and counted in a worker
 * thread (joren_segment_run_async), so a lapsed-customers count over a
 * million members never freezes the screen; a newer count cancels the
 * older one. Sending also runs in a worker thread on its own connection. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "joren-catalog.h"
#include "joren-promotion.h"
#include "joren-promotions-page.h"
#include "joren-ui.h"

#define N_SAMPLES 3

struct _JorenPromotionsPage
{
  GtkWidget               parent_instance;

  GtkGrid                *segments_grid;
  GtkGrid                *filter_grid;
  GtkLabel               *count_label;
  GtkDropDown            *channel_dropdown;
  GtkEditable            *subject_entry;
  GtkTextView            *body_view;
  GtkLabel               *preview_label;
  GtkBox                 *output_box;
  GtkWidget              *send_button;
  GtkSpinButton          *days_spin;
  GtkSpinButton          *visits_spin;
  GtkSpinButton          *tier_spin;
  GtkEditable            *spend_entry;
  GtkSpinButton          *top_spin;
  GtkEditable            *product_entry;
  GtkLabel               *product_hint;
  GtkDropDown            *category_dropdown;
  GtkDropDown            *store_dropdown;
  GArray                 *category_ids;   /* gint64 per dropdown item; 0: any */
  gint64                  product_id;     /* the product entry's match; 0: none */
  GtkToggleButton        *segment_buttons[JOREN_PROMOTIONS_TIER + 1];

  JorenDb                *db;
  gint64                  staff_id;
  JorenPromotionsSegment  segment;
  JorenSegmentFilter      filter;
  GDateTime              *from;
  GDateTime              *now;
  guint64                 count;
  GCancellable           *counting;
};

G_DEFINE_FINAL_TYPE (JorenPromotionsPage, joren_promotions_page, GTK_TYPE_WIDGET)

static const char * const segment_labels[] = {
  N_("All customers"), N_("Best customers"), N_("Lapsed"), N_("Birthdays this month"),
  N_("First-time visitors"), N_("Tier"),
};

/* --- the filter --- */

static gint64
get_spend_min (JorenPromotionsPage *self)
{
  const char *text = gtk_editable_get_text (self->spend_entry);

  return *text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static void
apply_preset (JorenPromotionsPage *self)
{
  JorenSegmentFilter *f = &self->filter;
  guint days = gtk_spin_button_get_value_as_int (self->days_spin);

  switch (self->segment)
    {
    case JOREN_PROMOTIONS_BEST:
      joren_segment_preset_best (f, self->from, self->now);
      f->conditions |= JOREN_SEGMENT_SPEND_MIN;
      f->spend_min = MAX (1, get_spend_min (self));
      break;
    case JOREN_PROMOTIONS_LAPSED:
      joren_segment_preset_lapsed (f, self->now, days);
      break;
    case JOREN_PROMOTIONS_BIRTHDAYS:
      joren_segment_preset_birthdays (f, self->now);
      break;
    case JOREN_PROMOTIONS_FIRST_TIME:
      joren_segment_preset_first_time (f, self->from, self->now);
      break;
    case JOREN_PROMOTIONS_TIER:
      joren_segment_preset_tier (f, gtk_spin_button_get_value_as_int (self->tier_spin));
      break;
    case JOREN_PROMOTIONS_ALL:
    default:
      break;
    }
}

/* The selected dropdown item's string; NULL for the first ("any"). */
static const char *
get_store (JorenPromotionsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->store_dropdown);
  GListModel *model = gtk_drop_down_get_model (self->store_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (GTK_STRING_LIST (model), selected);
}

/* Bought a product or from a category in the period, and the store the
 * customer registered at; the best customers' top N. */
static void
add_bought_and_store (JorenPromotionsPage *self)
{
  JorenSegmentFilter *f = &self->filter;
  guint category = gtk_drop_down_get_selected (self->category_dropdown);

  if (self->product_id != 0)
    {
      f->conditions |= JOREN_SEGMENT_BOUGHT_PRODUCT;
      f->product_id = self->product_id;
    }
  if (category != GTK_INVALID_LIST_POSITION && category < self->category_ids->len
      && g_array_index (self->category_ids, gint64, category) != 0)
    {
      f->conditions |= JOREN_SEGMENT_BOUGHT_CATEGORY;
      f->category_id = g_array_index (self->category_ids, gint64, category);
    }
  if (f->conditions & (JOREN_SEGMENT_BOUGHT_PRODUCT | JOREN_SEGMENT_BOUGHT_CATEGORY))
    {
      f->period_from = self->from;
      f->period_to = self->now;
    }
  if ((f->store = get_store (self)) != NULL)
    f->conditions |= JOREN_SEGMENT_STORE;
  if (self->segment == JOREN_PROMOTIONS_BEST)
    f->top_n = gtk_spin_button_get_value_as_int (self->top_spin);
}

/* The filter builder's fields narrow any segment: spend and visits over
 * the period of "days" days. */
static void
build_filter (JorenPromotionsPage *self)
{
  JorenSegmentFilter *f = &self->filter;
  guint days = gtk_spin_button_get_value_as_int (self->days_spin);
  guint visits = gtk_spin_button_get_value_as_int (self->visits_spin);

  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  self->now = g_date_time_new_now_local ();
  self->from = g_date_time_add_days (self->now, -(gint) days);
  memset (f, 0, sizeof *f);
  f->period_from = self->from;
  f->period_to = self->now;
  apply_preset (self);
  if (get_spend_min (self) > 0 && self->segment != JOREN_PROMOTIONS_LAPSED)
    {
      f->conditions |= JOREN_SEGMENT_SPEND_MIN;
      f->spend_min = get_spend_min (self);
      f->period_from = self->from;
      f->period_to = self->now;
    }
  if (visits > 0 && self->segment != JOREN_PROMOTIONS_LAPSED)
    {
      f->conditions |= JOREN_SEGMENT_VISITS_MIN;
      f->visits_min = visits;
      f->period_from = self->from;
      f->period_to = self->now;
    }
  add_bought_and_store (self);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenSegmentPage) page = joren_segment_run_finish (JOREN_DB (source), result, &error);
  JorenPromotionsPage *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JOREN_PROMOTIONS_PAGE (user_data);
  if (page == NULL)
    {
      gtk_label_set_text (self->count_label, error->message);
      return;
    }
  self->count = page->total;
  text = g_strdup_printf (g_dngettext (NULL, "%" PRIu64 " customer",
                                       "%" PRIu64 " customers", page->total),
                          page->total);
  gtk_label_set_text (self->count_label, text);
}

static void
refresh_count (JorenPromotionsPage *self)
{
  if (self->db == NULL)
    return;
  build_filter (self);
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  self->counting = g_cancellable_new ();
  self->count = G_MAXUINT64;
  gtk_label_set_text (self->count_label, _("Counting…"));
  /* The page stays alive while counting: the callback holds a ref. */
  joren_segment_run_async (self->db, &self->filter, 0, 1, self->counting, counted_cb,
                           self);
}

static void
segment_toggled_cb (GtkToggleButton     *button,
                    JorenPromotionsPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  self->segment = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-segment"));
  refresh_count (self);
}

static void
build_segment_buttons (JorenPromotionsPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (segment_labels); i++)
    {
      GtkWidget *button = joren_ui_wrap (gtk_toggle_button_new_with_label (_(segment_labels[i])));

      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->segment_buttons[0]);
      g_object_set_data (G_OBJECT (button), "joren-segment", GUINT_TO_POINTER (i));
      g_signal_connect (button, "toggled", G_CALLBACK (segment_toggled_cb), self);
      gtk_grid_attach (self->segments_grid, button, i % 2, i / 2, 1, 1);
      self->segment_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }
  gtk_toggle_button_set_active (self->segment_buttons[0], TRUE);
}

static GtkSpinButton *
add_spin (JorenPromotionsPage *self,
          int                  row,
          const char          *label,
          double               max,
          double               value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (refresh_count), self);
  gtk_grid_attach (self->filter_grid, joren_ui_wrap (joren_ui_label_new (label, NULL, 0)),
                   0, row, 1, 1);
  gtk_grid_attach (self->filter_grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

static void
attach_field (JorenPromotionsPage *self,
              int                  row,
              const char          *label,
              GtkWidget           *field)
{
  gtk_grid_attach (self->filter_grid, joren_ui_wrap (joren_ui_label_new (label, NULL, 0)),
                   0, row, 1, 1);
  gtk_grid_attach (self->filter_grid, field, 1, row, 1, 1);
}

/* A million-product catalogue cannot fill a list: the product is named
 * by the start of its name or its SKU (the catalogue's prefix search),
 * and the match is shown under the field. */
static void
product_changed_cb (JorenPromotionsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (self->product_entry)));
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *hint = NULL;

  self->product_id = 0;
  if (*text != '\0' && self->db != NULL)
    found = joren_catalog_list_products (self->db, 0, text, TRUE, 0, 1, NULL);
  if (found != NULL && found->len > 0)
    {
      JorenProduct *product = g_ptr_array_index (found, 0);

      self->product_id = product->id;
      hint = g_strdup_printf (_("Bought: %s"), product->name);
    }
  else if (*text != '\0')
    hint = g_strdup_printf (_("No product is called “%s”."), text);
  gtk_label_set_text (self->product_hint, hint ? hint : "");
  refresh_count (self);
}

static GtkDropDown *
add_dropdown (JorenPromotionsPage *self,
              int                  row,
              const char          *label)
{
  GtkWidget *dropdown = gtk_drop_down_new (NULL, NULL);

  g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (refresh_count), self);
  attach_field (self, row, label, dropdown);
  return GTK_DROP_DOWN (dropdown);
}

static void
build_bought_fields (JorenPromotionsPage *self)
{
  GtkWidget *product = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (product), _("name or SKU"));
  g_signal_connect_swapped (product, "changed", G_CALLBACK (product_changed_cb), self);
  attach_field (self, 5, _("Bought in the period"), product);
  self->product_entry = GTK_EDITABLE (product);
  /* Names: the tests find the pickers by them. */
  gtk_widget_set_name (product, "product");
  self->product_hint = GTK_LABEL (joren_ui_label_new ("", "hint", 0));
  gtk_grid_attach (self->filter_grid, GTK_WIDGET (self->product_hint), 1, 6, 1, 1);
  self->category_dropdown = add_dropdown (self, 7, _("Bought from the category"));
  self->store_dropdown = add_dropdown (self, 8, _("Registered at"));
  gtk_widget_set_name (GTK_WIDGET (self->category_dropdown), "category");
  gtk_widget_set_name (GTK_WIDGET (self->store_dropdown), "store");
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* The categories and stores of this database, "any" first. */
static void
load_pickers (JorenPromotionsPage *self)
{
  g_autoptr(GPtrArray) categories = joren_catalog_list_categories (self->db, FALSE, NULL);
  g_auto(GStrv) stores = joren_segment_list_stores (self->db, NULL);
  g_autoptr(GtkStringList) category_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) store_names = gtk_string_list_new (NULL);
  gint64 any = 0;

  g_array_set_size (self->category_ids, 0);
  g_array_append_val (self->category_ids, any);
  gtk_string_list_append (category_names, _("Any category"));
  for (guint i = 0; categories != NULL && i < categories->len; i++)
    {
      JorenCategory *category = g_ptr_array_index (categories, i);

      g_array_append_val (self->category_ids, category->id);
      gtk_string_list_append (category_names, category->name);
    }
  gtk_string_list_append (store_names, _("Any store"));
  for (guint i = 0; stores != NULL && stores[i] != NULL; i++)
    gtk_string_list_append (store_names, stores[i]);
  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (category_names));
  gtk_drop_down_set_model (self->store_dropdown, G_LIST_MODEL (store_names));
}

static void
build_filter_fields (JorenPromotionsPage *self)
{
  GtkWidget *spend = gtk_entry_new ();

  self->days_spin = add_spin (self, 0, _("Period / no visit for (days)"), 3650, 90);
  self->visits_spin = add_spin (self, 1, _("Visits in the period, at least"), 1000, 0);
  self->tier_spin = add_spin (self, 2, _("Tier"), 10, 1);
  gtk_entry_set_input_purpose (GTK_ENTRY (spend), GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_placeholder_text (GTK_ENTRY (spend), _("any"));
  g_signal_connect_swapped (spend, "changed", G_CALLBACK (refresh_count), self);
  gtk_grid_attach (self->filter_grid,
                   joren_ui_wrap (joren_ui_label_new (_("Spend in the period, at least"), NULL, 0)),
                   0, 3, 1, 1);
  gtk_grid_attach (self->filter_grid, spend, 1, 3, 1, 1);
  self->spend_entry = GTK_EDITABLE (spend);
  self->top_spin = add_spin (self, 4, _("Best customers: how many (0: all)"), 100000, 100);
  gtk_widget_set_name (GTK_WIDGET (self->top_spin), "top");
  build_bought_fields (self);
}

/* --- template and preview --- */

static char *
get_body (JorenPromotionsPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static JorenPromotionChannel
get_channel (JorenPromotionsPage *self)
{
  return gtk_drop_down_get_selected (self->channel_dropdown);
}

static void
channel_changed_cb (JorenPromotionsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->subject_entry),
                          get_channel (self) == JOREN_PROMOTION_EMAIL);
}

static GtkWidget *
create_sample (const JorenPromotionMessage *message)
{
  g_autofree char *text = g_strdup_printf ("%s%s%s\n%s", message->to,
                                           message->subject ? " · " : "",
                                           message->subject ? message->subject : "",
                                           message->body);
  GtkWidget *label = joren_ui_label_new (text, "line-detail", 0);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "promotion-sample");
  return label;
}

static void
fill_promotion (JorenPromotionsPage *self,
                JorenPromotion      *promotion,
                char                *body)
{
  JorenPromotionChannel channel = get_channel (self);

  promotion->channel = channel;
  promotion->name = _(segment_labels[self->segment]);
  promotion->subject = channel == JOREN_PROMOTION_EMAIL ? gtk_editable_get_text (self->subject_entry)
                                                        : NULL;
  promotion->body = body;
}

gint64
joren_promotions_page_preview (JorenPromotionsPage *self)
{
  g_autofree char *body = get_body (self);
  g_autoptr(JorenPromotionPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JorenPromotion promotion;

  g_return_val_if_fail (JOREN_IS_PROMOTIONS_PAGE (self), -1);

  build_filter (self);
  fill_promotion (self, &promotion, body);
  preview = joren_promotion_preview (self->db, &self->filter, &promotion, N_SAMPLES, &error);
  joren_ui_remove_all (GTK_WIDGET (self->output_box));
  if (preview == NULL)
    {
      gtk_label_set_text (self->preview_label, error->message);
      return -1;
    }
  text = g_strdup_printf (_("%" PRIu64 " will receive it. Left out: %" PRIu64
                            " without consent, %" PRIu64 " without an address."),
                          preview->recipients, preview->no_consent, preview->no_address);
  gtk_label_set_text (self->preview_label, text);
  for (guint i = 0; i < preview->samples->len; i++)
    gtk_box_append (self->output_box, create_sample (g_ptr_array_index (preview->samples, i)));
  return preview->recipients;
}

static void
preview_clicked_cb (JorenPromotionsPage *self)
{
  joren_promotions_page_preview (self);
}

/* --- the send log --- */

static GtkWidget *
create_run_row (const JorenPromotionRun *run)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (run->created_at);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *text = g_strdup_printf (_("%s · %s · %s: %u sent, %u failed, %u waiting,"
                                             " %u left out"),
                                           when, joren_promotion_channel_to_label (run->channel),
                                           run->name, run->n_sent, run->n_failed, run->n_pending,
                                           run->n_excluded);
  GtkWidget *label = joren_ui_label_new (text, "line-detail", 0);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  return label;
}

static void
show_log (JorenPromotionsPage *self)
{
  g_autoptr(GPtrArray) runs = joren_promotion_list_runs (self->db, 20, NULL);

  joren_ui_remove_all (GTK_WIDGET (self->output_box));
  gtk_box_append (self->output_box, joren_ui_label_new (_("Send log"), "section-title", 0));
  for (guint i = 0; runs && i < runs->len; i++)
    gtk_box_append (self->output_box, create_run_row (g_ptr_array_index (runs, i)));
}

/* --- send --- */

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JorenPromotionsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->send_button, TRUE);
  if (!joren_promotion_send_finish (JOREN_DB (source), result, NULL, &error))
    gtk_label_set_text (self->preview_label, error->message);
  else
    gtk_label_set_text (self->preview_label, _("Done. The send log shows who got it."));
  show_log (self);
}

static char *
paper_path (JorenPromotionChannel channel)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("joren-%s-%s.pdf",
                                           joren_promotion_channel_to_string (channel), stamp);

  return g_build_filename (dir ? dir : g_get_home_dir (), name, NULL);
}

static void
send_confirmed_cb (int      index,
                   gpointer user_data)
{
  JorenPromotionsPage *self = user_data;
  g_autofree char *body = get_body (self);
  g_autofree char *path = NULL;
  JorenPromotion promotion;

  build_filter (self);
  fill_promotion (self, &promotion, body);
  if (promotion.channel != JOREN_PROMOTION_EMAIL)
    path = paper_path (promotion.channel);
  gtk_widget_set_sensitive (self->send_button, FALSE);
  gtk_label_set_text (self->preview_label, path ? path : _("Sending…"));
  joren_promotion_send_async (self->db, &self->filter, &promotion, self->staff_id, path, NULL,
                              sent_cb, g_object_ref (self));
}

static void
send_clicked_cb (JorenPromotionsPage *self)
{
  gint64 n = joren_promotions_page_preview (self);
  g_autofree char *question = NULL;

  if (n <= 0)
    return;
  question = g_strdup_printf (g_dngettext (NULL, "Send to %" PRId64 " customer now?",
                                           "Send to %" PRId64 " customers now?", n), n);
  joren_ui_confirm (GTK_WIDGET (self), question, _("Send"), send_confirmed_cb, self);
}

/* --- GObject --- */

static void
joren_promotions_page_dispose (GObject *object)
{
  JorenPromotionsPage *self = JOREN_PROMOTIONS_PAGE (object);

  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  g_clear_object (&self->db);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->category_ids, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_PROMOTIONS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (joren_promotions_page_parent_class)->dispose (object);
}

static void
joren_promotions_page_class_init (JorenPromotionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_promotions_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-promotions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, segments_grid);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, filter_grid);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, body_view);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, output_box);
  gtk_widget_class_bind_template_child (widget_class, JorenPromotionsPage, send_button);
  gtk_widget_class_bind_template_callback (widget_class, channel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_promotions_page_init (JorenPromotionsPage *self)
{
  const char *channels[] = { _("E-mail"), _("Postcards"), _("Address labels"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (channels);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->channel_dropdown, G_LIST_MODEL (model));
  build_filter_fields (self);
  build_segment_buttons (self);
  joren_promotions_page_set_template (self, _("{name}, a little thank-you from {shop}"),
                                      _("Dear {name},\n\nthank you for coming to {shop}."
                                        " You have {points} points waiting for you.\n\nSee you soon!"));
}

GtkWidget *
joren_promotions_page_new (void)
{
  return g_object_new (JOREN_TYPE_PROMOTIONS_PAGE, NULL);
}

void
joren_promotions_page_set_db (JorenPromotionsPage *self,
                              JorenDb             *db)
{
  g_return_if_fail (JOREN_IS_PROMOTIONS_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));

  g_set_object (&self->db, db);
  load_pickers (self);
  refresh_count (self);
  show_log (self);
}

void
joren_promotions_page_set_staff (JorenPromotionsPage *self,
                                 gint64               staff_id)
{
  g_return_if_fail (JOREN_IS_PROMOTIONS_PAGE (self));

  self->staff_id = staff_id;
}

void
joren_promotions_page_choose (JorenPromotionsPage    *self,
                              JorenPromotionsSegment  segment)
{
  g_return_if_fail (JOREN_IS_PROMOTIONS_PAGE (self));
  g_return_if_fail (segment <= JOREN_PROMOTIONS_TIER);

  gtk_toggle_button_set_active (self->segment_buttons[segment], TRUE);
}

guint64
joren_promotions_page_get_count (JorenPromotionsPage *self)
{
  g_return_val_if_fail (JOREN_IS_PROMOTIONS_PAGE (self), 0);

  return self->count;
}

void
joren_promotions_page_set_template (JorenPromotionsPage *self,
                                    const char          *subject,
                                    const char          *body)
{
  g_return_if_fail (JOREN_IS_PROMOTIONS_PAGE (self));

  gtk_editable_set_text (self->subject_entry, subject ? subject : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body ? body : "", -1);
}
