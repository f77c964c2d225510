/* joren-server-member-page.h: the member web page (/member) and the
 * register's endpoint that sets a member's password
 * (POST /v1/members/{card}/password), answered from joren-server-http.c's
 * dispatch. */
#pragma once

#include <microhttpd.h>

#include "joren-server-db.h"
#include "joren-server-member.h"

G_BEGIN_DECLS

/* Makes the page answer with member (NULL: it answers 404 again). Call
 * before the daemon starts, from the main thread: it also binds the
 * translations and sets up the page's four languages. */
void            joren_server_member_page_install (JorenServerMember *member);

/* Whether url is the page's or the password endpoint's. */
gboolean        joren_server_member_page_owns    (const char *url);

/* Answers one complete request; body is what was uploaded (length bytes,
 * not NUL-terminated). */
enum MHD_Result joren_server_member_page_respond (JorenServerDb         *db,
                                                  struct MHD_Connection *connection,
                                                  const char            *url,
                                                  const char            *method,
                                                  const char            *body,
                                                  gsize                  length);

/* The language of a request: lang is an explicit choice (a ?lang= or the
 * form's field, may be NULL), cookie the remembered one, accept the
 * Accept-Language header. Returns "en", "ja", "zh_TW" or "de". */
const char     *joren_server_member_page_choose_language (const char *lang,
                                                          const char *cookie,
                                                          const char *accept);

G_END_DECLS
