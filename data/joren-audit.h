/* joren-audit.h: an append-only log of who viewed, exported, merged,
 * changed, anonymised or deleted a customer's data, and when (privacy
 * laws such as the GDPR and Japan's APPI expect a shop to be able to
 * show this). Triggers refuse UPDATE and DELETE on the table (schema
 * 009); anonymising a customer keeps the log, which holds ids, never
 * personal data. */
#pragma once

#include "joren-db.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_AUDIT_VIEW,
  JOREN_AUDIT_EXPORT,
  JOREN_AUDIT_MERGE,      /* customer_id: the survivor; detail: the merged id */
  JOREN_AUDIT_EDIT,
  JOREN_AUDIT_ANONYMISE,
  JOREN_AUDIT_DELETE,
} JorenAuditAction;

typedef struct {
  gint64            id;
  gint64            staff_id;      /* 0: the system */
  char             *staff_name;    /* NULL when unknown */
  JorenAuditAction  action;
  gint64            customer_id;
  char             *detail;        /* free text, may be NULL */
  GDateTime        *at;
} JorenAuditEntry;

const char *joren_audit_action_to_string   (JorenAuditAction action); /* "view" ... */
/* Translated, for display ("Viewed", "Exported" ...). */
const char *joren_audit_action_to_label    (JorenAuditAction action);
void        joren_audit_entry_free         (JorenAuditEntry *entry);

/* Appends one entry (it joins the caller's transaction if one is open). */
gboolean    joren_audit_log                (JorenDb           *db,
                                            gint64             staff_id,
                                            JorenAuditAction   action,
                                            gint64             customer_id,
                                            const char        *detail,
                                            GError           **error);
/* Newest first, at most limit; customer_id 0: every customer. */
GPtrArray  *joren_audit_list               (JorenDb  *db,
                                            gint64    customer_id,
                                            guint     limit,
                                            GError  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenAuditEntry, joren_audit_entry_free)

G_END_DECLS
