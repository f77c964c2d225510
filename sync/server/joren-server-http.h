/* joren-server-http.h: the HTTP side of joren-server: libmicrohttpd with
 * an epoll thread pool serving the versioned JSON API (/v1/...) on top of
 * JorenServerDb. */
#pragma once

#include <glib.h>

#include "joren-server-db.h"

G_BEGIN_DECLS

/* Bigger bodies are answered 413 (a batch of 1000 sales is ~1 MiB). */
#define JOREN_SERVER_MAX_BODY (8 * 1024 * 1024)
/* Longest long poll a client may ask for, in seconds. */
#define JOREN_SERVER_MAX_WAIT 60

typedef struct _JorenServerHttp JorenServerHttp;

/* HTTPS: the server's certificate (chain) and private key, PEM. */
typedef struct {
  const char *cert_pem;
  const char *key_pem;
} JorenServerTls;

/* Listens on address:port (port 0: the kernel picks one), over TLS when
 * tls is not NULL. The db must outlive the server. */
JorenServerHttp *joren_server_http_start    (JorenServerDb        *db,
                                             const char           *address,
                                             guint16               port,
                                             const JorenServerTls *tls,
                                             GError              **error);
guint16          joren_server_http_get_port (JorenServerHttp *self);
void             joren_server_http_stop     (JorenServerHttp *self);

G_END_DECLS
