/* joren-server-member.h: member accounts of the web page that joren-server
 * serves at /member: passwords (Argon2id), sign-in with a per-card lock
 * and a per-address rate limit, sessions (only their SHA-256 stored), and
 * what a signed-in member may read: points, value balances (vouchers,
 * prepaid cards, customer accounts), count cards and recent visits. It keeps its own connection to the server's SQLite file (WAL
 * lets it sit beside JorenServerDb's) and its own member_* tables. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Wrong passwords in a row that lock a card, and for how long. */
#define JOREN_MEMBER_MAX_FAILURES 5
#define JOREN_MEMBER_LOCK_S (15 * 60)
/* Sign-in attempts one client address may make: a bucket of this many,
 * refilled at one per JOREN_MEMBER_ADDRESS_REFILL_S seconds. */
#define JOREN_MEMBER_ADDRESS_BURST 20
#define JOREN_MEMBER_ADDRESS_REFILL_S 3
#define JOREN_MEMBER_SESSION_S (60 * 60)
#define JOREN_MEMBER_PASSWORD_MIN 8
#define JOREN_MEMBER_PASSWORD_MAX 128
#define JOREN_MEMBER_CARD_MAX 64

typedef struct _JorenServerMember JorenServerMember;

typedef enum {
  JOREN_MEMBER_SIGNED_IN,
  JOREN_MEMBER_REFUSED,     /* unknown card or wrong password: never said which */
  JOREN_MEMBER_LOCKED,      /* too many failures for this card */
  JOREN_MEMBER_THROTTLED,   /* too many attempts from this address */
} JorenMemberSignIn;

typedef struct {
  char  *kind;        /* "gift", "prepaid", "customer_account" as stored */
  char  *code;        /* the voucher or account number (the page masks it) */
  gint64 balance;     /* minor units: the sum of its ledger */
  gint64 expires_at;  /* unix microseconds UTC; 0: never */
} JorenMemberBalance;

/* A count card with visits left that has not expired. */
typedef struct {
  char  *name;        /* the card product's name when sold */
  gint64 visits;      /* issued */
  gint64 visits_left;
  gint64 expires_at;  /* unix microseconds UTC; 0: never */
} JorenMemberCard;

typedef struct {
  gint64 at;        /* unix microseconds UTC */
  char  *store;     /* may be NULL */
  gint64 total;     /* minor units */
  gint64 points;    /* points earned (negative: redeemed) */
} JorenMemberVisit;

/* What the member page shows. has_* say whether the server holds that
 * kind of data at all (the tables exist), not whether there is any. */
typedef struct {
  char      *card;
  char      *name;       /* NULL when unknown */
  gboolean   has_points;
  gint64     points;
  gboolean   has_balances;
  GPtrArray *balances;   /* JorenMemberBalance*, the member's value accounts */
  gboolean   has_cards;
  GPtrArray *cards;      /* JorenMemberCard*, soonest to expire first */
  gboolean   has_visits;
  GPtrArray *visits;     /* JorenMemberVisit*, newest first */
} JorenMemberSummary;

JorenServerMember  *joren_server_member_new           (const char *db_path,
                                                       GError    **error);
void                joren_server_member_free          (JorenServerMember *self);

/* Card: 1 to JOREN_MEMBER_CARD_MAX printable ASCII characters (spaces
 * around it are not part of it). */
gboolean            joren_server_member_card_is_valid (const char *card);
/* Password: PASSWORD_MIN to PASSWORD_MAX bytes of UTF-8. Unlocks the
 * card and ends its sessions. */
gboolean            joren_server_member_set_password  (JorenServerMember *self,
                                                       const char        *card,
                                                       const char        *password,
                                                       GError           **error);
/* `joren-server --set-member-password CARD`: the password is the first
 * line of stdin, so it shows neither in ps nor in the shell's history. */
gboolean            joren_server_member_admin_set_password (const char *db_path,
                                                            const char *card,
                                                            GError    **error);
/* On success *session_id is the cookie value (64 hex), else NULL.
 * address identifies the client for the rate limit. */
JorenMemberSignIn   joren_server_member_sign_in       (JorenServerMember *self,
                                                       const char        *card,
                                                       const char        *password,
                                                       const char        *address,
                                                       char             **session_id);
/* The card a live session belongs to, or NULL. */
char               *joren_server_member_lookup        (JorenServerMember *self,
                                                       const char        *session_id);
void                joren_server_member_sign_out      (JorenServerMember *self,
                                                       const char        *session_id);
JorenMemberSummary *joren_server_member_summarize     (JorenServerMember *self,
                                                       const char        *card,
                                                       GError           **error);
void                joren_member_summary_free         (JorenMemberSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenServerMember, joren_server_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenMemberSummary, joren_member_summary_free)

G_END_DECLS
