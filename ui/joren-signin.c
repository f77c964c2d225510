/* joren-signin.c: staff buttons and the PIN pad. Checking the PIN is not
 * done here: the same widget signs in at the till and authorises a refund
 * with a manager's PIN, and each asks the data layer differently. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-keypad.h"
#include "joren-signin.h"
#include "joren-ui.h"

struct _JorenSignin
{
  GtkWidget    parent_instance;

  GtkStack    *stack;
  GtkLabel    *title_label;
  GtkFlowBox  *staff_box;
  GtkLabel    *name_label;
  GtkLabel    *message_label;
  JorenKeypad *keypad;
  GtkWidget   *clock_button;

  gint64       staff_id;
};

enum {
  PIN_ENTERED,
  CLOCK_REQUESTED,
  ACTIVITY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (JorenSignin, joren_signin, GTK_TYPE_WIDGET)

static void
set_message (JorenSignin *self,
             const char  *message,
             gboolean     is_error)
{
  gtk_label_set_text (self->message_label, message);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
staff_clicked_cb (GtkButton   *button,
                  JorenSignin *self)
{
  JorenStaff *staff = g_object_get_data (G_OBJECT (button), "joren-staff");

  self->staff_id = staff->id;
  gtk_label_set_text (self->name_label, staff->name);
  set_message (self, _("Enter your PIN"), FALSE);
  joren_keypad_clear (self->keypad);
  gtk_stack_set_visible_child_name (self->stack, "pin");
  g_signal_emit (self, signals[ACTIVITY], 0);
}

static GtkWidget *
create_staff_button (JorenSignin      *self,
                     const JorenStaff *staff)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_box_append (GTK_BOX (box), joren_ui_label_new (staff->name, "staff-name", 0.5));
  gtk_box_append (GTK_BOX (box),
                  joren_ui_label_new (joren_ui_role_name (staff->role), "staff-role", 0.5));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "staff-button");
  g_object_set_data_full (G_OBJECT (button), "joren-staff",
                          joren_staff_copy (staff), (GDestroyNotify) joren_staff_free);
  g_signal_connect (button, "clicked", G_CALLBACK (staff_clicked_cb), self);
  return button;
}

static void
pin_submitted_cb (JorenKeypad *keypad,
                  JorenSignin *self)
{
  const char *pin = joren_keypad_get_text (keypad);

  if (*pin == '\0')
    return;
  g_signal_emit (self, signals[PIN_ENTERED], 0, self->staff_id, pin);
}

static void
pin_changed_cb (JorenSignin *self)
{
  g_signal_emit (self, signals[ACTIVITY], 0);
}

static void
back_clicked_cb (GtkButton   *button,
                 JorenSignin *self)
{
  joren_signin_reset (self);
}

static void
clock_clicked_cb (JorenSignin *self)
{
  g_signal_emit (self, signals[CLOCK_REQUESTED], 0);
}

static void
joren_signin_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), JOREN_TYPE_SIGNIN);
  G_OBJECT_CLASS (joren_signin_parent_class)->dispose (object);
}

static void
joren_signin_class_init (JorenSigninClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = joren_signin_dispose;

  /* staff id and the PIN typed; the handler checks it. */
  signals[PIN_ENTERED] = g_signal_new ("pin-entered", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  /* The Clock in/out button was tapped (joren-clock-dialog). */
  signals[CLOCK_REQUESTED] = g_signal_new ("clock-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  /* Someone is using it: a name tapped or a PIN digit typed. */
  signals[ACTIVITY] = g_signal_new ("activity", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);

  g_type_ensure (JOREN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/joren/Register/joren-signin.ui");
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, stack);
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, title_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, staff_box);
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, name_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, message_label);
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, keypad);
  gtk_widget_class_bind_template_callback (widget_class, pin_submitted_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, JorenSignin, clock_button);
  gtk_widget_class_bind_template_callback (widget_class, clock_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
joren_signin_init (JorenSignin *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  joren_keypad_set_masked (self->keypad, TRUE);
  g_signal_connect_swapped (self->keypad, "changed", G_CALLBACK (pin_changed_cb), self);
  joren_keypad_set_show_ok (self->keypad, TRUE);
}

GtkWidget *
joren_signin_new (void)
{
  return g_object_new (JOREN_TYPE_SIGNIN, NULL);
}

void
joren_signin_set_staff (JorenSignin *self,
                        GPtrArray   *staff)
{
  guint n_active = 0;

  g_return_if_fail (JOREN_IS_SIGNIN (self));
  g_return_if_fail (staff != NULL);

  joren_ui_remove_all (GTK_WIDGET (self->staff_box));
  for (guint i = 0; i < staff->len; i++)
    {
      const JorenStaff *member = g_ptr_array_index (staff, i);

      if (!member->active)
        continue;
      gtk_flow_box_append (self->staff_box, create_staff_button (self, member));
      n_active++;
    }
  /* As many columns as buttons (up to four), so a short row is centred. */
  gtk_flow_box_set_max_children_per_line (self->staff_box, CLAMP (n_active, 1, 4));
  joren_signin_reset (self);
}

void
joren_signin_set_title (JorenSignin *self,
                        const char  *title)
{
  g_return_if_fail (JOREN_IS_SIGNIN (self));

  gtk_label_set_text (self->title_label, title);
}

void
joren_signin_show_error (JorenSignin *self,
                         const char  *message)
{
  g_return_if_fail (JOREN_IS_SIGNIN (self));
  g_return_if_fail (message != NULL);

  joren_keypad_clear (self->keypad);
  set_message (self, message, TRUE);
}

void
joren_signin_reset (JorenSignin *self)
{
  g_return_if_fail (JOREN_IS_SIGNIN (self));

  self->staff_id = 0;
  joren_keypad_clear (self->keypad);
  gtk_stack_set_visible_child_name (self->stack, "staff");
}

void
joren_signin_set_show_clock (JorenSignin *self,
                             gboolean     show)
{
  g_return_if_fail (JOREN_IS_SIGNIN (self));

  gtk_widget_set_visible (self->clock_button, show);
}
