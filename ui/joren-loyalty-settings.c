/* joren-loyalty-settings.c: the back office's Loyalty page. Every form
 * writes through the data layer (joren-points.h, joren-punch.h), which
 * checks the values; the page only turns entries into numbers and shows
 * the data layer's message when it refuses. Products are named by name or
 * SKU (the first match of the catalogue's prefix search), because a
 * million-product catalogue cannot fill a drop-down. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRId64 inside _() */

#include "joren-authorize.h"
#include "joren-catalog.h"
#include "joren-error.h"
#include "joren-loyalty-settings.h"
#include "joren-points.h"
#include "joren-punch.h"
#include "joren-ui.h"

#define BP 10000
#define NO_CATEGORY "—"

struct _JorenLoyaltySettings
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  GtkSpinButton  *earn_amount_spin;
  GtkSpinButton  *earn_points_spin;
  GtkSpinButton  *redeem_points_spin;
  GtkSpinButton  *redeem_value_spin;
  GtkSpinButton  *redeem_min_spin;
  GtkSpinButton  *expiry_spin;
  GtkSpinButton  *tier_months_spin;
  GtkListBox     *tiers_box;
  GtkSpinButton  *tier_level_spin;
  GtkEditable    *tier_name_entry;
  GtkSpinButton  *tier_spend_spin;
  GtkSpinButton  *tier_multiplier_spin;
  GtkListBox     *rules_box;
  GtkDropDown    *rule_kind_dropdown;
  GtkEditable    *rule_product_entry;
  GtkDropDown    *rule_category_dropdown;
  GtkSpinButton  *rule_multiplier_spin;
  GtkEditable    *rule_from_entry;
  GtkEditable    *rule_to_entry;
  GtkListBox     *cards_box;
  GtkEditable    *card_product_entry;
  GtkSpinButton  *card_visits_spin;
  GtkSpinButton  *card_days_spin;
  GtkEditable    *card_covers_entry;
  GtkDropDown    *card_category_dropdown;
  GtkListBox     *stamps_box;
  GtkEditable    *stamp_name_entry;
  GtkEditable    *stamp_product_entry;
  GtkDropDown    *stamp_category_dropdown;
  GtkSpinButton  *stamp_needed_spin;
  GtkEditable    *grant_search_entry;
  GtkLabel       *grant_customer_label;
  GtkSpinButton  *grant_points_spin;
  GtkEditable    *grant_reason_entry;

  JorenDb        *db;
  GArray         *category_ids;   /* gint64, index-aligned with the drop-downs; 0: none */
  GtkStringList  *category_names;
  gint64          grant_customer_id;
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenLoyaltySettings, joren_loyalty_settings, GTK_TYPE_WIDGET)

static void
emit_message (JorenLoyaltySettings *self,
              const char           *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

/* Reports a data-layer result: TRUE, or the message and FALSE. */
static gboolean
check (JorenLoyaltySettings *self,
       gboolean              ok,
       GError               *error)
{
  if (!ok && error != NULL)
    emit_message (self, error->message);
  return ok;
}

static gint64
spin_value (GtkSpinButton *spin)
{
  return (gint64) gtk_spin_button_get_value_as_int (spin);
}

/* --- names of things ------------------------------------------------ */

/* The first product whose name or SKU starts with the entry's text;
 * 0 when the entry is empty (error unset) or nothing matches. */
static gint64
product_from_entry (JorenLoyaltySettings  *self,
                    GtkEditable           *entry,
                    GError               **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GPtrArray) found = NULL;

  if (*text == '\0')
    return 0;
  found = joren_catalog_list_products (self->db, 0, text, TRUE, 0, 1, error);
  if (found == NULL)
    return 0;
  if (found->len == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                   _("No product is called “%s”."), text);
      return 0;
    }
  return ((JorenProduct *) g_ptr_array_index (found, 0))->id;
}

static char *
product_name (JorenLoyaltySettings *self,
              gint64                id)
{
  g_autoptr(JorenProduct) product = id != 0 ? joren_catalog_get_product (self->db, id, NULL)
                                            : NULL;

  return g_strdup (product != NULL ? product->name : "");
}

