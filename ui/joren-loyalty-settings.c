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
#define N_WEEKDAYS 7
#define ALL_WEEKDAYS 0x7f
#define DAY_MINUTES 1440

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
  GtkWidget      *rule_multiplier_label;
  GtkWidget      *rule_target_grid;
  GtkWidget      *rule_window_grid;
  GtkWidget      *rule_days_box;
  GtkEditable    *rule_first_day_entry;
  GtkEditable    *rule_last_day_entry;
  GtkEditable    *rule_from_entry;
  GtkEditable    *rule_to_entry;
  GtkLabel       *rule_message_label;
  GtkButton      *rule_save_button;
  GtkWidget      *rule_cancel_button;
  GtkToggleButton *day_toggles[N_WEEKDAYS];
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
  gint64          editing_rule_id;   /* the rule the form changes; 0: a new one */
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
 * calls it with the id; returns the row's box. */
static GtkWidget *
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
  return row;
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

/* The weekday mask's bits, Monday first (joren-points.h). */
static const char * const weekday_names[N_WEEKDAYS] = {
  NC_("weekday", "Mon"), NC_("weekday", "Tue"), NC_("weekday", "Wed"), NC_("weekday", "Thu"),
  NC_("weekday", "Fri"), NC_("weekday", "Sat"), NC_("weekday", "Sun"),
};

static const char *
weekday_name (guint day)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "weekday", weekday_names[day]);
}

static char *
describe_days (guint weekdays)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (weekdays == 0 || weekdays == ALL_WEEKDAYS)
    return g_strdup (_("every day"));
  for (guint day = 0; day < N_WEEKDAYS; day++)
    if (weekdays & (1u << day))
      g_ptr_array_add (names, (gpointer) weekday_name (day));
  g_ptr_array_add (names, NULL);
  /* TRANSLATORS: between weekday names in a list ("Mon, Wed, Fri"). */
  return g_strjoinv (C_("list separator", ", "), (char **) names->pdata);
}

/* The local day usec falls in, as the form writes it; NULL for 0. */
static char *
format_day (gint64 usec)
{
  g_autoptr(GDateTime) day = NULL;

  if (usec == 0)
    return NULL;
  day = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  return g_date_time_format (day, "%Y-%m-%d");
}

/* A window ends at the midnight after its last day. */
static char *
format_last_day (gint64 ends_at)
{
  return ends_at != 0 ? format_day (ends_at - 1) : NULL;
}

/* "2026-12-24", "2026-12-24 – 2026-12-26", "from …", "until …"; NULL
 * when the window has no dates. */
static char *
describe_dates (const JorenPointsRule *rule)
{
  g_autofree char *first = format_day (rule->starts_at);
  g_autofree char *last = format_last_day (rule->ends_at);

  if (first != NULL && last != NULL)
    return g_str_equal (first, last) ? g_steal_pointer (&first)
                                     : g_strdup_printf ("%s – %s", first, last);
  if (first != NULL)
    /* TRANSLATORS: a window's first day, open-ended */
    return g_strdup_printf (_("from %s"), first);
  if (last != NULL)
    /* TRANSLATORS: a window's last day */
    return g_strdup_printf (_("until %s"), last);
  return NULL;
}

static char *
describe_times (const JorenPointsRule *rule)
{
  if (rule->minute_from == 0 && rule->minute_to == DAY_MINUTES)
    return g_strdup (_("all day"));
  return g_strdup_printf ("%02u:%02u–%02u:%02u", rule->minute_from / 60, rule->minute_from % 60,
                          rule->minute_to / 60, rule->minute_to % 60);
}

/* "Wed, Thu · 15:00–17:00 · 300 % points", the dates after the days
 * when the window has any. */
