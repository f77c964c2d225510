/* joren-window-scan.c: the window's keyboard-wedge scanner. Scanners and
 * card readers "type" a code in a burst ending in Enter.
 *
 * On the till pages with no text field focused every key is the scanner's
 * (the till has no keyboard), so keys go straight to the scan buffer.
 * With a text field focused, keys go through JorenScanner's timing first:
 * a fast burst ending in Enter is a scan and never lands in the field by
 * accident (on the till it is sold; in the back office it replaces the
 * field's text, so scanning into a search or barcode field finds that
 * code), while a person's slower keys reach the field as typed. */
#include "config.h"

#include "joren-scanner.h"
#include "joren-window-private.h"

static gboolean
is_scanning_page (JorenWindow *self)
{
  const char *page = joren_window_get_page (self);

  return g_str_equal (page, "register") || g_str_equal (page, "tender");
}

static gboolean
is_enter (guint keyval)
{
  return keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter;
}

/* Hands keys the scanner held back to the field as typing; a trailing
 * newline is the person's Enter, which activates the field. */
static void
type_into_focus (JorenWindow *self,
                 const char  *text,
                 gboolean     replace)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gsize len = strlen (text);
  gboolean enter = len > 0 && text[len - 1] == '\n';
  GtkEditable *editable;
  int pos;

  if (focus == NULL || !GTK_IS_EDITABLE (focus))
    return;
  editable = GTK_EDITABLE (focus);
  if (replace)
    gtk_editable_delete_text (editable, 0, -1);
  else
    gtk_editable_delete_selection (editable);
  pos = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, text, enter ? (int) len - 1 : (int) len, &pos);
  gtk_editable_set_position (editable, pos);
  if (enter || replace)
    gtk_widget_activate (focus);
}

static void
deliver (JorenWindow        *self,
         JorenScannerResult  result,
         const char         *text)
{
  if (result == JOREN_SCANNER_TYPING)
    type_into_focus (self, text, FALSE);
  else if (result == JOREN_SCANNER_SCAN && is_scanning_page (self))
    g_signal_emit_by_name (self->scan_buffer, "scanned", text);
  else if (result == JOREN_SCANNER_SCAN)
    type_into_focus (self, text, TRUE);
}

static gboolean
flush_held_cb (gpointer data)
{
  JorenWindow *self = data;
  g_autofree char *text = NULL;
  JorenScannerResult result;

  self->scan_flush_id = 0;
  result = joren_scanner_flush (self->field_scanner,
                                g_get_monotonic_time () - self->scan_clock_offset_us, &text);
  if (result == JOREN_SCANNER_PENDING)
    {
      self->scan_flush_id = g_timeout_add (10, flush_held_cb, self);
      return G_SOURCE_REMOVE;
    }
  deliver (self, result, text);
  return G_SOURCE_REMOVE;
}

static void
release_held (JorenWindow *self)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->scan_flush_id, g_source_remove);
  /* Far in the future: whatever is held is old enough to be typing. */
  if (joren_scanner_flush (self->field_scanner, G_MAXINT64 / 2, &text) == JOREN_SCANNER_TYPING)
    type_into_focus (self, text, FALSE);
}

static gboolean
feed_field_scanner (JorenWindow *self,
                    gunichar     c,
                    guint32      time_ms)
{
  gint64 time_us = (gint64) time_ms * 1000;
  g_autofree char *text = NULL;
  JorenScannerResult result;

  self->scan_clock_offset_us = g_get_monotonic_time () - time_us;
  result = joren_scanner_feed (self->field_scanner, c, time_us, &text);
  deliver (self, result, text);
  if (!self->scan_flush_id)
    self->scan_flush_id = g_timeout_add (40, flush_held_cb, self);
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                JorenWindow           *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  guint32 time = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));
  gboolean in_field = focus != NULL && GTK_IS_EDITABLE (focus);
  gunichar c = is_enter (keyval) ? '\n' : gdk_keyval_to_unicode (keyval);

  if (!in_field && !is_scanning_page (self))
    return FALSE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) ||
      (c != '\n' && (c == 0 || !g_unichar_isprint (c))))
    {
      /* Backspace, arrows, shortcuts: what was held goes first. */
      if (in_field)
        release_held (self);
      return FALSE;
    }
  if (in_field)
    return feed_field_scanner (self, c, time);
  if (c == '\n')
    {
      /* Taken even when empty: Enter must not press a focused button. */
      joren_scan_buffer_submit (self->scan_buffer);
      return TRUE;
    }
  return joren_scan_buffer_push (self->scan_buffer, c, time);
}

static guint
read_setting (JorenWindow *self,
              const char  *key,
              guint        fallback,
              guint        max)
{
  g_autofree char *text = joren_db_get_setting (self->db, key);
  guint64 value;

  if (text == NULL)
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    {
      g_message ("Setting %s=%s is not a number from 1 to %u; using %u", key, text, max, fallback);
      return fallback;
    }
  return (guint) value;
}

/* The timing suits most scanners; a slow Bluetooth scanner or a fast
 * typist may need another: settings "scanner.max_gap_ms" and
 * "scanner.min_length". */
void
joren_window_scan_configure (JorenWindow *self)
{
  JorenScannerConfig config = {
    .max_gap_us = (gint64) read_setting (self, "scanner.max_gap_ms", 30, 1000) * 1000,
    .min_length = read_setting (self, "scanner.min_length", 4, 64),
    .terminator = '\n',
  };

  g_clear_pointer (&self->field_scanner, joren_scanner_free);
  self->field_scanner = joren_scanner_new (&config);
}

void
joren_window_scan_init (JorenWindow *self,
                        GCallback    scanned_cb)
{
  self->scan_buffer = joren_scan_buffer_new ();
  g_signal_connect (self->scan_buffer, "scanned", scanned_cb, self);
  self->scan_controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->scan_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->scan_controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), self->scan_controller);
}

void
joren_window_scan_dispose (JorenWindow *self)
{
  g_clear_handle_id (&self->scan_flush_id, g_source_remove);
  g_clear_pointer (&self->field_scanner, joren_scanner_free);
  g_clear_object (&self->scan_buffer);
}
