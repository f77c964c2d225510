/* joren-application.c: start-up of the register. Options are read in
 * handle-local-options; the database is opened on activate, and any
 * failure is shown in a dialog rather than ending the process, because
 * the person in front of the till cannot read a terminal. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <glib/gi18n.h>

#include "joren-application.h"
#include "joren-db.h"
#include "joren-window.h"

struct _JorenApplication
{
  GtkApplication parent_instance;

  char          *db_path;
  char          *preset;
  gboolean       demo;
  int            width;
  int            height;
  gboolean       quit_after_first_frame;
  gint64         started_at;   /* monotonic µs at construction */
  JorenDb       *db;
};

G_DEFINE_FINAL_TYPE (JorenApplication, joren_application, GTK_TYPE_APPLICATION)

void
joren_i18n_init (void)
{
  const char *localedir = g_getenv ("JOREN_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static gboolean
parse_size (const char *text,
            int        *width,
            int        *height)
{
  guint64 w, h;
  g_auto(GStrv) parts = g_strsplit (text, "x", 2);

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 320, 10000, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 240, 10000, &h, NULL))
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static int
joren_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  JorenApplication *self = JOREN_APPLICATION (application);
  const char *text = NULL;

  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  g_variant_dict_lookup (options, "preset", "s", &self->preset);
  self->demo = g_variant_dict_contains (options, "demo");
  self->quit_after_first_frame = g_variant_dict_contains (options, "quit-after-first-frame");
  if (g_variant_dict_lookup (options, "size", "&s", &text) &&
      !parse_size (text, &self->width, &self->height))
    {
      g_printerr (_("--size wants WIDTHxHEIGHT, such as 1366x768\n"));
      return 2;
    }
  if (self->preset != NULL && joren_shop_preset_lookup (self->preset) == NULL)
    {
      g_printerr (_("Unknown preset “%s”: use jp, de or tw\n"), self->preset);
      return 2;
    }
  return -1;
}

static void
show_error_dialog (GtkApplication *app,
                   const char     *message)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (NULL, 0, GTK_MESSAGE_ERROR,
                                   GTK_BUTTONS_CLOSE, "%s", _("Joren cannot start"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  /* Belonging to the application keeps it running until closed. */
  gtk_window_set_application (GTK_WINDOW (dialog), app);
  gtk_window_present (GTK_WINDOW (dialog));
}

static JorenDb *
open_database (JorenApplication *self,
               GError          **error)
{
  g_autofree char *path = self->db_path ? g_strdup (self->db_path) : joren_db_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(JorenDb) db = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (errno));
      return NULL;
    }
  db = joren_db_open (path, error);
  if (db == NULL)
    return NULL;
  if (self->demo && !joren_db_create_demo (db, self->preset ? self->preset : "jp", error))
    return NULL;
  return g_steal_pointer (&db);
}

/* --quit-after-first-frame: the start-up benchmark measures from process
 * start to the first painted frame of a usable window, then leaves. */
static void
first_frame_painted_cb (GdkFrameClock    *clock,
                        JorenApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, self);
  g_print ("first frame after %.1f ms\n",
           (g_get_monotonic_time () - self->started_at) / 1000.0);
  g_application_quit (G_APPLICATION (self));
}

static void
window_mapped_cb (GtkWidget        *window,
                  JorenApplication *self)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_frame_painted_cb), self);
}

static void
joren_application_activate (GApplication *application)
{
  JorenApplication *self = JOREN_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  if (self->db == NULL)
    self->db = open_database (self, &error);
  if (self->db == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The register database could not be opened: %s"),
                                               error->message);
      show_error_dialog (GTK_APPLICATION (self), text);
      return;
    }
  window = GTK_WINDOW (joren_window_new (GTK_APPLICATION (self), self->db));
  if (self->width > 0)
    gtk_window_set_default_size (window, self->width, self->height);
  if (self->quit_after_first_frame)
    g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), self);
  gtk_window_present (window);
}

static void
joren_application_finalize (GObject *object)
{
  JorenApplication *self = JOREN_APPLICATION (object);

  g_clear_object (&self->db);
  g_free (self->db_path);
  g_free (self->preset);
  G_OBJECT_CLASS (joren_application_parent_class)->finalize (object);
}

static void
joren_application_class_init (JorenApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = joren_application_finalize;
  app_class->handle_local_options = joren_application_handle_local_options;
  app_class->activate = joren_application_activate;
}

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The register database (default: ~/.local/share/joren/register.db)"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Create the demo café if the database has no shop yet"), NULL },
  { "preset", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Country of the demo shop: jp, de or tw"), N_("PRESET") },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Window size, such as 1366x768"), N_("WxH") },
  { "quit-after-first-frame", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the start-up time and quit after the first frame (benchmark)"), NULL },
  { NULL }
};

static void
joren_application_init (JorenApplication *self)
{
  self->started_at = g_get_monotonic_time ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Joren: a touch point-of-sale register"));
}

JorenApplication *
joren_application_new (void)
{
  /* NON_UNIQUE: two registers on one machine (tests, training) each get
   * their own database and window. */
  return g_object_new (JOREN_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}