static char *
describe_window (const JorenPointsRule *rule)
{
  g_autofree char *days = describe_days (rule->weekdays);
  g_autofree char *dates = describe_dates (rule);
  g_autofree char *times = describe_times (rule);
  g_autofree char *multiplier = g_strdup_printf (_("%u %% points"),
                                                 rule->multiplier_bp * 100 / BP);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  g_ptr_array_add (parts, days);
  if (dates != NULL)
    g_ptr_array_add (parts, dates);
  g_ptr_array_add (parts, times);
  g_ptr_array_add (parts, multiplier);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static char *
describe_rule (JorenLoyaltySettings  *self,
               const JorenPointsRule *rule)
{
  g_autofree char *target = NULL;

  if (rule->kind == JOREN_POINTS_RULE_WINDOW)
    return describe_window (rule);
  target = describe_target (self, rule->product_id, rule->category_id);
  if (rule->kind == JOREN_POINTS_RULE_EXCLUDE)
    return g_strdup_printf (_("%s earns no points"), target);
  return g_strdup_printf (_("%s · %u %% points"), target, rule->multiplier_bp * 100 / BP);
}

static void
show_rule_message (JorenLoyaltySettings *self,
                   const char           *message,
                   gboolean              is_error)
{
  gtk_label_set_text (self->rule_message_label, message);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->rule_message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->rule_message_label), "error");
}

static JorenPointsRuleKind
selected_kind (JorenLoyaltySettings *self)
{
  return (JorenPointsRuleKind) gtk_drop_down_get_selected (self->rule_kind_dropdown);
}

/* Each kind shows only its own fields. */
static void
rule_kind_changed_cb (JorenLoyaltySettings *self)
{
  JorenPointsRuleKind kind = selected_kind (self);

  gtk_widget_set_visible (self->rule_window_grid, kind == JOREN_POINTS_RULE_WINDOW);
  gtk_widget_set_visible (self->rule_target_grid, kind != JOREN_POINTS_RULE_WINDOW);
  gtk_widget_set_visible (self->rule_multiplier_label, kind != JOREN_POINTS_RULE_EXCLUDE);
  gtk_widget_set_visible (GTK_WIDGET (self->rule_multiplier_spin),
                          kind != JOREN_POINTS_RULE_EXCLUDE);
}

static void
set_days (JorenLoyaltySettings *self,
          guint                 weekdays)
{
  for (guint day = 0; day < N_WEEKDAYS; day++)
    gtk_toggle_button_set_active (self->day_toggles[day], (weekdays & (1u << day)) != 0);
}

static guint
get_days (JorenLoyaltySettings *self)
{
  guint weekdays = 0;

  for (guint day = 0; day < N_WEEKDAYS; day++)
    if (gtk_toggle_button_get_active (self->day_toggles[day]))
      weekdays |= 1u << day;
  return weekdays;
}

static void
set_minutes (GtkEditable *entry,
             guint        minutes,
             guint        fallback)
{
  g_autofree char *text = minutes != fallback ? g_strdup_printf ("%02u:%02u", minutes / 60,
                                                                 minutes % 60)
                                              : NULL;

  gtk_editable_set_text (entry, text != NULL ? text : "");
}

/* Back to adding a new rule of the same kind, fields empty. */
static void
reset_rule_form (JorenLoyaltySettings *self)
{
  self->editing_rule_id = 0;
  gtk_editable_set_text (self->rule_product_entry, "");
  gtk_drop_down_set_selected (self->rule_category_dropdown, 0);
  gtk_spin_button_set_value (self->rule_multiplier_spin, 200);
  set_days (self, 0);
  gtk_editable_set_text (self->rule_first_day_entry, "");
  gtk_editable_set_text (self->rule_last_day_entry, "");
  gtk_editable_set_text (self->rule_from_entry, "");
  gtk_editable_set_text (self->rule_to_entry, "");
  gtk_button_set_label (self->rule_save_button, _("Add rule"));
  gtk_widget_set_visible (self->rule_cancel_button, FALSE);
}

static guint
category_index (JorenLoyaltySettings *self,
                gint64                id)
{
  for (guint i = 1; i < self->category_ids->len; i++)
    if (g_array_index (self->category_ids, gint64, i) == id)
      return i;
  return 0;
}

