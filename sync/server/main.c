/* main.c of joren-server: the chain's sync server. One command starts it
 * (`joren-server --db chain.db --demo`), listening on loopback unless
 * told otherwise. The admin options do one thing to the database and
 * exit; they may run while the server is up (SQLite WAL). */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "joren-server-admin.h"
#include "joren-server-bulk.h"
#include "joren-server-http.h"
#include "joren-server-member-page.h"
#include "joren-server-unsubscribe.h"
#include "joren-server-value.h"

typedef struct {
  char    *db_path;
  char    *address;
  gint     port;
  gboolean demo;
  gint64   new_code_store;
  gint     code_ttl;
  char    *add_store;
  gint64   revoke_register;
  char    *set_price;
  gint64   delete_product;
  char    *set_member_password;
  char    *generate_demo_chain;
  gboolean list_conflicts;
  char    *tls_cert;
  char    *tls_key;
} Options;

static gboolean
parse_options (int      *argc,
               char   ***argv,
               Options  *options,
               GError  **error)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &options->db_path, "The server's database file", "PATH" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &options->address, "IPv4 address to listen on (127.0.0.1)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port, "TCP port (8080; 0 picks a free one)", "PORT" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options->demo, "Seed the demo store and catalogue if the file is new", NULL },
    { "new-pairing-code", 0, 0, G_OPTION_ARG_INT64, &options->new_code_store, "Print a one-time pairing code for a store and exit", "STORE" },
    { "code-ttl", 0, 0, G_OPTION_ARG_INT, &options->code_ttl, "How long a new pairing code is valid, in seconds (900)", "SECONDS" },
    { "add-store", 0, 0, G_OPTION_ARG_STRING, &options->add_store, "Add a store, print its id and exit", "NAME" },
    { "revoke-register", 0, 0, G_OPTION_ARG_INT64, &options->revoke_register, "Revoke a register's tokens and exit", "ID" },
    { "set-price", 0, 0, G_OPTION_ARG_STRING, &options->set_price, "Set a product's price in minor units and exit", "ID:PRICE" },
    { "delete-product", 0, 0, G_OPTION_ARG_INT64, &options->delete_product, "Delete a product and exit", "ID" },
    { "set-member-password", 0, 0, G_OPTION_ARG_STRING, &options->set_member_password, "Set a member's web page password (read from stdin) and exit", "CARD" },
    { "generate-demo-chain", 0, 0, G_OPTION_ARG_STRING, &options->generate_demo_chain, "Add generated members and products in one transaction and exit", "CUSTOMERS:PRODUCTS" },
    { "list-conflicts", 0, 0, G_OPTION_ARG_NONE, &options->list_conflicts, "Print what offline registers overdrew or used twice, and exit", NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_cert, "Serve HTTPS with this PEM certificate (chain)", "PATH" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_key, "The PEM private key of --tls-cert", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Joren sync server");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (options->db_path == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--db PATH is required");
      return FALSE;
    }
  if (options->code_ttl <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--code-ttl must be 1 or more");
      return FALSE;
    }
  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--tls-cert and --tls-key go together");
      return FALSE;
    }
  if (options->port < 0 || options->port > 65535)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--port must be 0 to 65535");
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_price (JorenServerDb *db,
           const char    *spec,
           GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 2);
  guint64 id, price;

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT64, &id, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, JOREN_SYNC_MAX_INT, &price, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--set-price takes PRODUCT_ID:PRICE in minor units, e.g. 5:480");
      return FALSE;
    }
  return joren_server_set_price (db, (gint64) id, (gint64) price, error);
}

static gboolean
print_pairing_code (JorenServerDb *db,
                    gint64         store_id,
                    guint          ttl_s,
                    GError       **error)
{
  g_autofree char *code = NULL;

  if (!joren_server_db_has_store (db, store_id))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "There is no store %" G_GINT64_FORMAT ".", store_id);
      return FALSE;
    }
  code = joren_server_db_new_pairing_code (db, store_id, ttl_s, error);
  if (code == NULL)
    return FALSE;
  printf ("%s\n", code);
  return TRUE;
}

static gboolean
print_conflicts (JorenServerDb *db)
{
  g_autofree char *table = joren_server_value_describe_conflicts (db);

  fputs (table, stdout);
  return TRUE;
}

