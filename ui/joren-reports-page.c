/* joren-reports-page.c: the sales reports page. Each change of period or
 * grouping starts joren_report_run_async on its own connection in a
 * worker thread and cancels the run before it, so tapping through the
 * periods never queues stale work and the till stays responsive over a
 * year of sales. The result fills the headline cards, the chart (a line
 * over time, bars for products, staff and stores) and a GtkColumnView
 * whose last row is the total. */
#include "config.h"

#include <string.h>

#include <inttypes.h>

#include <glib/gi18n.h>

#include "joren-reports-page.h"
#include "joren-ui.h"

/* --- table items --- */

struct _JorenReportItem
{
  GObject         parent_instance;
  JorenReportRow *row;
  gboolean        is_total;
};

G_DEFINE_FINAL_TYPE (JorenReportItem, joren_report_item, G_TYPE_OBJECT)

static void
joren_report_item_finalize (GObject *object)
{
  g_clear_pointer (&JOREN_REPORT_ITEM (object)->row, joren_report_row_free);
  G_OBJECT_CLASS (joren_report_item_parent_class)->finalize (object);
}

static void
joren_report_item_class_init (JorenReportItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = joren_report_item_finalize;
}

static void
joren_report_item_init (JorenReportItem *self)
{
}

static JorenReportItem *
report_item_new (const JorenReportRow *row,
                 gboolean              is_total)
{
  JorenReportItem *item = g_object_new (JOREN_TYPE_REPORT_ITEM, NULL);

  item->row = joren_report_row_new (row->key, row->label);
  item->row->count = row->count;
  item->row->net = row->net;
  item->row->tax = row->tax;
  item->row->gross = row->gross;
  item->is_total = is_total;
  return item;
}

const JorenReportRow *
joren_report_item_get_row (JorenReportItem *self)
{
  g_return_val_if_fail (JOREN_IS_REPORT_ITEM (self), NULL);

  return self->row;
}

gboolean
joren_report_item_get_is_total (JorenReportItem *self)
{
  g_return_val_if_fail (JOREN_IS_REPORT_ITEM (self), FALSE);

  return self->is_total;
}

/* --- the page --- */

typedef enum {
  COLUMN_LABEL,
  COLUMN_COUNT,
  COLUMN_NET,
  COLUMN_TAX,
  COLUMN_GROSS,
  N_COLUMNS
} Column;

struct _JorenReportsPage
{
  GtkWidget          parent_instance;

  JorenPeriodPicker *period_picker;
  GtkDropDown       *grouping_dropdown;
  GtkSpinner        *spinner;
  GtkWidget         *export_button;
  GtkLabel          *sales_value, *sales_detail;
  GtkLabel          *basket_value, *basket_detail;
  GtkLabel          *member_value, *member_detail;
  GtkLevelBar       *member_level;
  GtkLabel          *points_value, *points_detail;
  GtkLabel          *voucher_value, *voucher_detail;
  JorenChart        *chart;
  GtkColumnView     *table;
  GtkColumnViewColumn *columns[N_COLUMNS];

  GListStore        *rows;
  JorenDb           *db;
  JorenShop         *shop;
  JorenReportResult *result;
  JorenReportQuery   query;
  GCancellable      *cancellable;
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenReportsPage, joren_reports_page, GTK_TYPE_WIDGET)

static void
emit_message (JorenReportsPage *self,
              const char       *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static char *
format_money (JorenReportsPage *self,
              gint64            minor)
{
  return joren_money_format (minor, self->shop->currency);
}

static void
set_money_label (JorenReportsPage *self,
                 GtkLabel         *label,
                 gint64            minor)
{
  g_autofree char *text = format_money (self, minor);

  gtk_label_set_text (label, text);
}

static const char *
column_title (JorenReportGrouping grouping)
{
  static const char *const titles[] = {
    N_("Day"), N_("Month"), N_("Hour"), N_("Product"), N_("Category"), N_("Staff"), N_("Store"),
  };

  return _(titles[MIN (grouping, G_N_ELEMENTS (titles) - 1)]);
}

static gboolean
counts_units (JorenReportGrouping grouping)
{
  return grouping == JOREN_REPORT_BY_PRODUCT || grouping == JOREN_REPORT_BY_CATEGORY;
}

static char *
format_cell (JorenReportsPage *self,
             JorenReportItem  *item,
             Column            column)
{
  const JorenReportRow *row = item->row;

  switch (column)
    {
    case COLUMN_LABEL:
      return g_strdup (item->is_total ? _("Total") : row->label ? row->label : row->key);
    case COLUMN_COUNT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
    case COLUMN_NET:
      return format_money (self, row->net);
    case COLUMN_TAX:
      return format_money (self, row->tax);
    case COLUMN_GROSS:
    case N_COLUMNS:
    default:
      return format_money (self, row->gross);
    }
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "joren-column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_LABEL ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "report-cell");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              JorenReportsPage         *self)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "joren-column"));
  JorenReportItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = format_cell (self, item, column);

  gtk_label_set_text (GTK_LABEL (label), text);
  if (item->is_total)
    gtk_widget_add_css_class (label, "report-total");
  else
    gtk_widget_remove_css_class (label, "report-total");
}

static void
add_column (JorenReportsPage *self,
            Column            column,
            const char       *title)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "joren-column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, TRUE);
  gtk_column_view_append_column (self->table, view_column);
  self->columns[column] = view_column;
  g_object_unref (view_column);
}

