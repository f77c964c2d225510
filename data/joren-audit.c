/* joren-audit.c: the customer-data audit log. Rows are only inserted
 * (schema 009's triggers refuse UPDATE and DELETE) and name ids, never
 * personal data, so anonymising a customer leaves the log intact. */
#include "config.h"

#include <glib/gi18n.h>

#include "joren-audit.h"
#include "joren-db-private.h"

static const char * const action_names[] = {
  "view", "export", "merge", "edit", "anonymise", "delete",
};

const char *
joren_audit_action_to_string (JorenAuditAction action)
{
  g_return_val_if_fail ((guint) action < G_N_ELEMENTS (action_names), NULL);

  return action_names[action];
}

const char *
joren_audit_action_to_label (JorenAuditAction action)
{
  static const char * const labels[] = {
    N_("Viewed"), N_("Exported"), N_("Merged"), N_("Edited"), N_("Anonymised"), N_("Deleted"),
  };

  g_return_val_if_fail ((guint) action < G_N_ELEMENTS (labels), NULL);

  return _(labels[action]);
}

static JorenAuditAction
action_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (text, action_names[i]) == 0)
      return (JorenAuditAction) i;
  return JOREN_AUDIT_VIEW;
}

void
joren_audit_entry_free (JorenAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->staff_name);
  g_free (entry->detail);
  g_clear_pointer (&entry->at, g_date_time_unref);
  g_free (entry);
}

gboolean
joren_audit_log (JorenDb           *db,
                 gint64             staff_id,
                 JorenAuditAction   action,
                 gint64             customer_id,
                 const char        *detail,
                 GError           **error)
{
  g_autoptr(JorenStmt) stmt = NULL;

  g_return_val_if_fail (JOREN_IS_DB (db), FALSE);
  g_return_val_if_fail ((guint) action < G_N_ELEMENTS (action_names), FALSE);

  stmt = joren_db_prepare (db, "INSERT INTO audit_log (staff_id, action, customer_id, detail, at)"
                               " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  joren_db_bind_id_or_null (stmt, 1, staff_id);
  sqlite3_bind_text (stmt, 2, action_names[action], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, customer_id);
  joren_db_bind_text_or_null (stmt, 4, detail);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  return joren_db_step_done (db, stmt, _("Could not write the audit log."), error);
}

static JorenAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  JorenAuditEntry *entry = g_new0 (JorenAuditEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->staff_id = sqlite3_column_int64 (stmt, 1);
  entry->staff_name = joren_db_column_dup_text (stmt, 2);
  entry->action = action_from_string ((const char *) sqlite3_column_text (stmt, 3));
  entry->customer_id = sqlite3_column_int64 (stmt, 4);
  entry->detail = joren_db_column_dup_text (stmt, 5);
  entry->at = joren_db_time_from_usec (sqlite3_column_int64 (stmt, 6));
  return entry;
}

GPtrArray *
joren_audit_list (JorenDb  *db,
                  gint64    customer_id,
                  guint     limit,
                  GError  **error)
{
  g_autoptr(JorenStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (JOREN_IS_DB (db), NULL);

  stmt = joren_db_prepare (db, "SELECT a.id, a.staff_id, s.name, a.action, a.customer_id,"
                               " a.detail, a.at FROM audit_log a"
                               " LEFT JOIN staff s ON s.id = a.staff_id"
                               " WHERE ?1 = 0 OR a.customer_id = ?1"
                               " ORDER BY a.at DESC, a.id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) joren_audit_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      joren_db_set_error (db, rc, _("Could not read the audit log."), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
