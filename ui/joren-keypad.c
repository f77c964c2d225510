/* joren-keypad.c: the number pad. The text is kept as typed (digits and
 * at most one decimal separator) and parsed by whoever reads it, because
 * the same pad enters PINs, quantities and amounts in three currencies. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-keypad.h"

#define MAX_LENGTH 16

struct _JorenKeypad
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkLabel  *display;
  GtkWidget *key_sep;
  GtkWidget *key_ok;
  GtkWidget *key_00;

  GString   *text;
  char      *separator;
  char      *placeholder;
  gboolean   masked;
};

enum {
  CHANGED,
  SUBMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenKeypad, joren_keypad, GTK_TYPE_WIDGET)

static void
update_display (JorenKeypad *self)
{
  g_autoptr(GString) shown = g_string_new (NULL);

  if (self->text->len == 0)
    g_string_append (shown, self->placeholder ? self->placeholder : "");
  else if (self->masked)
    for (gsize i = 0; i < self->text->len; i++)
      g_string_append (shown, "●");
  else
    g_string_append (shown, self->text->str);
  gtk_label_set_text (self->display, shown->str);
  gtk_widget_set_opacity (GTK_WIDGET (self->display), self->text->len ? 1.0 : 0.5);
}

static void
set_text_internal (JorenKeypad *self,
                   const char  *text)
{
  g_string_assign (self->text, text ? text : "");
  update_display (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
append_text (JorenKeypad *self,
             const char  *text)
{
  if (self->text->len + strlen (text) > MAX_LENGTH)
    return;
  g_string_append (self->text, text);
  update_display (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
digit_clicked_cb (GtkButton   *button,
                  JorenKeypad *self)
{
  append_text (self, gtk_button_get_label (button));
}

static void
separator_clicked_cb (GtkButton   *button,
                      JorenKeypad *self)
{
  if (self->separator == NULL || strstr (self->text->str, self->separator))
    return;
  /* "0," reads better than a bare ",". */
  if (self->text->len == 0)
    g_string_append (self->text, "0");
  append_text (self, self->separator);
}

static void
back_clicked_cb (GtkButton   *button,
                 JorenKeypad *self)
{
  const char *end = self->text->str + self->text->len;
  const char *prev;

  if (self->text->len == 0)
    return;
  prev = g_utf8_find_prev_char (self->text->str, end);
  g_string_truncate (self->text, prev - self->text->str);
  update_display (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
clear_clicked_cb (GtkButton   *button,
                  JorenKeypad *self)
{
  joren_keypad_clear (self);
}

static void
ok_clicked_cb (GtkButton   *button,
               JorenKeypad *self)
{
  g_signal_emit (self, signals[SUBMITTED], 0);
}

static void
joren_keypad_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_KEYPAD);
  G_OBJECT_CLASS (joren_keypad_parent_class)->dispose (object);
}

static void
joren_keypad_finalize (GObject *object)
{
  JorenKeypad *self = JOREN_KEYPAD (object);

  g_string_free (self->text, TRUE);
  g_free (self->separator);
  g_free (self->placeholder);
  G_OBJECT_CLASS (joren_keypad_parent_class)->finalize (object);
}

static void
joren_keypad_class_init (JorenKeypadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_keypad_dispose;
  object_class->finalize = joren_keypad_finalize;

  /* Emitted whenever the typed text changes. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /* Emitted when OK is tapped. */
  signals[SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/joren/Register/joren-keypad.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenKeypad, box);
  gtk_widget_class_bind_template_child (widget_class, JorenKeypad, display);
  gtk_widget_class_bind_template_child (widget_class, JorenKeypad, key_sep);
  gtk_widget_class_bind_template_child (widget_class, JorenKeypad, key_ok);
  gtk_widget_class_bind_template_child (widget_class, JorenKeypad, key_00);
  gtk_widget_class_bind_template_callback (widget_class, digit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, separator_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ok_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "keypad");
}

static void
joren_keypad_init (JorenKeypad *self)
{
  self->text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "keypad");
  update_display (self);
}

GtkWidget *
joren_keypad_new (void)
{
  return g_object_new (JOREN_TYPE_KEYPAD, NULL);
}

const char *
joren_keypad_get_text (JorenKeypad *self)
{
  g_return_val_if_fail (JOREN_IS_KEYPAD (self), NULL);

  return self->text->str;
}

void
joren_keypad_set_text (JorenKeypad *self,
                       const char  *text)
{
  g_return_if_fail (JOREN_IS_KEYPAD (self));

  set_text_internal (self, text);
}

void
joren_keypad_clear (JorenKeypad *self)
{
  g_return_if_fail (JOREN_IS_KEYPAD (self));

  if (self->text->len > 0)
    set_text_internal (self, NULL);
}

gint64
joren_keypad_get_number (JorenKeypad *self)
{
  guint64 value = 0;

  g_return_val_if_fail (JOREN_IS_KEYPAD (self), 0);

  if (!g_ascii_string_to_unsigned (self->text->str, 10, 1, 99999, &value, NULL))
    return 0;
  return (gint64) value;
}

void
joren_keypad_set_decimal_separator (JorenKeypad *self,
                                    const char  *separator)
{
  g_return_if_fail (JOREN_IS_KEYPAD (self));

  g_free (self->separator);
  self->separator = g_strdup (separator);
  gtk_widget_set_visible (self->key_sep, separator != NULL);
  if (separator != NULL)
    gtk_button_set_label (GTK_BUTTON (self->key_sep), separator);
}

void
joren_keypad_set_masked (JorenKeypad *self,
                         gboolean     masked)
{
  g_return_if_fail (JOREN_IS_KEYPAD (self));

  self->masked = !!masked;
  /* A PIN is digits only. */
  gtk_widget_set_visible (self->key_00, !masked);
  update_display (self);
}

void
joren_keypad_set_show_ok (JorenKeypad *self,
                          gboolean     show_ok)
{
  g_return_if_fail (JOREN_IS_KEYPAD (self));

  gtk_widget_set_visible (self->key_ok, show_ok);
}

void
joren_keypad_set_placeholder (JorenKeypad *self,
                              const char  *placeholder)
{
  g_return_if_fail (JOREN_IS_KEYPAD (self));

  g_free (self->placeholder);
  self->placeholder = g_strdup (placeholder);
  update_display (self);
}