/* The form shows the rule; saving changes it in place. */
static void
fill_form (JorenLoyaltySettings  *self,
           const JorenPointsRule *rule)
{
  g_autofree char *product = product_name (self, rule->product_id);
  g_autofree char *first = format_day (rule->starts_at);
  g_autofree char *last = format_last_day (rule->ends_at);

  reset_rule_form (self);
  self->editing_rule_id = rule->id;
  gtk_drop_down_set_selected (self->rule_kind_dropdown, rule->kind);
  gtk_editable_set_text (self->rule_product_entry, product);
  gtk_drop_down_set_selected (self->rule_category_dropdown,
                              category_index (self, rule->category_id));
  gtk_spin_button_set_value (self->rule_multiplier_spin, rule->multiplier_bp * 100.0 / BP);
  set_days (self, rule->weekdays);
  gtk_editable_set_text (self->rule_first_day_entry, first != NULL ? first : "");
  gtk_editable_set_text (self->rule_last_day_entry, last != NULL ? last : "");
  set_minutes (self->rule_from_entry, rule->minute_from, 0);
  set_minutes (self->rule_to_entry, rule->minute_to, DAY_MINUTES);
  gtk_button_set_label (self->rule_save_button, _("Save rule"));
  gtk_widget_set_visible (self->rule_cancel_button, TRUE);
}

static void edit_rule_clicked_cb (JorenLoyaltySettings *self, GtkWidget *button);
static void remove_rule_clicked_cb (JorenLoyaltySettings *self, GtkWidget *button);

static void
load_rules (JorenLoyaltySettings *self)
{
  g_autoptr(GArray) rules = joren_points_list_rules (self->db, NULL);

  joren_ui_remove_all (GTK_WIDGET (self->rules_box));
  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      const JorenPointsRule *rule = &g_array_index (rules, JorenPointsRule, i);
      g_autofree char *text = describe_rule (self, rule);
      GtkWidget *row = append_row (self, self->rules_box, text,
                                   G_CALLBACK (remove_rule_clicked_cb), rule->id);
      GtkWidget *edit = gtk_button_new_with_label (_("Edit"));

      g_object_set_data (G_OBJECT (edit), "joren-id", GSIZE_TO_POINTER ((gsize) rule->id));
      g_signal_connect_swapped (edit, "clicked", G_CALLBACK (edit_rule_clicked_cb), self);
      gtk_box_insert_child_after (GTK_BOX (row), edit, gtk_widget_get_first_child (row));
    }
}

static void
edit_rule_clicked_cb (JorenLoyaltySettings *self,
                      GtkWidget            *button)
{
  g_autoptr(GArray) rules = joren_points_list_rules (self->db, NULL);
  gint64 id = row_id (button);

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    if (g_array_index (rules, JorenPointsRule, i).id == id)
      {
        g_autofree char *text = describe_rule (self, &g_array_index (rules, JorenPointsRule, i));
        g_autofree char *editing = g_strdup_printf (_("Changing: %s"), text);

        fill_form (self, &g_array_index (rules, JorenPointsRule, i));
        show_rule_message (self, editing, FALSE);
        return;
      }
}

static void
remove_rule_clicked_cb (JorenLoyaltySettings *self,
                        GtkWidget            *button)
{
  g_autoptr(GError) error = NULL;
  gint64 id = row_id (button);

  if (!check (self, joren_points_remove_rule (self->db, id, &error), error))
    return;
  if (id == self->editing_rule_id)
    reset_rule_form (self);
  show_rule_message (self, _("Rule removed."), FALSE);
  load_rules (self);
}

static void
cancel_rule_clicked_cb (JorenLoyaltySettings *self)
{
  reset_rule_form (self);
  show_rule_message (self, "", FALSE);
}

static gboolean
refuse_input (GError     **error,
              const char  *message)
{
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, message);
  return FALSE;
}

/* "HH:MM" as minutes of the day; fallback when empty; G_MAXUINT when bad. */
static guint
parse_minutes (GtkEditable *entry,
               guint        fallback)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  guint hours, minutes;
  char end;

  if (*text == '\0')
    return fallback;
  if (sscanf (text, "%u:%u%c", &hours, &minutes, &end) != 2 || hours > 24 || minutes > 59
      || hours * 60 + minutes > DAY_MINUTES)
    return G_MAXUINT;
  return hours * 60 + minutes;
}

