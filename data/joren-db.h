/* joren-db.h: one SQLite file per register. Opening it sets WAL with
 * synchronous=FULL (a confirmed sale must survive a power cut), turns on
 * foreign keys, and runs the numbered migrations up to the current
 * schema version. Statements are prepared once per connection. */
#pragma once

#include <glib-object.h>

#include "joren-types.h"
#include "joren-error.h"
#include "joren-shop.h"

G_BEGIN_DECLS

#define JOREN_DB_SCHEMA_VERSION 15

#define JOREN_TYPE_DB (joren_db_get_type ())
G_DECLARE_FINAL_TYPE (JorenDb, joren_db, JOREN, DB, GObject)

/* Opens (creating if needed) and migrates to JOREN_DB_SCHEMA_VERSION. */
JorenDb    *joren_db_open                (const char *path,
                                          GError    **error);
/* Tests only: open and migrate no further than version. */
JorenDb    *joren_db_open_at_version     (const char *path,
                                          guint       version,
                                          GError    **error);
const char *joren_db_get_path            (JorenDb *self);
guint       joren_db_get_schema_version  (JorenDb *self);
/* Default file: $XDG_DATA_HOME/joren/register.db */
char       *joren_db_default_path        (void);
gboolean    joren_db_check_integrity     (JorenDb *self,
                                          GError **error);
/* Builds the indexes a bulk load deferred and did not build (it was cut
 * short), one transaction each; opening does it before migrating. */
gboolean    joren_db_build_deferred_indexes (JorenDb *self,
                                             GError **error);

/* Shop settings (the settings table). NULL with NOT_FOUND when the file
 * has no shop yet (first start). */
JorenShop  *joren_db_load_shop           (JorenDb  *self,
                                          GError  **error);
gboolean    joren_db_save_shop           (JorenDb         *self,
                                          const JorenShop *shop,
                                          GError         **error);
char       *joren_db_get_setting         (JorenDb    *self,
                                          const char *key);
gboolean    joren_db_set_setting         (JorenDb    *self,
                                          const char *key,
                                          const char *value,
                                          GError    **error);

/* Creates the demo café: shop settings for the preset, tax classes,
 * categories, about 60 products with barcodes, and staff
 * (owner "Aiko" PIN 1111, manager "Ben" 2222, cashier "Chen" 3333).
 * Does nothing if the file already has a shop. */
gboolean    joren_db_create_demo         (JorenDb    *self,
                                          const char *preset_id,
                                          GError    **error);

G_END_DECLS