/* TRUE with *done set when an admin option ran (and the process exits). */
static gboolean
run_admin (JorenServerDb  *db,
           const Options  *options,
           gboolean       *done,
           GError        **error)
{
  gint64 store_id;
  guint n_customers, n_products;

  *done = TRUE;
  if (options->new_code_store != 0)
    return print_pairing_code (db, options->new_code_store, (guint) options->code_ttl, error);
  if (options->revoke_register != 0)
    return joren_server_db_revoke_register (db, options->revoke_register, error);
  if (options->set_price != NULL)
    return set_price (db, options->set_price, error);
  if (options->delete_product != 0)
    return joren_server_delete_entity (db, "product", options->delete_product, error);
  if (options->set_member_password != NULL)
    return joren_server_member_admin_set_password (options->db_path, options->set_member_password, error);
  if (options->generate_demo_chain != NULL)
    return joren_server_parse_chain_size (options->generate_demo_chain, &n_customers, &n_products, error)
           && joren_server_generate_demo_chain (options->db_path, n_customers, n_products, error);
  if (options->list_conflicts)
    return print_conflicts (db);
  if (options->add_store != NULL)
    {
      store_id = joren_server_db_add_store (db, options->add_store, error);
      if (store_id != 0)
        printf ("%" G_GINT64_FORMAT "\n", store_id);
      return store_id != 0;
    }
  *done = FALSE;
  return TRUE;
}

static gboolean
seed_demo (JorenServerDb *db,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *code = NULL;

  if (!joren_server_seed_demo (db, &local_error))
    {
      if (local_error == NULL)
        return TRUE;  /* already seeded */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  code = joren_server_db_new_pairing_code (db, 1, JOREN_SERVER_PAIRING_TTL_S, error);
  if (code == NULL)
    return FALSE;
  printf ("demo store 1 seeded; pairing code %s (valid %d minutes)\n",
          code, JOREN_SERVER_PAIRING_TTL_S / 60);
  return TRUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
serve (JorenServerDb  *db,
       const Options  *options,
       GError        **error)
{
  const char *address = options->address != NULL ? options->address : "127.0.0.1";
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(JorenServerMember) member = joren_server_member_new (options->db_path, error);
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  JorenServerTls tls;
  JorenServerHttp *http;

  if (member == NULL)
    return FALSE;
  joren_server_member_page_install (member);
  if (!joren_server_unsubscribe_install (db, error))
    return FALSE;
  if (options->tls_cert != NULL
      && (!g_file_get_contents (options->tls_cert, &cert, NULL, error)
          || !g_file_get_contents (options->tls_key, &key, NULL, error)))
    return FALSE;
  tls.cert_pem = cert;
  tls.key_pem = key;
  http = joren_server_http_start (db, address, (guint16) options->port,
                                  cert != NULL ? &tls : NULL, error);
  if (http == NULL)
    return FALSE;
  /* Before the line below: whoever reads it may stop us at once. */
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  if (cert != NULL)
    printf ("serving HTTPS\n");
  /* Tests and scripts read this line to learn the port. */
  printf ("listening on %s:%u\n", address, joren_server_http_get_port (http));
  fflush (stdout);
  g_main_loop_run (loop);
  joren_server_http_stop (http);
  joren_server_member_page_install (NULL);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  Options options = { .port = 8080, .code_ttl = JOREN_SERVER_PAIRING_TTL_S };
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenServerDb) db = NULL;
  gboolean done = FALSE;
  gboolean ok;

  setlocale (LC_ALL, "");
  if (!parse_options (&argc, &argv, &options, &error))
    {
      g_printerr ("joren-server: %s\n", error->message);
      return 2;
    }
  db = joren_server_db_open (options.db_path, &error);
  ok = db != NULL
       && (!options.demo || seed_demo (db, &error))
       && run_admin (db, &options, &done, &error)
       && (done || serve (db, &options, &error));
  if (!ok)
    g_printerr ("joren-server: %s\n", error->message);
  g_free (options.db_path);
  g_free (options.address);
  g_free (options.add_store);
  g_free (options.set_price);
  g_free (options.set_member_password);
  g_free (options.generate_demo_chain);
  g_free (options.tls_cert);
  g_free (options.tls_key);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
