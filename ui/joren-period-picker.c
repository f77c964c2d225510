/* joren-period-picker.c: linked toggle buttons for the reporting period.
 * Periods are computed when asked, not when tapped, so a report left
 * open over midnight reads the new day on its next refresh. A custom
 * range comes from a dialog with two calendars; cancelling it puts the
 * previous choice back. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-period-picker.h"
#include "joren-ui.h"

struct _JorenPeriodPicker
{
  GtkWidget        parent_instance;

  GtkToggleButton *buttons[JOREN_PERIOD_CUSTOM + 1];
  JorenPeriod      period;
  GDateTime       *first;   /* custom range */
  GDateTime       *last;
  gboolean         quiet;   /* setting a toggle from code */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const period_labels[] = {
  N_("Today"), N_("This week"), N_("This month"), N_("This year"), N_("Custom…"),
};

G_DEFINE_FINAL_TYPE (JorenPeriodPicker, joren_period_picker, GTK_TYPE_WIDGET)

void
joren_period_fill_query (JorenPeriod       period,
                         GDateTime        *now,
                         JorenReportQuery *out)
{
  g_autoptr(GDateTime) monday = NULL;

  g_return_if_fail (now != NULL && out != NULL);

  switch (period)
    {
    case JOREN_PERIOD_WEEK:
      monday = g_date_time_add_days (now, 1 - g_date_time_get_day_of_week (now));
      joren_report_query_range (out, monday, now);
      break;
    case JOREN_PERIOD_MONTH:
      joren_report_query_month (out, g_date_time_get_year (now), g_date_time_get_month (now));
      break;
    case JOREN_PERIOD_YEAR:
      joren_report_query_year (out, g_date_time_get_year (now));
      break;
    case JOREN_PERIOD_TODAY:
    case JOREN_PERIOD_CUSTOM:
    default:
      joren_report_query_day (out, now);
      break;
    }
}

static void
select_button (JorenPeriodPicker *self,
               JorenPeriod        period)
{
  self->quiet = TRUE;
  gtk_toggle_button_set_active (self->buttons[period], TRUE);
  self->quiet = FALSE;
}

static void
commit_period (JorenPeriodPicker *self,
               JorenPeriod        period)
{
  self->period = period;
  select_button (self, period);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* --- custom range dialog --- */

static GDateTime *
get_calendar_date (GtkWidget *calendar)
{
  return gtk_calendar_get_date (GTK_CALENDAR (calendar));
}

static void
range_ok_cb (GtkWidget         *ok,
             JorenPeriodPicker *self)
{
  GtkWindow *dialog = GTK_WINDOW (gtk_widget_get_root (ok));
  g_autoptr(GDateTime) a = get_calendar_date (g_object_get_data (G_OBJECT (dialog), "from"));
  g_autoptr(GDateTime) b = get_calendar_date (g_object_get_data (G_OBJECT (dialog), "to"));

  if (g_date_time_compare (a, b) > 0)
    joren_period_picker_set_range (self, b, a);
  else
    joren_period_picker_set_range (self, a, b);
  gtk_window_destroy (dialog);
}

static void
range_cancel_cb (GtkWidget         *cancel,
                 JorenPeriodPicker *self)
{
  select_button (self, self->period);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (cancel)));
}

static GtkWidget *
create_calendar_column (GtkWindow  *dialog,
                        const char *title,
                        const char *key,
                        GDateTime  *date)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *calendar = gtk_calendar_new ();

  if (date != NULL)
    gtk_calendar_select_day (GTK_CALENDAR (calendar), date);
  gtk_box_append (GTK_BOX (box), joren_ui_label_new (title, "section-title", 0));
  gtk_box_append (GTK_BOX (box), calendar);
  g_object_set_data (G_OBJECT (dialog), key, calendar);
  return box;
}