static void
fill_table (JorenReportsPage  *self,
            const JorenReport *report)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < report->rows->len; i++)
    g_ptr_array_add (items, report_item_new (g_ptr_array_index (report->rows, i), FALSE));
  g_ptr_array_add (items, report_item_new (report->total, TRUE));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  gtk_column_view_column_set_title (self->columns[COLUMN_LABEL], column_title (report->grouping));
  gtk_column_view_column_set_title (self->columns[COLUMN_COUNT],
                                    counts_units (report->grouping) ? _("Units") : _("Receipts"));
}

/* Days read better on the axis as "05-01", the year is in the period. */
static const char *
chart_label (const JorenReport    *report,
             const JorenReportRow *row)
{
  const char *text = row->label ? row->label : row->key;

  if (report->grouping == JOREN_REPORT_BY_DAY && strlen (text) == 10)
    return text + 5;
  return text;
}

static void
fill_chart (JorenReportsPage  *self,
            const JorenReport *report)
{
  guint n = report->rows->len;
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree gint64 *values = g_new0 (gint64, n + 1);
  gboolean over_time = report->grouping == JOREN_REPORT_BY_DAY ||
                       report->grouping == JOREN_REPORT_BY_MONTH ||
                       report->grouping == JOREN_REPORT_BY_HOUR;

  for (guint i = 0; i < n; i++)
    {
      const JorenReportRow *row = g_ptr_array_index (report->rows, i);

      labels[i] = chart_label (report, row);
      values[i] = row->gross;
    }
  joren_chart_set_kind (self->chart, over_time && n > 1 ? JOREN_CHART_LINE : JOREN_CHART_BARS);
  joren_chart_set_data (self->chart, n, labels, values);
}

static void
fill_sales_cards (JorenReportsPage         *self,
                  const JorenReportSummary *summary)
{
  g_autofree char *refunds = format_money (self, summary->refunds_gross);
  g_autofree char *detail = NULL;
  g_autofree char *share = NULL;
  g_autofree char *members = NULL;

  set_money_label (self, self->sales_value, summary->gross);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " receipt",
                                         "%" PRId64 " receipts",
                                         (gulong) summary->n_sales),
                            summary->n_sales);
  if (summary->n_refunds > 0)
    {
      g_free (detail);
      /* TRANSLATORS: receipts, then what was refunded */
      detail = g_strdup_printf (_("%" PRId64 " · refunds %s"), summary->n_sales, refunds);
    }
  gtk_label_set_text (self->sales_detail, detail);
  set_money_label (self, self->basket_value, summary->average_basket);
  share = g_strdup_printf ("%u.%u %%", summary->member_share_bp / 100,
                           summary->member_share_bp % 100 / 10);
  gtk_label_set_text (self->member_value, share);
  /* TRANSLATORS: member receipts / anonymous receipts */
  members = g_strdup_printf (_("Members %" PRId64 " · guests %" PRId64),
                             summary->n_member_sales, summary->n_anonymous_sales);
  gtk_label_set_text (self->member_detail, members);
  gtk_level_bar_set_value (self->member_level, summary->member_share_bp);
}

/* What the shop owes right now: read on the main loop, two sums. */
static void
fill_liability_cards (JorenReportsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *points_text = NULL;
  gint64 points = 0, points_value = 0, vouchers = 0;

  if (!joren_report_points_liability (self->db, &points, &points_value, &error) ||
      !joren_report_voucher_liability (self->db, &vouchers, &error))
    {
      emit_message (self, error->message);
      return;
    }
  set_money_label (self, self->points_value, points_value);
  points_text = g_strdup_printf (_("%" PRId64 " points"), points);
  gtk_label_set_text (self->points_detail, points_text);
  set_money_label (self, self->voucher_value, vouchers);
  gtk_label_set_text (self->voucher_detail, _("outstanding"));
  gtk_label_set_text (self->basket_detail, _("per receipt"));
}

static void
show_result (JorenReportsPage  *self,
             JorenReportResult *result)
{
  g_clear_pointer (&self->result, joren_report_result_free);
  self->result = result;
  fill_table (self, result->report);
  fill_chart (self, result->report);
  fill_sales_cards (self, &result->summary);
  fill_liability_cards (self);
  gtk_widget_set_sensitive (self->export_button, TRUE);
}