static const char *
category_name (JorenLoyaltySettings *self,
               gint64                id)
{
  for (guint i = 1; i < self->category_ids->len; i++)
    if (g_array_index (self->category_ids, gint64, i) == id)
      return gtk_string_list_get_string (self->category_names, i);
  return "";
}

static gint64
selected_category (JorenLoyaltySettings *self,
                   GtkDropDown          *dropdown)
{
  guint index = gtk_drop_down_get_selected (dropdown);

  return index < self->category_ids->len ? g_array_index (self->category_ids, gint64, index) : 0;
}

/* "Coffee" or "every item of Coffee": what a rule, card or stamp counts. */
static char *
describe_target (JorenLoyaltySettings *self,
                 gint64                product_id,
                 gint64                category_id)
{
  g_autofree char *product = product_name (self, product_id);

  if (category_id == 0)
    return g_steal_pointer (&product);
  if (product_id == 0)
    return g_strdup_printf (_("any %s"), category_name (self, category_id));
  /* TRANSLATORS: a product, or any item of a category */
  return g_strdup_printf (_("%s or any %s"), product, category_name (self, category_id));
}

static void
load_categories (JorenLoyaltySettings *self)
{
  g_autoptr(GPtrArray) categories = joren_catalog_list_categories (self->db, FALSE, NULL);
  gint64 none = 0;

  g_array_set_size (self->category_ids, 0);
  g_array_append_val (self->category_ids, none);
  gtk_string_list_splice (self->category_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->category_names)), NULL);
  gtk_string_list_append (self->category_names, NO_CATEGORY);
  for (guint i = 0; categories != NULL && i < categories->len; i++)
    {
      JorenCategory *category = g_ptr_array_index (categories, i);

      g_array_append_val (self->category_ids, category->id);
      gtk_string_list_append (self->category_names, category->name);
    }
}

/* --- list rows ------------------------------------------------------ */

/* A row with its text and, when remove is set, a Remove button that
 * calls it with the id. */
static void
append_row (JorenLoyaltySettings *self,
            GtkListBox           *box,
            const char           *text,
            GCallback             remove,
            gint64                id)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = joren_ui_label_new (text, "line-name", 0);
  GtkWidget *button;

  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (row, "customer-row");
  gtk_box_append (GTK_BOX (row), label);
  if (remove != NULL)
    {
      button = gtk_button_new_with_label (_("Remove"));
      g_object_set_data (G_OBJECT (button), "joren-id", GSIZE_TO_POINTER ((gsize) id));
      g_signal_connect_swapped (button, "clicked", remove, self);
      gtk_box_append (GTK_BOX (row), button);
    }
  gtk_list_box_append (box, row);
}

static gint64
row_id (GtkWidget *button)
{
  return (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "joren-id"));
}

/* --- points settings ------------------------------------------------ */

static void
load_points (JorenLoyaltySettings *self)
{
  JorenPointsSettings settings;

  joren_points_get_settings (self->db, &settings);
  gtk_spin_button_set_value (self->earn_amount_spin, (double) settings.earn_amount);
  gtk_spin_button_set_value (self->earn_points_spin, (double) settings.earn_points);
  gtk_spin_button_set_value (self->redeem_points_spin, (double) settings.redeem_points);
  gtk_spin_button_set_value (self->redeem_value_spin, (double) settings.redeem_value);
  gtk_spin_button_set_value (self->redeem_min_spin, (double) settings.redeem_min);
  gtk_spin_button_set_value (self->expiry_spin, (double) settings.expiry_months);
  gtk_spin_button_set_value (self->tier_months_spin, (double) settings.tier_months);
}

static void
save_points_clicked_cb (JorenLoyaltySettings *self)
{
  g_autoptr(GError) error = NULL;
  JorenPointsSettings settings = {
    spin_value (self->earn_amount_spin), spin_value (self->earn_points_spin),
    spin_value (self->redeem_points_spin), spin_value (self->redeem_value_spin),
    spin_value (self->redeem_min_spin), spin_value (self->expiry_spin),
    spin_value (self->tier_months_spin),
  };

  if (check (self, joren_points_set_settings (self->db, &settings, &error), error))
    emit_message (self, _("Points settings saved."));
}