/* The local midnight that starts the entry's day ("YYYY-MM-DD", or with
 * slashes as Japanese shops write dates), plus_days later, in unix µs;
 * 0 when empty; -1 when it is no date. */
static gint64
parse_day_text (const char *day_text,
                guint       plus_days)
{
  g_autofree char *text = g_strstrip (g_strdup (day_text));
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) day = NULL;
  guint year, month, mday;
  char end;

  if (*text == '\0')
    return 0;
  g_strdelimit (text, "/", '-');
  if (sscanf (text, "%u-%u-%u%c", &year, &month, &mday, &end) != 3
      || year < 2000 || year > 9999 || month < 1 || month > 12 || mday < 1 || mday > 31
      || !g_date_valid_dmy ((GDateDay) mday, (GDateMonth) month, (GDateYear) year))
    return -1;
  midnight = g_date_time_new_local ((int) year, (int) month, (int) mday, 0, 0, 0);
  day = g_date_time_add_days (midnight, (int) plus_days);
  return g_date_time_to_unix (day) * G_USEC_PER_SEC;
}

static gint64
parse_day (GtkEditable *entry,
           guint        plus_days)
{
  return parse_day_text (gtk_editable_get_text (entry), plus_days);
}

/* Several first days ("2026-12-24, 2026-12-31" or with 、 or spaces) and
 * no last day: one window a day, the holidays of a season in one go.
 * NULL when the entry holds one date or none. */
static GStrv
split_days (JorenLoyaltySettings *self)
{
  const char *text = gtk_editable_get_text (self->rule_first_day_entry);
  g_autoptr(GRegex) separators = g_regex_new ("(?:\\s|,|、)+", 0, 0, NULL);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_auto(GStrv) days = g_regex_split (separators, stripped, 0);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  for (guint i = 0; days[i] != NULL; i++)
    if (*days[i] != '\0')
      g_strv_builder_add (kept, days[i]);
  g_clear_pointer (&days, g_strfreev);
  days = g_strv_builder_end (kept);
  if (g_strv_length (days) < 2 || parse_day (self->rule_last_day_entry, 0) != 0)
    return NULL;
  return g_steal_pointer (&days);
}

/* The days, dates and times of a window; the data layer checks that
 * they make sense together. */
static gboolean
fill_window (JorenLoyaltySettings  *self,
             JorenPointsRule       *rule,
             GError               **error)
{
  rule->weekdays = get_days (self);
  rule->starts_at = parse_day (self->rule_first_day_entry, 0);
  rule->ends_at = parse_day (self->rule_last_day_entry, 1);
  rule->minute_from = parse_minutes (self->rule_from_entry, 0);
  rule->minute_to = parse_minutes (self->rule_to_entry, DAY_MINUTES);
  if (rule->starts_at < 0 || rule->ends_at < 0)
    return refuse_input (error, _("Enter the days as YYYY-MM-DD, such as 2026-12-24."));
  if (rule->minute_from == G_MAXUINT || rule->minute_to == G_MAXUINT)
    return refuse_input (error, _("Enter the times as HH:MM, such as 15:00."));
  return TRUE;
}

static gboolean
fill_rule (JorenLoyaltySettings  *self,
           JorenPointsRule       *rule,
           GError               **error)
{
  rule->kind = selected_kind (self);
  rule->multiplier_bp = rule->kind == JOREN_POINTS_RULE_EXCLUDE
                        ? 0 : (guint) spin_value (self->rule_multiplier_spin) * 100;
  rule->minute_to = DAY_MINUTES;
  if (rule->kind == JOREN_POINTS_RULE_WINDOW)
    return fill_window (self, rule, error);
  rule->product_id = product_from_entry (self, self->rule_product_entry, error);
  rule->category_id = rule->product_id == 0 ? selected_category (self, self->rule_category_dropdown)
                                            : 0;
  return error == NULL || *error == NULL;
}