static void
report_done_cb (GObject      *source,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JorenReportResult *result;
  JorenReportsPage *self;

  result = joren_report_run_finish (JOREN_DB (source), async_result, &error);
  /* Cancelled: the page may be gone, touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = JOREN_REPORTS_PAGE (user_data);
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  if (result == NULL)
    emit_message (self, error->message);
  else
    show_result (self, result);
}

void
joren_reports_page_refresh (JorenReportsPage *self)
{
  g_return_if_fail (JOREN_IS_REPORTS_PAGE (self));

  if (self->db == NULL)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  joren_period_picker_get_query (self->period_picker, &self->query);
  gtk_spinner_start (self->spinner);
  joren_report_run_async (self->db, &self->query,
                          gtk_drop_down_get_selected (self->grouping_dropdown),
                          self->cancellable, report_done_cb, self);
}

static void
query_changed_cb (JorenReportsPage *self)
{
  joren_reports_page_refresh (self);
}

/* --- CSV export --- */

static void
export_chosen_cb (GtkNativeDialog  *chooser,
                  int               response,
                  JorenReportsPage *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  g_object_unref (chooser);
  if (response != GTK_RESPONSE_ACCEPT || path == NULL)
    return;
  if (!joren_reports_page_export (self, path, &error))
    emit_message (self, error->message);
  else
    emit_message (self, _("The report was saved"));
}

static void
export_clicked_cb (JorenReportsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = g_strdup_printf ("sales-%s-%s.csv", self->query.first_day,
                                           self->query.last_day);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export the report as CSV"), GTK_WINDOW (root),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("Save"), _("Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
joren_reports_page_export (JorenReportsPage  *self,
                           const char        *path,
                           GError           **error)
{
  g_autoptr(GBytes) csv = NULL;

  g_return_val_if_fail (JOREN_IS_REPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->result == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Run a report before exporting it"));
      return FALSE;
    }
  csv = joren_report_to_csv (self->result->report, self->shop->currency->decimals);
  return joren_csv_save (csv, path, error);
}

/* --- GObject --- */

static void
joren_reports_page_dispose (GObject *object)
{
  JorenReportsPage *self = JOREN_REPORTS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_REPORTS_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->rows);
  g_clear_object (&self->db);
  g_clear_pointer (&self->shop, joren_shop_free);
  g_clear_pointer (&self->result, joren_report_result_free);
  G_OBJECT_CLASS (joren_reports_page_parent_class)->dispose (object);
}

static void
bind_cards (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, sales_value);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, sales_detail);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, basket_value);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, basket_detail);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, member_value);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, member_detail);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, member_level);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, points_value);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, points_detail);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, voucher_value);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, voucher_detail);
}

static void
joren_reports_page_class_init (JorenReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_reports_page_dispose;
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (JOREN_TYPE_CHART);
  g_type_ensure (JOREN_TYPE_PERIOD_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, period_picker);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, grouping_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, JorenReportsPage, table);
  bind_cards (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_reports_page_init (JorenReportsPage *self)
{
  static const char *const titles[] = {
    N_("Day"), N_("Receipts"), N_("Net"), N_("Tax"), N_("Gross"),
  };
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_list_store_new (JOREN_TYPE_REPORT_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  for (guint i = 0; i < N_COLUMNS; i++)
    add_column (self, i, _(titles[i]));
}

GtkWidget *
joren_reports_page_new (void)
{
  return g_object_new (JOREN_TYPE_REPORTS_PAGE, NULL);
}

void
joren_reports_page_set_db (JorenReportsPage *self,
                           JorenDb          *db,
                           const JorenShop  *shop)
{
  g_return_if_fail (JOREN_IS_REPORTS_PAGE (self));
  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (shop != NULL);

  g_set_object (&self->db, db);
  g_clear_pointer (&self->shop, joren_shop_free);
  self->shop = joren_shop_copy (shop);
  joren_chart_set_currency (self->chart, shop->currency);
  joren_reports_page_refresh (self);
}

void
joren_reports_page_set_grouping (JorenReportsPage    *self,
                                 JorenReportGrouping  grouping)
{
  g_return_if_fail (JOREN_IS_REPORTS_PAGE (self));

  /* notify::selected runs the report (when it changes). */
  gtk_drop_down_set_selected (self->grouping_dropdown, grouping);
}

gboolean
joren_reports_page_is_busy (JorenReportsPage *self)
{
  g_return_val_if_fail (JOREN_IS_REPORTS_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

const JorenReport *
joren_reports_page_get_report (JorenReportsPage *self)
{
  g_return_val_if_fail (JOREN_IS_REPORTS_PAGE (self), NULL);

  return self->result ? self->result->report : NULL;
}

GListModel *
joren_reports_page_get_model (JorenReportsPage *self)
{
  g_return_val_if_fail (JOREN_IS_REPORTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->rows);
}

JorenChart *
joren_reports_page_get_chart (JorenReportsPage *self)
{
  g_return_val_if_fail (JOREN_IS_REPORTS_PAGE (self), NULL);

  return self->chart;
}

JorenPeriodPicker *
joren_reports_page_get_period_picker (JorenReportsPage *self)
{
  g_return_val_if_fail (JOREN_IS_REPORTS_PAGE (self), NULL);

  return self->period_picker;
}