/* --- tiers ---------------------------------------------------------- */

static void
load_tiers (JorenLoyaltySettings *self)
{
  g_autoptr(GPtrArray) tiers = joren_points_list_tiers (self->db, NULL);

  joren_ui_remove_all (GTK_WIDGET (self->tiers_box));
  for (guint i = 0; tiers != NULL && i < tiers->len; i++)
    {
      JorenPointsTier *tier = g_ptr_array_index (tiers, i);
      /* TRANSLATORS: tier level, name, spend to reach it, multiplier % */
      g_autofree char *text = g_strdup_printf (_("%u · %s · from %" PRId64 " · %u %%"),
                                               tier->level, tier->name, tier->min_spend,
                                               tier->multiplier_bp * 100 / BP);

      append_row (self, self->tiers_box, text, NULL, tier->level);
    }
}

/* Tapping a tier fills the form: saving the same level edits it. */
static void
tier_activated_cb (JorenLoyaltySettings *self,
                   GtkListBoxRow        *row)
{
  g_autoptr(GPtrArray) tiers = joren_points_list_tiers (self->db, NULL);
  guint index = (guint) gtk_list_box_row_get_index (row);
  JorenPointsTier *tier;

  if (tiers == NULL || index >= tiers->len)
    return;
  tier = g_ptr_array_index (tiers, index);
  gtk_spin_button_set_value (self->tier_level_spin, tier->level);
  gtk_editable_set_text (self->tier_name_entry, tier->name);
  gtk_spin_button_set_value (self->tier_spend_spin, (double) tier->min_spend);
  gtk_spin_button_set_value (self->tier_multiplier_spin, tier->multiplier_bp * 100.0 / BP);
}

static void
save_tier_clicked_cb (JorenLoyaltySettings *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (self->tier_name_entry)));
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    {
      emit_message (self, _("Give the tier a name."));
      return;
    }
  if (check (self, joren_points_set_tier (self->db, (guint) spin_value (self->tier_level_spin),
                                          name, spin_value (self->tier_spend_spin),
                                          (guint) spin_value (self->tier_multiplier_spin) * 100,
                                          &error), error))
    load_tiers (self);
}

/* --- earning rules -------------------------------------------------- */

static char *
describe_rule (JorenLoyaltySettings  *self,
               const JorenPointsRule *rule)
{
  g_autofree char *target = describe_target (self, rule->product_id, rule->category_id);

  if (rule->kind == JOREN_POINTS_RULE_EXCLUDE)
    return g_strdup_printf (_("%s earns no points"), target);
  if (rule->kind == JOREN_POINTS_RULE_WINDOW)
    return g_strdup_printf (_("%02u:%02u–%02u:%02u · %u %% points"),
                            rule->minute_from / 60, rule->minute_from % 60,
                            rule->minute_to / 60, rule->minute_to % 60,
                            rule->multiplier_bp * 100 / BP);
  return g_strdup_printf (_("%s · %u %% points"), target, rule->multiplier_bp * 100 / BP);
}

static void
remove_rule_clicked_cb (JorenLoyaltySettings *self,
                        GtkWidget            *button);

static void
load_rules (JorenLoyaltySettings *self)
{
  g_autoptr(GArray) rules = joren_points_list_rules (self->db, NULL);

  joren_ui_remove_all (GTK_WIDGET (self->rules_box));
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      const JorenPointsRule *rule = &g_array_index (rules, JorenPointsRule, i);
      g_autofree char *text = describe_rule (self, rule);

      append_row (self, self->rules_box, text, G_CALLBACK (remove_rule_clicked_cb), rule->id);
    }
}

static void
remove_rule_clicked_cb (JorenLoyaltySettings *self,
                        GtkWidget            *button)
{
  g_autoptr(GError) error = NULL;

  if (check (self, joren_points_remove_rule (self->db, row_id (button), &error), error))
    load_rules (self);
}

