/* joren-sync-unsubscribe.c: sends the register's unsubscribe secret to
 * joren-server. Each register signs its own links and the server keeps
 * every register's secret, so sharing is idempotent and needs no
 * agreement between registers; the application shares it each time sync
 * starts, which covers a fresh pairing and a server database restored
 * from an old backup alike. */
#include "config.h"

#include "joren-autocleanups.h"
#include "joren-promotion.h"
#include "joren-sync-unsubscribe.h"

gboolean
joren_sync_share_unsubscribe_secret (JorenSyncClient  *client,
                                     JorenDb          *db,
                                     GError          **error)
{
  g_autofree char *secret = NULL;
  g_autoptr(cJSON) body = NULL;
  g_autoptr(cJSON) answer = NULL;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);

  secret = joren_promotion_unsubscribe_secret (db);
  body = cJSON_CreateObject ();
  cJSON_AddStringToObject (body, "secret", secret);
  answer = joren_sync_client_call (client, "/v1/unsubscribe/secret", body, NULL, error);
  return answer != NULL;
}

typedef struct {
  char *db_path;
  char *server_url;
  char *token;
} ShareData;

static void
share_data_free (ShareData *data)
{
  g_free (data->db_path);
  g_free (data->server_url);
  g_free (data->token);
  g_free (data);
}

static void
share_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ShareData *data = task_data;
  g_autoptr(JorenSyncClient) client = joren_sync_client_new (data->server_url);
  g_autoptr(JorenDb) db = NULL;
  g_autoptr(GError) error = NULL;

  joren_sync_client_set_token (client, data->token);
  db = joren_db_open (data->db_path, &error);
  if (db == NULL || !joren_sync_share_unsubscribe_secret (client, db, &error))
    g_warning ("Could not share the unsubscribe secret with the server: %s", error->message);
  g_task_return_boolean (task, error == NULL);
}

void
joren_sync_share_unsubscribe_secret_async (const char *db_path,
                                           const char *server_url,
                                           const char *token)
{
  g_autoptr(GTask) task = NULL;
  ShareData *data;

  g_return_if_fail (db_path != NULL && server_url != NULL && token != NULL);

  task = g_task_new (NULL, NULL, NULL, NULL);
  data = g_new0 (ShareData, 1);
  data->db_path = g_strdup (db_path);
  data->server_url = g_strdup (server_url);
  data->token = g_strdup (token);
  g_task_set_task_data (task, data, (GDestroyNotify) share_data_free);
  g_task_run_in_thread (task, share_in_thread);
}
