/* joren-clock-dialog.c: the time clock. A keyboard-wedge scanner types
 * the card code into a focused entry and presses Enter, so no scanner
 * plumbing is needed here; staff without a card tap their name and type
 * their PIN on the sign-in widget. Each event is a toggle (in, then out)
 * decided by the data layer, and the answer stays on screen with the
 * time so the staff member sees it was recorded. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-attendance.h"
#include "joren-clock-dialog.h"
#include "joren-signin.h"
#include "joren-ui.h"

#define CLOSE_SECONDS 5

typedef struct {
  JorenDb     *db;
  GtkEntry    *card_entry;
  GtkLabel    *result_label;
  JorenSignin *signin;
  guint        close_id;
} ClockData;

static void
clock_data_free (ClockData *data)
{
  g_clear_handle_id (&data->close_id, g_source_remove);
  g_object_unref (data->db);
  g_free (data);
}

static ClockData *
get_data (GtkWindow *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "joren-clock");
}

static gboolean
close_cb (gpointer user_data)
{
  ClockData *data = get_data (user_data);

  data->close_id = 0;
  gtk_window_destroy (user_data);
  return G_SOURCE_REMOVE;
}

static void
show_event (GtkWindow             *dialog,
            const JorenClockEvent *event)
{
  ClockData *data = get_data (dialog);
  g_autoptr(GDateTime) local = g_date_time_to_local (event->at);
  g_autofree char *time = g_date_time_format (local, "%H:%M");
  g_autofree char *text = NULL;

  if (event->kind == JOREN_CLOCK_IN)
    text = g_strdup_printf (_("%s clocked in at %s"), event->staff_name, time);
  else
    text = g_strdup_printf (_("%s clocked out at %s"), event->staff_name, time);
  gtk_label_set_text (data->result_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (data->result_label), "error");
  joren_signin_reset (data->signin);
  g_clear_handle_id (&data->close_id, g_source_remove);
  data->close_id = g_timeout_add_seconds (CLOSE_SECONDS, close_cb, dialog);
}

/* The next person started on the card or the PIN pad while the last
 * one's confirmation was up: the dialog closes only once they stop. */
static void
activity_cb (GtkWindow *dialog)
{
  ClockData *data = get_data (dialog);

  if (data->close_id == 0)
    return;
  g_source_remove (data->close_id);
  data->close_id = g_timeout_add_seconds (CLOSE_SECONDS, close_cb, dialog);
}

/* A refusal stays until someone acts on it: the dialog no longer closes
 * by itself, and the last person's confirmation goes, so it cannot be
 * read as this attempt's. */
static void
show_error (GtkWindow  *dialog,
            const char *message)
{
  ClockData *data = get_data (dialog);

  g_clear_handle_id (&data->close_id, g_source_remove);
  gtk_label_set_text (data->result_label, message);
  gtk_widget_add_css_class (GTK_WIDGET (data->result_label), "error");
}

gboolean
joren_clock_dialog_clock_card (GtkWindow  *dialog,
                               const char *code)
{
  ClockData *data;
  g_autoptr(JorenClockEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (dialog), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  data = get_data (dialog);
  event = joren_attendance_clock_card (data->db, code, &error);
  gtk_editable_set_text (GTK_EDITABLE (data->card_entry), "");
  if (event == NULL)
    show_error (dialog, error->message);
  else
    show_event (dialog, event);
  return event != NULL;
}

static void
card_activated_cb (GtkEntry  *entry,
                   GtkWindow *dialog)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*code != '\0')
    joren_clock_dialog_clock_card (dialog, code);
}

static void
pin_entered_cb (JorenSignin *signin,
                gint64       staff_id,
                const char  *pin,
                GtkWindow   *dialog)
{
  g_autoptr(JorenClockEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = joren_attendance_clock_pin (get_data (dialog)->db, staff_id, pin, &error);
  if (event == NULL)
    {
      /* Said beside the PIN pad, where the eyes are. */
      show_error (dialog, "");
      joren_signin_show_error (signin, error->message);
    }
  else
    show_event (dialog, event);
}

static GtkWidget *
build_body (GtkWindow *dialog,
            ClockData *data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *result = joren_ui_label_new ("", "dialog-title", 0.5);
  GtkWidget *close = gtk_button_new_with_label (_("Close"));

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Scan your staff card"));
  gtk_label_set_wrap (GTK_LABEL (result), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (data->signin), TRUE);
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), result);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->signin));
  gtk_box_append (GTK_BOX (box), close);
  g_signal_connect (entry, "activate", G_CALLBACK (card_activated_cb), dialog);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (gtk_window_destroy), dialog);
  data->card_entry = GTK_ENTRY (entry);
  data->result_label = GTK_LABEL (result);
  return box;
}

GtkWindow *
joren_clock_dialog_run (GtkWidget *parent,
                        JorenDb   *db)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  ClockData *data;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  staff = joren_staff_list (db, FALSE, &error);
  if (staff == NULL)
    {
      g_warning ("Cannot list staff: %s", error->message);
      return NULL;
    }
  dialog = joren_ui_dialog_new (parent, _("Clock in or out"));
  gtk_window_set_default_size (dialog, 720, 640);
  data = g_new0 (ClockData, 1);
  data->db = g_object_ref (db);
  data->signin = JOREN_SIGNIN (joren_signin_new ());
  joren_signin_set_staff (data->signin, staff);
  joren_signin_set_title (data->signin, _("Or tap your name and type your PIN"));
  g_object_set_data_full (G_OBJECT (dialog), "joren-clock", data, (GDestroyNotify) clock_data_free);
  gtk_window_set_child (dialog, build_body (dialog, data));
  g_signal_connect (data->signin, "pin-entered", G_CALLBACK (pin_entered_cb), dialog);
  g_signal_connect_swapped (data->signin, "activity", G_CALLBACK (activity_cb), dialog);
  g_signal_connect_swapped (data->card_entry, "changed", G_CALLBACK (activity_cb), dialog);
  gtk_window_present (dialog);
  gtk_widget_grab_focus (GTK_WIDGET (data->card_entry));
  return dialog;
}

const char *
joren_clock_dialog_get_result (GtkWindow *dialog)
{
  g_return_val_if_fail (GTK_IS_WINDOW (dialog), NULL);
  g_return_val_if_fail (get_data (dialog) != NULL, NULL);

  return gtk_label_get_text (get_data (dialog)->result_label);
}
