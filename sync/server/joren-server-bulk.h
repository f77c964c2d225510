/* joren-server-bulk.h: a whole demo chain's master data written in one
 * go, for the pull benchmark and for trying a register against a chain
 * the size of a real one (a million members, a hundred thousand
 * products). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Adds n_products products (EAN-13 barcode, category, tax class) and
 * n_customers members (a card and a phone each) to the server's
 * database at db_path, with their changes feed, in one transaction.
 * Ids, member numbers and codes continue after what is there, following
 * the register's generator (joren_customer_generate): member
 * "B-M<n>", phone +8190 and n in 8 digits, card "29" and n in 11 digits.
 * The file must already be at the current schema (open it with
 * joren_server_db_open first). */
gboolean joren_server_generate_demo_chain (const char *db_path,
                                           guint       n_customers,
                                           guint       n_products,
                                           GError    **error);
/* "CUSTOMERS:PRODUCTS", as --generate-demo-chain takes it. */
gboolean joren_server_parse_chain_size    (const char *spec,
                                           guint      *n_customers,
                                           guint      *n_products,
                                           GError    **error);

G_END_DECLS
