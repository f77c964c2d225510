/* joren-phone.c: phone numbers to one stored form. Customers and cashiers
 * write the same number many ways: with hyphens or spaces, full-width
 * digits from a Japanese input method (０９０ー１２３４), with the
 * country code, with the international prefix (010 from Japan, 002 from
 * Taiwan, 00 from Germany), or with the German "(0)" trunk. All of them
 * become '+', the country code and the national number without its
 * trunk 0, so one indexed equality finds the customer. Only Japan,
 * Taiwan and Germany are checked for their national lengths; numbers of
 * other countries are accepted when they have E.164's 8 to 15 digits. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "joren-error.h"
#include "joren-phone.h"

typedef struct {
  const char *id;              /* shop preset */
  const char *code;            /* country calling code */
  const char *intl_prefixes[3];
  guint       min_national;    /* digits after the code, trunk 0 dropped */
  guint       max_national;
} Country;

/* Japan: 03-1234-5678 has 9 national digits, mobiles 090-1234-5678 10.
 * Taiwan: mobiles 09xx-xxx-xxx 9, landlines 0x-xxxx-xxxx 8 or 9.
 * Germany: area codes and subscriber numbers vary: 6 to 13. */
static const Country countries[] = {
  { "jp", "81", { "010", NULL }, 9, 10 },
  { "tw", "886", { "002", "00", NULL }, 8, 9 },
  { "de", "49", { "00", NULL }, 6, 13 },
};

static const Country *
find_country_by_id (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_strcmp0 (countries[i].id, id) == 0)
      return &countries[i];
  return NULL;
}

static const Country *
find_country_by_digits (const char *digits)
{
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_str_has_prefix (digits, countries[i].code))
      return &countries[i];
  return NULL;
}

/* Hyphens people and input methods type between the groups: ASCII ones
 * survive NFKC; the dashes, minus sign and the katakana prolonged sound
 * mark (ー, typed for a hyphen in Japanese mode) do not. */
static gboolean
is_separator (gunichar c)
{
  return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')'
         || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30FC;
}

/* Keeps the digits and a leading '+'; FALSE on anything else. */
static gboolean
collect_digits (const char *text,
                GString    *out,
                gboolean   *plus)
{
  *plus = FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        g_string_append_c (out, (char) c);
      else if (c == '+' && out->len == 0 && !*plus)
        *plus = TRUE;
      else if (!is_separator (c))
        return FALSE;
    }
  return TRUE;
}

/* "+49 (0)40 ..." writes the trunk 0 that is dialled only at home. */
static char *
drop_trunk_in_parentheses (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "(0)", "", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The digits after '+': the country code, then the national number. */
static char *
international_digits (const char  *digits,
                      gboolean     plus,
                      const Country *home)
{
  const Country *country;
  const char *national;

  if (!plus)
    {
      for (guint i = 0; home->intl_prefixes[i] != NULL && !plus; i++)
        if (g_str_has_prefix (digits, home->intl_prefixes[i]))
          {
            digits += strlen (home->intl_prefixes[i]);
            plus = TRUE;
          }
    }
  if (!plus)
    {
      if (digits[0] != '0')
        return NULL;
      return g_strconcat (home->code, digits + 1, NULL);
    }
  /* "+81 090 ..." keeps a trunk 0 no national number starts with. */
  country = find_country_by_digits (digits);
  national = country != NULL ? digits + strlen (country->code) : NULL;
  if (national != NULL && national[0] == '0')
    return g_strconcat (country->code, national + 1, NULL);
  return g_strdup (digits);
}

static gboolean
has_valid_length (const char *digits)
{
  const Country *country = find_country_by_digits (digits);
  gsize len = strlen (digits);

  if (country == NULL)
    return len >= 8 && len <= 15;
  len -= strlen (country->code);
  return len >= country->min_national && len <= country->max_national;
}

char *
joren_phone_normalize (const char  *text,
                       const char  *country,
                       GError     **error)
{
  g_autofree char *folded = NULL;
  g_autofree char *cleaned = NULL;
  g_autofree char *digits = NULL;
  g_autoptr(GString) collected = g_string_new (NULL);
  const Country *home;
  gboolean plus;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  home = find_country_by_id (country);
  if (home == NULL)
    home = &countries[0];
  /* NFKC: full-width digits and '＋' become ASCII. */
  folded = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  cleaned = folded != NULL ? drop_trunk_in_parentheses (folded) : NULL;
  if (cleaned == NULL || !collect_digits (cleaned, collected, &plus) || collected->len == 0)
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("“%s” is not a phone number."), text);
      return NULL;
    }
  digits = international_digits (collected->str, plus, home);
  if (digits == NULL || !has_valid_length (digits))
    {
      g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                   _("“%s” is not a whole phone number. Enter it with its area code."),
                   text);
      return NULL;
    }
  return g_strconcat ("+", digits, NULL);
}

char *
joren_phone_last4 (const char *text)
{
  g_autofree char *folded = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  folded = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (folded == NULL)
    return NULL;
  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len < 4)
    return NULL;
  return g_strdup (digits->str + digits->len - 4);
}
