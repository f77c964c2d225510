/* joren-test-utils.h: shared test helpers: temporary database files,
 * a demo shop, sales ready to commit, the SMTP sink. The data, UI and
 * bench suites all link them, so a fixture is written once. */
#pragma once

#include <gio/gio.h>

#include "joren-catalog.h"
#include "joren-db.h"
#include "joren-sale.h"
#include "joren-staff.h"

G_BEGIN_DECLS

/* A fresh directory under the system tmp dir, removed at exit. */
char       *joren_test_make_tmpdir        (void);
/* A path for a database file that does not exist yet, in a fresh
 * directory that does not exist yet either (opening must create it). */
char       *joren_test_db_path            (void);
/* A new file with the demo shop for preset ("jp" when NULL). */
JorenDb    *joren_test_open_demo_db       (const char *preset);
/* The demo staff member with this name ("Aiko", "Ben", "Chen"). */
JorenStaff *joren_test_find_staff         (JorenDb    *db,
                                           const char *name);
/* A product by its exact name (active or not). */
JorenProduct *joren_test_find_product     (JorenDb    *db,
                                           const char *name);
/* A sale in the demo shop with the first n unembedded products of the
 * catalogue, quantities 1, 2, 3, 1, 2, 3 ..., rung up by "Chen". */
JorenSale  *joren_test_new_sale           (JorenDb *db,
                                           guint    n_products);
/* Pays the rest of what is due in cash, with extra on top (change). */
void        joren_test_pay_cash           (JorenSale *sale,
                                           gint64     extra);
/* Runs a query that returns one integer. */
gint64      joren_test_query_int          (JorenDb    *db,
                                           const char *sql);
/* Reads a whole file; asserts it exists. */
GBytes     *joren_test_read_file          (const char *path);
/* The SMTP sink (tests/smtp-sink.py, named by JOREN_SMTP_SINK and run
 * by JOREN_PYTHON) on 127.0.0.1, writing what it receives into outdir;
 * *out_port: where it listens. Stop it with g_subprocess_force_exit. */
GSubprocess *joren_test_start_smtp_sink   (const char *outdir,
                                           guint      *out_port);
/* What the sink received so far (NNNN.json in outdir, in order), as
 * cJSON objects: "to", "subject", "body" ... (see smtp-sink.py). */
GPtrArray   *joren_test_read_mails        (const char *outdir);

G_END_DECLS
