/* joren-staff.h: staff, roles and PINs. PINs are hashed with libsodium's
 * crypto_pwhash (Argon2id); repeated wrong PINs lock the account for a
 * while. */
#pragma once

#include "joren-db.h"

G_BEGIN_DECLS

typedef enum {
  JOREN_ROLE_CASHIER,
  JOREN_ROLE_MANAGER,
  JOREN_ROLE_OWNER,
} JorenRole;

typedef enum {
  JOREN_PERMISSION_SELL,
  JOREN_PERMISSION_VOID_AFTER_PAYMENT,
  JOREN_PERMISSION_REFUND,
  JOREN_PERMISSION_BACK_OFFICE,
  JOREN_PERMISSION_MANAGE_STAFF,
  JOREN_PERMISSION_CASH_SESSION,
} JorenPermission;

struct _JorenStaff {
  gint64    id;
  char     *name;
  JorenRole role;
  gboolean  active;
};

void        joren_staff_free          (JorenStaff *staff);
JorenStaff *joren_staff_copy          (const JorenStaff *staff);
const char *joren_role_to_string      (JorenRole role);   /* "cashier" ... */
gboolean    joren_role_from_string    (const char *text, JorenRole *out);
gboolean    joren_role_can            (JorenRole role, JorenPermission permission);

/* PIN: 4 to 8 digits. */
JorenStaff *joren_staff_add           (JorenDb    *db,
                                       const char *name,
                                       JorenRole   role,
                                       const char *pin,
                                       GError    **error);
GPtrArray  *joren_staff_list          (JorenDb *db, gboolean include_inactive,
                                       GError **error);
gboolean    joren_staff_set_pin       (JorenDb *db, gint64 staff_id, const char *pin,
                                       GError **error);
gboolean    joren_staff_set_active    (JorenDb *db, gint64 staff_id, gboolean active,
                                       GError **error);
/* WRONG_PIN (with attempts left), LOCKED (5 wrong in a row: 60 s). */
JorenStaff *joren_staff_sign_in       (JorenDb    *db,
                                       gint64      staff_id,
                                       const char *pin,
                                       GError    **error);
/* A manager's (or owner's) PIN authorising one action for a cashier:
 * the staff member whose PIN matches and whose role may. */
JorenStaff *joren_staff_authorize     (JorenDb        *db,
                                       gint64          staff_id,
                                       const char     *pin,
                                       JorenPermission permission,
                                       GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenStaff, joren_staff_free)

G_END_DECLS
