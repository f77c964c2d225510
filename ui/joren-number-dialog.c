/* joren-number-dialog.c: one number on a keypad, in a modal window. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-number-dialog.h"

struct _JorenNumberDialog
{
  GtkWindow       parent_instance;

  GtkLabel       *title_label;
  GtkWidget      *modes_box;
  GtkLabel       *error_label;
  JorenKeypad    *keypad;

  GtkToggleButton *first_mode;
  guint           n_modes;
  JorenNumberFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
};

G_DEFINE_FINAL_TYPE (JorenNumberDialog, joren_number_dialog, GTK_TYPE_WINDOW)

static guint
get_active_mode (JorenNumberDialog *self)
{
  guint index = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (self->modes_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child), index++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child)))
      return index;
  return 0;
}

static void
ok_clicked_cb (JorenNumberDialog *self)
{
  g_autofree char *text = g_strdup (joren_keypad_get_text (self->keypad));

  if (self->func == NULL || self->func (self, text, get_active_mode (self), self->user_data))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
joren_number_dialog_dispose (GObject *object)
{
  JorenNumberDialog *self = JOREN_NUMBER_DIALOG (object);

  if (self->destroy != NULL)
    g_clear_pointer (&self->user_data, self->destroy);
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_NUMBER_DIALOG);
  G_OBJECT_CLASS (joren_number_dialog_parent_class)->dispose (object);
}

static void
joren_number_dialog_class_init (JorenNumberDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_number_dialog_dispose;

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/jp/joren/Register/joren-number-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenNumberDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, JorenNumberDialog, modes_box);
  gtk_widget_class_bind_template_child (widget_class, JorenNumberDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, JorenNumberDialog, keypad);
  gtk_widget_class_bind_template_callback (widget_class, ok_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
joren_number_dialog_init (JorenNumberDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

JorenNumberDialog *
joren_number_dialog_new (GtkWidget  *parent,
                         const char *title)
{
  JorenNumberDialog *self;
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;

  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (JOREN_TYPE_NUMBER_DIALOG, "title", title, NULL);
  gtk_label_set_text (self->title_label, title);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  return self;
}

JorenKeypad *
joren_number_dialog_get_keypad (JorenNumberDialog *self)
{
  g_return_val_if_fail (JOREN_IS_NUMBER_DIALOG (self), NULL);

  return self->keypad;
}

guint
joren_number_dialog_add_mode (JorenNumberDialog *self,
                              const char        *label)
{
  GtkWidget *toggle;

  g_return_val_if_fail (JOREN_IS_NUMBER_DIALOG (self), 0);
  g_return_val_if_fail (label != NULL, 0);

  toggle = gtk_toggle_button_new_with_label (label);
  if (self->first_mode == NULL)
    {
      self->first_mode = GTK_TOGGLE_BUTTON (toggle);
      gtk_toggle_button_set_active (self->first_mode, TRUE);
    }
  else
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (toggle), self->first_mode);
  gtk_box_append (GTK_BOX (self->modes_box), toggle);
  gtk_widget_set_visible (self->modes_box, TRUE);
  return self->n_modes++;
}

void
joren_number_dialog_set_handler (JorenNumberDialog *self,
                                 JorenNumberFunc    func,
                                 gpointer           user_data,
                                 GDestroyNotify     destroy)
{
  g_return_if_fail (JOREN_IS_NUMBER_DIALOG (self));

  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
}

void
joren_number_dialog_set_error (JorenNumberDialog *self,
                               const char        *message)
{
  g_return_if_fail (JOREN_IS_NUMBER_DIALOG (self));

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
