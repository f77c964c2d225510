/* joren-application.c: start-up of the register. Options are read in
 * handle-local-options; the database is opened on activate, and any
 * failure is shown in a dialog rather than ending the process, because
 * the person in front of the till cannot read a terminal. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <glib/gi18n.h>

#include "joren-application.h"
#include "joren-promotion.h"
#include "joren-db.h"
#include "joren-loyalty.h"
#include "joren-sync-client.h"
#include "joren-sync-unsubscribe.h"
#include "joren-sync-worker.h"
#include "joren-value.h"
#include "joren-value-remote.h"
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
  char          *server_url;   /* --server */
  char          *pair_code;    /* --pair */
  char          *server_ca;    /* --server-ca, absolute */
  JorenSyncWorker *sync_worker;
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
  g_autofree char *ca_arg = NULL;

  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  g_variant_dict_lookup (options, "preset", "s", &self->preset);
  g_variant_dict_lookup (options, "server", "s", &self->server_url);
  g_variant_dict_lookup (options, "pair", "s", &self->pair_code);
  if (g_variant_dict_lookup (options, "server-ca", "^ay", &ca_arg))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (ca_arg);

      self->server_ca = g_file_get_path (file);  /* kept: the register may be started elsewhere */
    }
  if (self->server_ca != NULL && self->pair_code == NULL)
    {
      g_printerr (_("--server-ca is given with --server and --pair\n"));
      return 2;
    }
  if ((self->server_url == NULL) != (self->pair_code == NULL))
    {
      g_printerr (_("--server and --pair go together: joren --server URL --pair CODE\n"));
      return 2;
    }
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

/* The demo café, and once (only when the shop is new) its vouchers, a
 * prepaid card, a customer with a tab and coupon codes. These stay out of
 * joren_db_create_demo because the tests number customers from its shop. */
static gboolean
create_demo (JorenDb     *db,
             const char  *preset,
             GError     **error)
{
  g_autofree char *existing = joren_db_get_setting (db, "shop.preset");

  if (existing != NULL)
    return TRUE;
  return joren_db_create_demo (db, preset, error) && joren_value_create_demo (db, error);
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
  if (self->demo && !create_demo (db, self->preset ? self->preset : "jp", error))
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

/* A till switched off without closing the drawer missed its loyalty day
 * close: run it once the window is up, so start-up never waits on it. */
static gboolean
catch_up_loyalty_cb (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!joren_loyalty_catch_up (JOREN_DB (user_data), NULL, NULL, &error))
    g_warning ("Loyalty day close at start-up failed: %s", error->message);
  joren_promotion_run_birthdays_async (JOREN_DB (user_data), NULL, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* ---- sync ---- */

/* --server URL --pair CODE: exchanges the one-time code for this
 * register's token and keeps both in the register's settings. The token
 * is a password: it is stored, never printed or logged. */
static gboolean
pair_register (JorenApplication  *self,
               GError           **error)
{
  g_autoptr(JorenSyncClient) client = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id_text = NULL;
  gint64 register_id = 0;

  joren_sync_client_set_ca_file (self->server_ca);
  client = joren_sync_client_new (self->server_url);
  token = joren_sync_client_pair (client, self->pair_code, g_get_host_name (), &register_id, error);
  if (token == NULL)
    return FALSE;
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, register_id);
  if (!joren_db_set_setting (self->db, "sync.server_url", self->server_url, error)
      || !joren_db_set_setting (self->db, "sync.token", token, error)
      || !joren_db_set_setting (self->db, "sync.register_id", id_text, error)
      || !joren_db_set_setting (self->db, "sync.ca_file",
                                self->server_ca != NULL ? self->server_ca : "", error))
    return FALSE;
  g_message ("Paired with %s as register %" G_GINT64_FORMAT, self->server_url, register_id);
  return TRUE;
}

static void
sync_status_changed_cb (JorenSyncWorker *worker,
                        GtkWindow       *window)
{
  g_autofree char *text = joren_sync_worker_describe (worker);

  joren_window_set_sync_status (JOREN_WINDOW (window), text);
}

/* The key ui/joren-value-ui.c keeps the till's authority under: with a
 * server, vouchers and coupons are held there. */
#define VALUE_AUTHORITY_KEY "joren-value-authority"

static void
start_sync (JorenApplication *self,
            GtkWindow        *window)
{
  g_autofree char *url = joren_db_get_setting (self->db, "sync.server_url");
  g_autofree char *token = joren_db_get_setting (self->db, "sync.token");
  g_autofree char *ca_file = joren_db_get_setting (self->db, "sync.ca_file");

  joren_sync_client_set_ca_file (ca_file);
  if (url == NULL || *url == '\0' || token == NULL || *token == '\0')
    {
      joren_window_set_sync_status (JOREN_WINDOW (window), _("Not connected"));
      return;
    }
  g_object_set_data_full (G_OBJECT (self->db), VALUE_AUTHORITY_KEY,
                          joren_value_remote_new (self->db, url, token), g_object_unref);
  self->sync_worker = joren_sync_worker_new (joren_db_get_path (self->db), url, token);
  g_signal_connect_object (self->sync_worker, "status-changed",
                           G_CALLBACK (sync_status_changed_cb), window, 0);
  joren_sync_worker_start (self->sync_worker);
  joren_sync_share_unsubscribe_secret_async (joren_db_get_path (self->db), url, token);
  sync_status_changed_cb (self->sync_worker, window);
}

static void
stop_sync (JorenApplication *self)
{
  if (self->sync_worker == NULL)
    return;
  joren_sync_worker_stop (self->sync_worker);
  g_clear_object (&self->sync_worker);
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
  if (self->pair_code != NULL && !pair_register (self, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The register could not be paired with the "
                                                 "server: %s"), error->message);
      show_error_dialog (GTK_APPLICATION (self), text);
      return;
    }
  g_clear_pointer (&self->pair_code, g_free);  /* a code works once */
  window = GTK_WINDOW (joren_window_new (GTK_APPLICATION (self), self->db));
  if (self->width > 0)
    gtk_window_set_default_size (window, self->width, self->height);
  if (self->quit_after_first_frame)
    g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), self);
  start_sync (self, window);
  gtk_window_present (window);
  g_idle_add_full (G_PRIORITY_LOW, catch_up_loyalty_cb, g_object_ref (self->db), g_object_unref);
}

/* Joins the sync threads before the database goes: a push in flight
 * finishes (or times out) rather than being cut. */
static void
joren_application_shutdown (GApplication *application)
{
  stop_sync (JOREN_APPLICATION (application));
  G_APPLICATION_CLASS (joren_application_parent_class)->shutdown (application);
}

static void
joren_application_finalize (GObject *object)
{
  JorenApplication *self = JOREN_APPLICATION (object);

  stop_sync (self);
  g_free (self->server_url);
  g_free (self->pair_code);
  g_free (self->server_ca);
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
  app_class->shutdown = joren_application_shutdown;
}

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The register database (default: ~/.local/share/joren/register.db)"), N_("PATH") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Create the demo café if the database has no shop yet"), NULL },
  { "preset", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Country of the demo shop: jp, de or tw"), N_("PRESET") },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The joren-server to pair with, such as http://127.0.0.1:8080"), N_("URL") },
  { "pair", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("One-time pairing code from joren-server --new-pairing-code"), N_("CODE") },
  { "server-ca", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --pair: the certificate authority (PEM) of an https server whose certificate is the shop's own"),
    N_("PATH") },
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