/* "HH:MM" as minutes of the day; fallback when empty; G_MAXUINT when bad. */
static guint
parse_minutes (GtkEditable *entry,
               guint        fallback)
{
  const char *text = gtk_editable_get_text (entry);
  guint hours, minutes;
  char end;

  if (*text == '\0')
    return fallback;
  if (sscanf (text, "%u:%u%c", &hours, &minutes, &end) != 2 || hours > 24 || minutes > 59
      || hours * 60 + minutes > 1440)
    return G_MAXUINT;
  return hours * 60 + minutes;
}

static gboolean
fill_rule (JorenLoyaltySettings  *self,
           JorenPointsRule       *rule,
           GError               **error)
{
  rule->kind = (JorenPointsRuleKind) gtk_drop_down_get_selected (self->rule_kind_dropdown);
  rule->multiplier_bp = (guint) spin_value (self->rule_multiplier_spin) * 100;
  rule->minute_from = parse_minutes (self->rule_from_entry, 0);
  rule->minute_to = parse_minutes (self->rule_to_entry, 1440);
  if (rule->kind == JOREN_POINTS_RULE_WINDOW)
    {
      if (rule->minute_from != G_MAXUINT && rule->minute_to != G_MAXUINT)
        return TRUE;
      g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                           _("Enter the times as HH:MM, such as 15:00."));
      return FALSE;
    }
  rule->minute_from = 0;
  rule->minute_to = 1440;
  rule->product_id = product_from_entry (self, self->rule_product_entry, error);
  rule->category_id = rule->product_id == 0 ? selected_category (self, self->rule_category_dropdown)
                                            : 0;
  if (rule->product_id != 0 || rule->category_id != 0)
    return TRUE;
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                         _("Name the product or choose the category of the rule."));
  return FALSE;
}

static void
add_rule_clicked_cb (JorenLoyaltySettings *self)
{
  g_autoptr(GError) error = NULL;
  JorenPointsRule rule = { 0 };

  if (check (self, fill_rule (self, &rule, &error)
                   && joren_points_add_rule (self->db, &rule, &error), error))
    load_rules (self);
}

/* --- count cards ---------------------------------------------------- */

static void remove_card_clicked_cb (JorenLoyaltySettings *self, GtkWidget *button);

static void
load_cards (JorenLoyaltySettings *self)
{
  g_autoptr(GArray) products = joren_punch_list_products (self->db, NULL);

  joren_ui_remove_all (GTK_WIDGET (self->cards_box));
  for (guint i = 0; products != NULL && i < products->len; i++)
    {
      const JorenPunchProduct *p = &g_array_index (products, JorenPunchProduct, i);
      g_autofree char *name = product_name (self, p->product_id);
      g_autofree char *target = describe_target (self, p->covers_product_id, p->covers_category_id);
      /* TRANSLATORS: card product · "11 visits of" what · valid days */
      g_autofree char *text = g_strdup_printf (_("%s · %u visits of %s · %u days"), name,
                                               p->visits, target, p->valid_days);

      append_row (self, self->cards_box, text, G_CALLBACK (remove_card_clicked_cb), p->product_id);
    }
}

static void
remove_card_clicked_cb (JorenLoyaltySettings *self,
                        GtkWidget            *button)
{
  g_autoptr(GError) error = NULL;

  if (check (self, joren_punch_remove_product (self->db, row_id (button), &error), error))
    load_cards (self);
}

static void
save_card_clicked_cb (JorenLoyaltySettings *self)
{
  g_autoptr(GError) error = NULL;
  JorenPunchProduct card = { 0 };

  card.product_id = product_from_entry (self, self->card_product_entry, &error);
  if (error == NULL)
    card.covers_product_id = product_from_entry (self, self->card_covers_entry, &error);
  if (error == NULL && card.product_id == 0)
    g_set_error_literal (&error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                         _("Name the product that is sold as the count card."));
  if (error != NULL)
    {
      emit_message (self, error->message);
      return;
    }
  card.visits = (guint) spin_value (self->card_visits_spin);
  card.valid_days = (guint) spin_value (self->card_days_spin);
  card.covers_category_id = selected_category (self, self->card_category_dropdown);
  if (check (self, joren_punch_set_product (self->db, &card, &error), error))
    load_cards (self);
}

/* --- stamp cards ---------------------------------------------------- */

