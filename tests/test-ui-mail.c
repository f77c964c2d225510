/* test-ui-mail.c: the back office's Mail section in a real window under
 * Xvfb against a real SMTP server (tests/smtp-sink.py, aiosmtpd): the
 * owner types the server, saves (a password is kept but never shown
 * again, and an empty field keeps it), and sends a test mail to a typed
 * address, which the sink must receive. */
#include "config.h"

#include <string.h>

#include "joren-mail-page.h"
#include "joren-promotion.h"
#include "joren-test-ui.h"
#include "joren-test-utils.h"

typedef struct {
  JorenDb     *db;
  GtkWindow   *window;
  GtkWidget   *page;
  GSubprocess *sink;
  char        *outdir;
  guint        port;
} Fixture;

static void
start_sink (Fixture *fixture)
{
  const char *python = g_getenv ("JOREN_PYTHON");
  const char *script = g_getenv ("JOREN_SMTP_SINK");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (script);
  fixture->sink = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    python ? python : "python3", script, fixture->outdir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sink));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  fixture->port = g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (fixture->port, >, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->db = joren_test_open_demo_db ("jp");
  fixture->outdir = joren_test_make_tmpdir ();
  start_sink (fixture);
  joren_db_set_setting (fixture->db, "sync.server_url", "http://127.0.0.1:8080", &error);
  g_assert_no_error (error);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_widget_add_css_class (GTK_WIDGET (fixture->window), "joren");
  gtk_window_set_default_size (fixture->window, 1024, 768);
  fixture->page = joren_mail_page_new ();
  joren_mail_page_set_db (JOREN_MAIL_PAGE (fixture->page), fixture->db);
  gtk_window_set_child (fixture->window, fixture->page);
  gtk_window_present (fixture->window);
  g_assert_true (joren_test_ui_wait_for ((JorenTestPredicate) gtk_widget_get_mapped, fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_subprocess_force_exit (fixture->sink);
  g_subprocess_wait (fixture->sink, NULL, NULL);
  g_clear_object (&fixture->sink);
  g_clear_object (&fixture->db);
  g_free (fixture->outdir);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkEditable *
field (Fixture    *fixture,
       const char *name)
{
  GtkWidget *widget = find_named (fixture->page, name);

  g_assert_nonnull (widget);
  return GTK_EDITABLE (widget);
}

static void
type_into (Fixture    *fixture,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (field (fixture, name), text);
}

static char *
stored_password (Fixture *fixture)
{
  return joren_db_get_setting (fixture->db, "mail.password");
}

static gboolean
status_is (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *label = g_object_get_data (G_OBJECT (fixture->page), "test-status");

  return strstr (gtk_label_get_text (GTK_LABEL (label)), "owner@example.jp") != NULL;
}

static gboolean
mail_arrived (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *path = g_build_filename (fixture->outdir, "0001.json", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The status label: the last label of the page's column. */
static GtkWidget *
find_status (Fixture *fixture)
{
  GtkWidget *button = joren_test_ui_find_button (fixture->page, "Send test mail");
  GtkWidget *row = gtk_widget_get_parent (button);
  GtkWidget *label = gtk_widget_get_next_sibling (row);

  g_assert_true (GTK_IS_LABEL (label));
  return label;
}

static char *
read_mail (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->outdir, "0001.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&text);
}

static void
test_configure_and_send (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *port = g_strdup_printf ("%u", fixture->port);
  g_autofree char *password = NULL;
  g_autofree char *mail = NULL;
  g_autoptr(JorenMailSettings) settings = NULL;

  /* The default unsubscribe page is the paired server. */
  g_assert_nonnull (strstr (gtk_entry_get_placeholder_text (GTK_ENTRY (field (fixture, "unsubscribe"))),
                            "http://127.0.0.1:8080"));
  type_into (fixture, "host", "127.0.0.1");
  type_into (fixture, "port", port);
  gtk_spin_button_update (GTK_SPIN_BUTTON (field (fixture, "port")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_named (fixture->page, "tls")), JOREN_MAIL_TLS_NONE);
  type_into (fixture, "user", "shop");
  type_into (fixture, "password", "pw-never-shown");
  type_into (fixture, "from_name", "喫茶ジョレン");
  type_into (fixture, "from", "shop@example.jp");
  joren_test_ui_tap (fixture->page, "Save");
  password = stored_password (fixture);
  g_assert_cmpstr (password, ==, "pw-never-shown");
  /* Never shown back; saving again with the field empty keeps it. */
  g_assert_cmpstr (gtk_editable_get_text (field (fixture, "password")), ==, "");
  joren_test_ui_tap (fixture->page, "Save");
  g_clear_pointer (&password, g_free);
  password = stored_password (fixture);
  g_assert_cmpstr (password, ==, "pw-never-shown");

  /* The sink takes no login: a relay without one. */
  type_into (fixture, "user", "");
  joren_test_ui_tap (fixture->page, "Save");
  settings = joren_promotion_get_mail_settings (fixture->db);
  g_assert_nonnull (settings);
  g_assert_cmpuint (settings->port, ==, fixture->port);
  g_assert_cmpint (settings->tls, ==, JOREN_MAIL_TLS_NONE);
  g_assert_null (settings->password);

  type_into (fixture, "test", "owner@example.jp");
  g_object_set_data (G_OBJECT (fixture->page), "test-status", find_status (fixture));
  joren_test_ui_tap (fixture->page, "Send test mail");
  g_assert_true (joren_test_ui_wait_for (mail_arrived, fixture));
  g_assert_true (joren_test_ui_wait_for (status_is, fixture));
  mail = read_mail (fixture);
  g_assert_nonnull (strstr (mail, "\"rcpt_tos\": [\"owner@example.jp\"]"));
  g_assert_nonnull (strstr (mail, "喫茶ジョレン"));
  g_assert_nonnull (strstr (mail, "shop@example.jp"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/joren/ui/mail/configure-and-send", Fixture, NULL, fixture_set_up,
              test_configure_and_send, fixture_tear_down);
  return g_test_run ();
}
