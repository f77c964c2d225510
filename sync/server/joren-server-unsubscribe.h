/* joren-server-unsubscribe.h: the unsubscribe link of promotion e-mails
 * (GET/POST /unsubscribe?c=<customer uuid>&t=<signature>, one-click per
 * RFC 8058) and the registers' POST /v1/unsubscribe/secret, answered
 * from joren-server-http.c's dispatch. */
#pragma once

#include <microhttpd.h>

#include "joren-server-db.h"

G_BEGIN_DECLS

/* Creates the secrets table; call once before serving. */
gboolean        joren_server_unsubscribe_install (JorenServerDb  *db,
                                                  GError        **error);

/* Whether url is the page's or the secret endpoint's. */
gboolean        joren_server_unsubscribe_owns    (const char *url);

/* Answers one complete request; body is what was uploaded (length bytes,
 * not NUL-terminated). */
enum MHD_Result joren_server_unsubscribe_respond (JorenServerDb         *db,
                                                  struct MHD_Connection *connection,
                                                  const char            *url,
                                                  const char            *method,
                                                  const char            *body,
                                                  gsize                  length);

/* Whether signature is valid for the customer under any register's
 * secret (constant time per secret). */
gboolean        joren_server_unsubscribe_verify  (JorenServerDb *db,
                                                  const char    *customer_uuid,
                                                  const char    *signature);

G_END_DECLS
