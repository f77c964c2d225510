/* test-escpos-common.h: helpers shared by the devices tests: golden hex
 * files under tests/fixtures/escpos (JOREN_UPDATE_GOLDEN=1 rewrites them),
 * profile lookup that fails the test when missing, and PNG output paths. */
#pragma once

#include <glib.h>

#include "joren-printer-profile.h"

G_BEGIN_DECLS

/* Compares bytes against fixtures/escpos/<name>.hex. */
void                       joren_test_golden_check  (const char *name, GBytes *bytes);
char                      *joren_test_hex_dump      (const guint8 *data, gsize len);
const JorenPrinterProfile *joren_test_profile       (const char *id);
/* Where tests leave PNGs for a human to look at: $JOREN_TEST_OUTPUT or
 * the build dir's tests/output. */
char                      *joren_test_output_path   (const char *name);

G_END_DECLS

G_BEGIN_DECLS
/* What zbarimg reads from a PNG: one "TYPE:data" line per symbol. */
char *joren_test_zbarimg (const char *png_path);
G_END_DECLS