/* One window for each of several days, every day checked first. */
static void
save_day_windows (JorenLoyaltySettings *self,
                  GStrv                 days)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *typed = g_strdup (gtk_editable_get_text (self->rule_first_day_entry));
  JorenPointsRule rule = { 0 };
  guint n = g_strv_length (days);
  gboolean filled;

  /* The rest of the form as for one window; the days come from the list. */
  gtk_editable_set_text (self->rule_first_day_entry, "");
  filled = fill_rule (self, &rule, &error);
  gtk_editable_set_text (self->rule_first_day_entry, typed);
  if (!filled)
    {
      show_rule_message (self, error->message, TRUE);
      return;
    }
  for (guint i = 0; i < n; i++)
    if (parse_day_text (days[i], 0) <= 0)
      {
        show_rule_message (self, _("Enter the days as YYYY-MM-DD, such as 2026-12-24."), TRUE);
        return;
      }
  for (guint i = 0; i < n; i++)
    {
      rule.id = 0;
      rule.starts_at = parse_day_text (days[i], 0);
      rule.ends_at = parse_day_text (days[i], 1);
      if (!joren_points_add_rule (self->db, &rule, &error))
        {
          show_rule_message (self, error->message, TRUE);
          load_rules (self);
          return;
        }
    }
  reset_rule_form (self);
  saved = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u rule saved.", "%u rules saved.", n), n);
  show_rule_message (self, saved, FALSE);
  load_rules (self);
}

static void
save_rule_clicked_cb (JorenLoyaltySettings *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) days = NULL;
  JorenPointsRule rule = { 0 };
  gboolean ok;

  if (selected_kind (self) == JOREN_POINTS_RULE_WINDOW && self->editing_rule_id == 0
      && (days = split_days (self)) != NULL)
    {
      save_day_windows (self, days);
      return;
    }
  ok = fill_rule (self, &rule, &error);
  rule.id = self->editing_rule_id;
  if (ok && rule.id != 0)
    ok = joren_points_update_rule (self->db, &rule, &error);
  else if (ok)
    ok = joren_points_add_rule (self->db, &rule, &error);
  if (!ok)
    {
      show_rule_message (self, error->message, TRUE);
      return;
    }
  reset_rule_form (self);
  show_rule_message (self, _("Rule saved."), FALSE);
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

/* The whole record of the first match (a pick list holds only what its
 * rows show). */
static JorenCustomer *
first_of (JorenDb   *db,
          GPtrArray *found)
{
  if (found == NULL || found->len == 0)
    return NULL;
  return joren_customer_get (db, ((JorenCustomer *) g_ptr_array_index (found, 0))->id, NULL);
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
    customer = first_of (db, found);
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

/* Seven thumb-sized toggles, Monday first like the mask. */
static void
add_day_toggles (JorenLoyaltySettings *self)
{
  for (guint day = 0; day < N_WEEKDAYS; day++)
    {
      GtkWidget *toggle = gtk_toggle_button_new_with_label (weekday_name (day));

      self->day_toggles[day] = GTK_TOGGLE_BUTTON (toggle);
      gtk_box_append (GTK_BOX (self->rule_days_box), toggle);
    }
}

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
  BIND (rule_from_entry); BIND (rule_to_entry); BIND (rule_multiplier_label);
  BIND (rule_target_grid); BIND (rule_window_grid); BIND (rule_days_box);
  BIND (rule_first_day_entry); BIND (rule_last_day_entry); BIND (rule_message_label);
  BIND (rule_save_button); BIND (rule_cancel_button); BIND (cards_box); BIND (card_product_entry);
  BIND (card_visits_spin); BIND (card_days_spin); BIND (card_covers_entry);
  BIND (card_category_dropdown); BIND (stamps_box); BIND (stamp_name_entry);
  BIND (stamp_product_entry); BIND (stamp_category_dropdown); BIND (stamp_needed_spin);
  BIND (grant_search_entry); BIND (grant_customer_label); BIND (grant_points_spin);
  BIND (grant_reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, save_points_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_tier_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rule_kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_rule_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_rule_clicked_cb);
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
  add_day_toggles (self);
  gtk_list_box_set_selection_mode (self->tiers_box, GTK_SELECTION_NONE);
}
