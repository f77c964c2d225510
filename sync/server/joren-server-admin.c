/* joren-server-admin.c: seeding and editing the server's master data from
 * the command line. The demo catalogue is not duplicated here: it is
 * made by the register's own joren_db_create_demo() in a throw-away file
 * and copied over with the same ids, so a demo register and a demo
 * server agree on every product. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "joren-catalog.h"
#include "joren-server-admin.h"
#include "joren-staff.h"

typedef struct {
  const char *name;
  const char *role;
  const char *pin;
} DemoStaff;

/* The register demo's staff (joren-demo.c), ids 1..3. */
static const DemoStaff demo_staff[] = {
  { "Aiko", "owner", "1111" },
  { "Ben", "manager", "2222" },
  { "Chen", "cashier", "3333" },
};

static JorenServerEntity *
new_entity (const char *entity,
            gint64      id,
            cJSON      *data)
{
  JorenServerEntity *item = g_new0 (JorenServerEntity, 1);

  item->entity = g_strdup (entity);
  item->id = id;
  item->data = data;
  if (data != NULL)
    cJSON_AddNumberToObject (data, "id", (double) id);
  return item;
}

static void
add_string_or_null (cJSON      *json,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    cJSON_AddStringToObject (json, name, value);
  else
    cJSON_AddNullToObject (json, name);
}

static cJSON *
tax_class_to_json (const JorenTaxClass *tax_class)
{
  cJSON *json = cJSON_CreateObject ();

  cJSON_AddStringToObject (json, "code", tax_class->code);
  cJSON_AddStringToObject (json, "name", tax_class->name);
  cJSON_AddNumberToObject (json, "rate_bp", tax_class->rate_bp);
  return json;
}

static cJSON *
category_to_json (const JorenCategory *category)
{
  cJSON *json = cJSON_CreateObject ();

  cJSON_AddStringToObject (json, "name", category->name);
  add_string_or_null (json, "colour", category->colour);
  cJSON_AddNumberToObject (json, "position", category->position);
  cJSON_AddBoolToObject (json, "active", category->active);
  return json;
}

static cJSON *
product_to_json (const JorenProduct *product)
{
  static const char *const embed[] = { "none", "price", "weight" };
  cJSON *json = cJSON_CreateObject ();
  cJSON *barcodes;

  add_string_or_null (json, "sku", product->sku);
  cJSON_AddStringToObject (json, "name", product->name);
  cJSON_AddNumberToObject (json, "price", (double) product->price);
  cJSON_AddNumberToObject (json, "tax_class_id", (double) product->tax_class_id);
  cJSON_AddNumberToObject (json, "category_id", (double) product->category_id);
  add_string_or_null (json, "colour", product->colour);
  cJSON_AddBoolToObject (json, "active", product->active);
  cJSON_AddStringToObject (json, "embed", embed[product->embed]);
  barcodes = cJSON_AddArrayToObject (json, "barcodes");
  for (guint i = 0; product->barcodes != NULL && i < product->barcodes->len; i++)
    cJSON_AddItemToArray (barcodes, cJSON_CreateString (g_ptr_array_index (product->barcodes, i)));
  return json;
}

/* Argon2id, the register's cost (or the minimum under JOREN_FAST_PWHASH=1,
 * as in joren-staff.c), so a register verifies a PIN offline exactly as
 * it verifies its own. */