static void
open_range_dialog (JorenPeriodPicker *self)
{
  GtkWindow *dialog = joren_ui_dialog_new (GTK_WIDGET (self), _("Choose the period"));
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));
  GtkWidget *ok = gtk_button_new_with_label (_("Show"));

  gtk_box_append (GTK_BOX (columns), create_calendar_column (dialog, _("From"), "from", self->first));
  gtk_box_append (GTK_BOX (columns), create_calendar_column (dialog, _("To"), "to", self->last));
  gtk_box_set_homogeneous (GTK_BOX (actions), TRUE);
  gtk_widget_add_css_class (ok, "suggested-action");
  gtk_box_append (GTK_BOX (actions), cancel);
  gtk_box_append (GTK_BOX (actions), ok);
  gtk_widget_add_css_class (body, "dialog-body");
  gtk_box_append (GTK_BOX (body), columns);
  gtk_box_append (GTK_BOX (body), actions);
  g_signal_connect (ok, "clicked", G_CALLBACK (range_ok_cb), self);
  g_signal_connect (cancel, "clicked", G_CALLBACK (range_cancel_cb), self);
  gtk_window_set_child (dialog, body);
  gtk_window_present (dialog);
}

static void
toggled_cb (GtkToggleButton   *button,
            JorenPeriodPicker *self)
{
  JorenPeriod period = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "joren-period"));

  if (self->quiet || !gtk_toggle_button_get_active (button))
    return;
  if (period == JOREN_PERIOD_CUSTOM)
    open_range_dialog (self);
  else
    commit_period (self, period);
}

/* --- GObject --- */

static void
joren_period_picker_dispose (GObject *object)
{
  JorenPeriodPicker *self = JOREN_PERIOD_PICKER (object);

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->first, g_date_time_unref);
  g_clear_pointer (&self->last, g_date_time_unref);
  G_OBJECT_CLASS (joren_period_picker_parent_class)->dispose (object);
}

static void
joren_period_picker_class_init (JorenPeriodPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_period_picker_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
joren_period_picker_init (JorenPeriodPicker *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "linked");
  for (guint i = 0; i <= JOREN_PERIOD_CUSTOM; i++)
    {
      GtkWidget *button = joren_ui_wrap (gtk_toggle_button_new_with_label (_(period_labels[i])));

      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->buttons[0]);
      g_object_set_data (G_OBJECT (button), "joren-period", GUINT_TO_POINTER (i));
      g_signal_connect (button, "toggled", G_CALLBACK (toggled_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
      self->buttons[i] = GTK_TOGGLE_BUTTON (button);
    }
  select_button (self, JOREN_PERIOD_TODAY);
}

GtkWidget *
joren_period_picker_new (void)
{
  return g_object_new (JOREN_TYPE_PERIOD_PICKER, NULL);
}

JorenPeriod
joren_period_picker_get_period (JorenPeriodPicker *self)
{
  g_return_val_if_fail (JOREN_IS_PERIOD_PICKER (self), JOREN_PERIOD_TODAY);

  return self->period;
}

void
joren_period_picker_set_period (JorenPeriodPicker *self,
                                JorenPeriod        period)
{
  g_return_if_fail (JOREN_IS_PERIOD_PICKER (self));
  g_return_if_fail (period < JOREN_PERIOD_CUSTOM);

  commit_period (self, period);
}

void
joren_period_picker_set_range (JorenPeriodPicker *self,
                               GDateTime         *first,
                               GDateTime         *last)
{
  g_return_if_fail (JOREN_IS_PERIOD_PICKER (self));
  g_return_if_fail (first != NULL && last != NULL);

  g_clear_pointer (&self->first, g_date_time_unref);
  g_clear_pointer (&self->last, g_date_time_unref);
  self->first = g_date_time_ref (first);
  self->last = g_date_time_ref (last);
  commit_period (self, JOREN_PERIOD_CUSTOM);
}

void
joren_period_picker_get_query (JorenPeriodPicker *self,
                               JorenReportQuery  *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (JOREN_IS_PERIOD_PICKER (self));
  g_return_if_fail (out != NULL);

  if (self->period == JOREN_PERIOD_CUSTOM && self->first != NULL)
    joren_report_query_range (out, self->first, self->last);
  else
    joren_period_fill_query (self->period, now, out);
}
