/* joren-phone.h: phone numbers as customers say them ("090-1234-5678",
 * "+81 90 1234 5678", "0049 (0)40 466 565 70") turned into one stored form,
 * '+' and the country code and digits, so every way of writing a number
 * finds the same customer. Pure: no SQL. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* country is the shop preset's id ("jp", "tw", "de"): it says which
 * country code a number without one belongs to and which international
 * prefix (010 in Japan, 00 elsewhere) to read. Returns a new string such
 * as "+819012345678", or NULL with JOREN_DATA_ERROR_INVALID. */
char     *joren_phone_normalize   (const char  *text,
                                   const char  *country,
                                   GError     **error);
/* The last four digits of any text (what a cashier types to find a
 * customer by the end of the number), or NULL with fewer than four. */
char     *joren_phone_last4       (const char  *text);

G_END_DECLS