static cJSON *
staff_to_json (const DemoStaff *staff)
{
  gboolean fast = g_strcmp0 (g_getenv ("JOREN_FAST_PWHASH"), "1") == 0;
  char hash[crypto_pwhash_STRBYTES];
  cJSON *json = cJSON_CreateObject ();

  if (crypto_pwhash_str (hash, staff->pin, strlen (staff->pin),
                         fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    g_error ("Out of memory hashing a PIN");
  cJSON_AddStringToObject (json, "name", staff->name);
  cJSON_AddStringToObject (json, "role", staff->role);
  cJSON_AddStringToObject (json, "pin_hash", hash);
  cJSON_AddBoolToObject (json, "active", TRUE);
  return json;
}

static gboolean
collect_catalogue (JorenDb   *register_db,
                   GPtrArray *entities,
                   GError   **error)
{
  g_autoptr(GPtrArray) tax_classes = joren_catalog_list_tax_classes (register_db, error);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) products = NULL;

  if (tax_classes == NULL
      || (categories = joren_catalog_list_categories (register_db, TRUE, error)) == NULL
      || (products = joren_catalog_list_products (register_db, 0, NULL, TRUE, 0, 100000, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < tax_classes->len; i++)
    {
      const JorenTaxClass *tax_class = g_ptr_array_index (tax_classes, i);

      g_ptr_array_add (entities, new_entity ("tax_class", tax_class->id, tax_class_to_json (tax_class)));
    }
  for (guint i = 0; i < categories->len; i++)
    {
      const JorenCategory *category = g_ptr_array_index (categories, i);

      g_ptr_array_add (entities, new_entity ("category", category->id, category_to_json (category)));
    }
  for (guint i = 0; i < products->len; i++)
    {
      const JorenProduct *product = g_ptr_array_index (products, i);

      g_ptr_array_add (entities, new_entity ("product", product->id, product_to_json (product)));
    }
  return TRUE;
}

static void
remove_demo_files (const char *dir,
                   const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

/* The register's demo catalogue, made in a temporary file. */
static gboolean
load_demo_catalogue (GPtrArray *entities,
                     GError   **error)
{
  g_autofree char *dir = g_dir_make_tmp ("joren-server-demo-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(JorenDb) register_db = NULL;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "demo.db", NULL);
  register_db = joren_db_open (path, error);
  ok = register_db != NULL
       && joren_db_create_demo (register_db, "jp", error)
       && collect_catalogue (register_db, entities, error);
  g_clear_object (&register_db);
  remove_demo_files (dir, path);
  return ok;
}

gboolean
joren_server_seed_demo (JorenServerDb *db,
                        GError       **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_server_entity_free);

  g_return_val_if_fail (db != NULL, FALSE);

  if (joren_server_db_has_store (db, 1))
    return FALSE;
  if (!load_demo_catalogue (entities, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (demo_staff); i++)
    g_ptr_array_add (entities, new_entity ("staff", i + 1, staff_to_json (&demo_staff[i])));
  return joren_server_db_add_store (db, "Demo café", error) != 0
         && joren_server_db_put_entities (db, entities, error);
}

static gboolean
put_one (JorenServerDb     *db,
         JorenServerEntity *entity,
         GError           **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_server_entity_free);

  g_ptr_array_add (entities, entity);
  return joren_server_db_put_entities (db, entities, error);
}

gboolean
joren_server_set_price (JorenServerDb *db,
                        gint64         product_id,
                        gint64         price,
                        GError       **error)
{
  cJSON *product;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (price >= 0 && price <= JOREN_SYNC_MAX_INT, FALSE);

  product = joren_server_db_get_entity (db, "product", product_id);
  if (product == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "There is no product %" G_GINT64_FORMAT ".", product_id);
      return FALSE;
    }
  cJSON_DeleteItemFromObjectCaseSensitive (product, "id");
  cJSON_ReplaceItemInObjectCaseSensitive (product, "price", cJSON_CreateNumber ((double) price));
  return put_one (db, new_entity ("product", product_id, product), error);
}

gboolean
joren_server_delete_entity (JorenServerDb *db,
                            const char    *entity,
                            gint64         id,
                            GError       **error)
{
  g_autoptr(cJSON) existing = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);

  existing = joren_server_db_get_entity (db, entity, id);
  if (existing == NULL)
    {
      g_set_error (error, JOREN_SYNC_ERROR, JOREN_SYNC_ERROR_FAILED,
                   "There is no %s %" G_GINT64_FORMAT ".", entity, id);
      return FALSE;
    }
  return put_one (db, new_entity (entity, id, NULL), error);
}