static void remove_stamp_clicked_cb (JorenLoyaltySettings *self, GtkWidget *button);

static void
load_stamps (JorenLoyaltySettings *self)
{
  g_autoptr(GPtrArray) programmes = joren_punch_list_programmes (self->db, NULL);

  joren_ui_remove_all (GTK_WIDGET (self->stamps_box));
  for (guint i = 0; programmes != NULL && i < programmes->len; i++)
    {
      JorenStampProgramme *p = g_ptr_array_index (programmes, i);
      g_autofree char *target = describe_target (self, p->product_id, p->category_id);
      /* TRANSLATORS: stamp card name · "every 10th" item free */
      g_autofree char *text = g_strdup_printf (_("%s · every %uth %s free"), p->name,
                                               p->stamps_needed, target);

      append_row (self, self->stamps_box, text, G_CALLBACK (remove_stamp_clicked_cb), p->id);
    }
}

static void
remove_stamp_clicked_cb (JorenLoyaltySettings *self,
                         GtkWidget            *button)
{
  g_autoptr(GError) error = NULL;

  if (check (self, joren_punch_remove_programme (self->db, row_id (button), &error), error))
    load_stamps (self);
}

static void
add_stamp_clicked_cb (JorenLoyaltySettings *self)
{
  g_autoptr(GError) error = NULL;
  JorenStampProgramme programme = { 0 };

  programme.product_id = product_from_entry (self, self->stamp_product_entry, &error);
  if (error != NULL)
    {
      emit_message (self, error->message);
      return;
    }
  programme.name = (char *) gtk_editable_get_text (self->stamp_name_entry);
  programme.category_id = selected_category (self, self->stamp_category_dropdown);
  programme.stamps_needed = (guint) spin_value (self->stamp_needed_spin);
  if (check (self, joren_punch_add_programme (self->db, &programme, &error), error))
    load_stamps (self);
}

/* --- a manual grant ------------------------------------------------- */

static gboolean
is_digits (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '-' && *p != ' ' && *p != '+')
      return FALSE;
  return *text != '\0';
}

static JorenCustomer *
first_of (GPtrArray *found)
{
  if (found == NULL || found->len == 0)
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

JorenCustomer *
joren_loyalty_settings_find_customer (JorenDb     *db,
                                      const char  *text,
                                      GError     **error)
{
  g_autofree char *key = g_strstrip (g_strdup (text));
  g_autoptr(GPtrArray) found = NULL;
  JorenCustomer *customer;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  customer = joren_customer_find_by_card (db, key, NULL);
  if (customer == NULL && is_digits (key))
    found = strlen (key) == 4 ? joren_customer_find_by_last4 (db, key, 1, NULL)
                              : joren_customer_find_by_phone (db, key, NULL);
  else if (customer == NULL)
    found = joren_customer_find_by_name (db, key, 1, NULL);
  if (customer == NULL)
    customer = first_of (found);
  if (customer == NULL)
    g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_NOT_FOUND,
                 _("No customer matches “%s”."), key);
  return customer;
}

