/* joren-server-admin.h: what the owner does to the server from the
 * command line until a back office exists: seed the demo chain, change
 * a product, and build master data entities from the register's domain
 * types (the same JSON the changes feed carries). */
#pragma once

#include "joren-server-db.h"

G_BEGIN_DECLS

/* When the file has no store yet: the store "Demo café" (id 1) and the
 * register demo's tax classes, categories, products (same ids) and staff
 * (Aiko 1111 owner, Ben 2222 manager, Chen 3333 cashier) with Argon2id
 * PIN hashes. FALSE without error when there was already a store. */
gboolean joren_server_seed_demo      (JorenServerDb *db,
                                      GError       **error);
/* Sets the price (minor units) of product id; NOT there: FAILED. */
gboolean joren_server_set_price      (JorenServerDb *db,
                                      gint64         product_id,
                                      gint64         price,
                                      GError       **error);
gboolean joren_server_delete_entity  (JorenServerDb *db,
                                      const char    *entity,
                                      gint64         id,
                                      GError       **error);

G_END_DECLS
