/* joren-test-utils.h: shared test helpers: temporary database files,
 * a demo shop, common fixtures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh directory under the test's tmp dir, removed at exit. */
char *joren_test_make_tmpdir (void);

G_END_DECLS