static void
find_customer_clicked_cb (JorenLoyaltySettings *self)
{
  g_autoptr(JorenCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  customer = joren_loyalty_settings_find_customer (self->db,
                                                   gtk_editable_get_text (self->grant_search_entry),
                                                   &error);
  self->grant_customer_id = customer != NULL ? customer->id : 0;
  if (customer == NULL)
    {
      gtk_label_set_text (self->grant_customer_label, error->message);
      return;
    }
  /* TRANSLATORS: member number, name, points balance */
  text = g_strdup_printf (_("%s · %s · %" PRId64 " points"), customer->member_no, customer->name,
                          joren_points_balance (self->db, customer->id, NULL));
  gtk_label_set_text (self->grant_customer_label, text);
}

static void
grant_authorized_cb (const JorenStaff *authorizer,
                     gpointer          user_data)
{
  JorenLoyaltySettings *self = JOREN_LOYALTY_SETTINGS (user_data);
  g_autoptr(GError) error = NULL;

  if (!check (self, joren_points_adjust (self->db, self->grant_customer_id,
                                         spin_value (self->grant_points_spin),
                                         gtk_editable_get_text (self->grant_reason_entry),
                                         authorizer->id, &error), error))
    return;
  emit_message (self, _("Points granted."));
  gtk_editable_set_text (self->grant_reason_entry, "");
  gtk_spin_button_set_value (self->grant_points_spin, 0);
  find_customer_clicked_cb (self);
}

static void
grant_clicked_cb (JorenLoyaltySettings *self)
{
  if (self->grant_customer_id == 0)
    {
      emit_message (self, _("Find the customer first."));
      return;
    }
  /* Points are money to the customer: a manager or the owner confirms,
   * as for a refund, and the ledger names them. */
  joren_authorize_run (GTK_WIDGET (self), self->db, JOREN_PERMISSION_REFUND,
                       _("Grant points"), grant_authorized_cb, self);
}

/* --- the widget ----------------------------------------------------- */

void
joren_loyalty_settings_set_db (JorenLoyaltySettings *self,
                               JorenDb              *db)
{
  g_return_if_fail (JOREN_IS_LOYALTY_SETTINGS (self));
  g_return_if_fail (JOREN_IS_DB (db));

  g_set_object (&self->db, db);
  load_categories (self);
  load_points (self);
  load_tiers (self);
  load_rules (self);
  load_cards (self);
  load_stamps (self);
}

GtkWidget *
joren_loyalty_settings_new (void)
{
  return g_object_new (JOREN_TYPE_LOYALTY_SETTINGS, NULL);
}

static void
joren_loyalty_settings_dispose (GObject *object)
{
  JorenLoyaltySettings *self = JOREN_LOYALTY_SETTINGS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JOREN_TYPE_LOYALTY_SETTINGS);
  g_clear_object (&self->db);
  g_clear_object (&self->category_names);
  g_clear_pointer (&self->category_ids, g_array_unref);
  G_OBJECT_CLASS (joren_loyalty_settings_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, JorenLoyaltySettings, name)

static void
joren_loyalty_settings_class_init (JorenLoyaltySettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_loyalty_settings_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-loyalty-settings.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  BIND (scroller); BIND (earn_amount_spin); BIND (earn_points_spin); BIND (redeem_points_spin);
  BIND (redeem_value_spin); BIND (redeem_min_spin); BIND (expiry_spin); BIND (tier_months_spin);
  BIND (tiers_box); BIND (tier_level_spin); BIND (tier_name_entry); BIND (tier_spend_spin);
  BIND (tier_multiplier_spin); BIND (rules_box); BIND (rule_kind_dropdown);
  BIND (rule_product_entry); BIND (rule_category_dropdown); BIND (rule_multiplier_spin);
  BIND (rule_from_entry); BIND (rule_to_entry); BIND (cards_box); BIND (card_product_entry);
  BIND (card_visits_spin); BIND (card_days_spin); BIND (card_covers_entry);
  BIND (card_category_dropdown); BIND (stamps_box); BIND (stamp_name_entry);
  BIND (stamp_product_entry); BIND (stamp_category_dropdown); BIND (stamp_needed_spin);
  BIND (grant_search_entry); BIND (grant_customer_label); BIND (grant_points_spin);
  BIND (grant_reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, save_points_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_tier_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_rule_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_card_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_stamp_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, find_customer_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, grant_clicked_cb);
}

static void
joren_loyalty_settings_init (JorenLoyaltySettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "loyalty-settings");
  /* Sensible starting points: a plain tier, double points. */
  gtk_spin_button_set_value (self->tier_multiplier_spin, 100);
  gtk_spin_button_set_value (self->rule_multiplier_spin, 200);
  self->category_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->category_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->rule_category_dropdown, G_LIST_MODEL (self->category_names));
  gtk_drop_down_set_model (self->card_category_dropdown, G_LIST_MODEL (self->category_names));
  gtk_drop_down_set_model (self->stamp_category_dropdown, G_LIST_MODEL (self->category_names));
  g_signal_connect_swapped (self->tiers_box, "row-activated", G_CALLBACK (tier_activated_cb), self);
  gtk_list_box_set_selection_mode (self->tiers_box, GTK_SELECTION_NONE);
}
