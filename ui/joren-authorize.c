/* joren-authorize.c: the manager-PIN dialog. It reuses the sign-in widget
 * (staff buttons, PIN pad) with only the staff whose role may do the
 * action, and checks the PIN with joren_staff_authorize. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-authorize.h"
#include "joren-signin.h"
#include "joren-ui.h"

typedef struct {
  JorenDb             *db;
  JorenPermission      permission;
  JorenAuthorizedFunc  func;
  gpointer             user_data;
} AuthorizeData;

static void
authorize_data_free (gpointer  user_data,
                     GClosure *closure)
{
  AuthorizeData *data = user_data;

  g_object_unref (data->db);
  g_free (data);
}

static void
pin_entered_cb (JorenSignin *signin,
                gint64       staff_id,
                const char  *pin,
                gpointer     user_data)
{
  AuthorizeData *data = user_data;
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (signin)));
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenStaff) authorizer = NULL;

  authorizer = joren_staff_authorize (data->db, staff_id, pin, data->permission, &error);
  if (authorizer == NULL)
    {
      joren_signin_show_error (signin, error->message);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  data->func (authorizer, data->user_data);
  gtk_window_destroy (window);
}

/* Only the staff who may grant the permission get a button. */
static GPtrArray *
list_authorizers (JorenDb         *db,
                  JorenPermission  permission,
                  GError         **error)
{
  g_autoptr(GPtrArray) staff = joren_staff_list (db, FALSE, error);

  if (staff == NULL)
    return NULL;
  for (guint i = staff->len; i > 0; i--)
    {
      const JorenStaff *member = g_ptr_array_index (staff, i - 1);

      if (!joren_role_can (member->role, permission))
        g_ptr_array_remove_index (staff, i - 1);
    }
  return g_steal_pointer (&staff);
}

static GtkWidget *
build_body (GtkWindow *window,
            GtkWidget *signin)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *cancel = gtk_button_new_with_label (_("Cancel"));

  gtk_widget_set_vexpand (signin, TRUE);
  gtk_widget_add_css_class (box, "dialog-body");
  gtk_box_append (GTK_BOX (box), signin);
  gtk_box_append (GTK_BOX (box), cancel);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  return box;
}

void
joren_authorize_run (GtkWidget           *parent,
                     JorenDb             *db,
                     JorenPermission      permission,
                     const char          *reason,
                     JorenAuthorizedFunc  func,
                     gpointer             user_data)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GError) error = NULL;
  AuthorizeData *data;
  GtkWindow *window;
  GtkWidget *signin;

  g_return_if_fail (JOREN_IS_DB (db));
  g_return_if_fail (reason != NULL && func != NULL);

  staff = list_authorizers (db, permission, &error);
  if (staff == NULL)
    {
      g_warning ("Cannot list staff: %s", error->message);
      return;
    }
  data = g_new0 (AuthorizeData, 1);
  data->db = g_object_ref (db);
  data->permission = permission;
  data->func = func;
  data->user_data = user_data;
  window = joren_ui_dialog_new (parent, reason);
  gtk_window_set_default_size (window, 640, 600);
  signin = joren_signin_new ();
  joren_signin_set_staff (JOREN_SIGNIN (signin), staff);
  joren_signin_set_title (JOREN_SIGNIN (signin), reason);
  g_signal_connect_data (signin, "pin-entered", G_CALLBACK (pin_entered_cb), data,
                         authorize_data_free, 0);
  gtk_window_set_child (window, build_body (window, signin));
  gtk_window_present (window);
}
