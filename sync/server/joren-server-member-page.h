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

/* Renders a page's <main> (escaped HTML) and sets *title; runs in the
 * request's language (gettext works inside). */
typedef char *(*JorenServerPageRender) (gconstpointer   data,
                                        char          **title);

/* Answers with a page of another feature (the unsubscribe page) in the
 * member page's frame, style and language (form_lang, ?lang=, cookie,
 * Accept-Language). switch_href: the page's own address up to "lang=",
 * HTML-escaped, for the language links. */
enum MHD_Result joren_server_member_page_answer  (struct MHD_Connection *connection,
                                                  const char            *form_lang,
                                                  const char            *switch_href,
                                                  guint                  status,
                                                  JorenServerPageRender  render,
                                                  gconstpointer          data);

/* The language of a request: lang is an explicit choice (a ?lang= or the
 * form's field, may be NULL), cookie the remembered one, accept the
 * Accept-Language header. Returns "en", "ja", "zh_TW" or "de". */
const char     *joren_server_member_page_choose_language (const char *lang,
                                                          const char *cookie,
                                                          const char *accept);

G_END_DECLS
