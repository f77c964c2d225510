/* joren-tool.c: command-line chores on a register database that need no
 * window: creating the demo shop and growing its catalogue to a given
 * size (the start-up benchmark opens the register on a million products). */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "joren-catalog.h"
#include "joren-customer.h"
#include "joren-db.h"

static char *db_path;
static char *preset = "jp";
static int n_products;
static int n_customers;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("The register database"), N_("PATH") },
  { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Country of the demo shop: jp, de or tw"), N_("PRESET") },
  { "products", 0, 0, G_OPTION_ARG_INT, &n_products, N_("Add this many generated products"), N_("N") },
  { "customers", 0, 0, G_OPTION_ARG_INT, &n_customers, N_("Add this many generated customers"), N_("N") },
  { NULL }
};

static int
fail (GError *error)
{
  g_printerr ("joren-tool: %s\n", error->message);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JorenDb) db = NULL;
  gint64 started;

  setlocale (LC_ALL, "");
  context = g_option_context_new (_("— create a demo register database"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error);
  if (db_path == NULL || n_products < 0 || n_customers < 0)
    {
      g_printerr ("%s", g_option_context_get_help (context, TRUE, NULL));
      return 2;
    }
  db = joren_db_open (db_path, &error);
  if (db == NULL || !joren_db_create_demo (db, preset, &error))
    return fail (error);
  started = g_get_monotonic_time ();
  if (n_products > 0 && !joren_catalog_generate (db, (guint) n_products, &error))
    return fail (error);
  if (n_products > 0)
    g_print ("%d products added in %.1f s\n", n_products,
             (g_get_monotonic_time () - started) / 1e6);
  started = g_get_monotonic_time ();
  if (n_customers > 0 && !joren_customer_generate (db, (guint) n_customers, &error))
    return fail (error);
  if (n_customers > 0)
    g_print ("%d customers added in %.1f s\n", n_customers,
             (g_get_monotonic_time () - started) / 1e6);
  return 0;
}
