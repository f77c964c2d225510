/* joren-symbology.c: EAN-13 and CODE128 module patterns, from the GS1
 * General Specifications and ISO/IEC 15417 tables. Used by the preview
 * only: the printer draws its own bars, and the tests read the preview
 * back with zbarimg to prove the bytes carry the right number. */
#include "joren-symbology.h"

#include <string.h>

static const char *const ean_l[10] = {
  "0001101", "0011001", "0010011", "0111101", "0100011",
  "0110001", "0101111", "0111011", "0110111", "0001011",
};
/* Which of digits 2..7 use the G set, by the first digit. */
static const char *const ean_parity[10] = {
  "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
  "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL",
};

static void
append_ean_digit (GString *out, guint digit, char set)
{
  char code[8];

  for (guint i = 0; i < 7; i++)
    {
      char l = ean_l[digit][i];
      char r = l == '1' ? '0' : '1';          /* R = complement of L */

      code[i] = set == 'L' ? l : r;
    }
  code[7] = '\0';
  if (set == 'G')                            /* G = R reversed */
    g_strreverse (code);
  g_string_append (out, code);
}

char *
joren_symbology_ean13 (const guint8  *data,
                       gsize          len,
                       char         **hri)
{
  guint d[13], sum = 0;
  GString *out;

  g_return_val_if_fail (hri != NULL, NULL);

  if (len != 12 && len != 13)
    return NULL;
  for (guint i = 0; i < 12; i++)
    {
      if (!g_ascii_isdigit (data[i]))
        return NULL;
      d[i] = data[i] - '0';
      sum += d[i] * (i % 2 ? 3 : 1);
    }
  d[12] = (10 - sum % 10) % 10;
  out = g_string_new ("101");
  for (guint i = 1; i < 7; i++)
    append_ean_digit (out, d[i], ean_parity[d[0]][i - 1]);
  g_string_append (out, "01010");
  for (guint i = 7; i < 13; i++)
    append_ean_digit (out, d[i], 'R');
  g_string_append (out, "101");
  *hri = g_strdup_printf ("%.12s%u", (const char *) data, d[12]);
  return g_string_free (out, FALSE);
}

/* Bar and space widths of symbols 0..105, then the stop symbol. */
static const char *const code128[107] = {
  "212222", "222122", "222221", "121223", "121322", "131222", "122213",
  "122312", "132212", "221213", "221312", "231212", "112232", "122132",
  "122231", "113222", "123122", "123221", "223211", "221132", "221231",
  "213212", "223112", "312131", "311222", "321122", "321221", "312212",
  "322112", "322211", "212123", "212321", "232121", "111323", "131123",
  "131321", "112313", "132113", "132311", "211313", "231113", "231311",
  "112133", "112331", "132131", "113123", "113321", "133121", "313121",
  "211331", "231131", "213113", "213311", "213131", "311123", "311321",
  "331121", "312113", "312311", "332111", "314111", "221411", "431111",
  "111224", "111422", "121124", "121421", "141122", "141221", "112214",
  "112412", "122114", "122411", "142112", "142211", "241211", "221114",
  "413111", "241112", "134111", "111242", "121142", "121241", "114212",
  "124112", "124211", "411212", "421112", "421211", "212141", "214121",
  "412121", "111143", "111341", "131141", "114113", "114311", "411113",
  "411311", "113141", "114131", "311141", "411131", "211412", "211214",
  "211232", "2331112",
};

static void
append_code128 (GString *out, guint value)
{
  const char *widths = code128[value];

  for (guint i = 0; widths[i] != '\0'; i++)
    for (int w = widths[i] - '0'; w > 0; w--)
      g_string_append_c (out, i % 2 == 0 ? '1' : '0');
}

/* The symbol value of one data byte in code set A or B, or -1. */
static int
code128_value (char set, guint8 b)
{
  if (set == 'B')
    return b >= 0x20 && b <= 0x7F ? b - 0x20 : -1;
  if (b >= 0x20 && b <= 0x5F)
    return b - 0x20;
  return b < 0x20 ? b + 64 : -1;
}

/* Reads the symbol values of data into values; returns FALSE on data
 * the printer would refuse. */
static gboolean
code128_values (const guint8 *data, gsize len, GArray *values, GString *hri)
{
  char set = data[1];
  guint start = set == 'A' ? 103 : set == 'B' ? 104 : 105;

  g_array_append_val (values, start);
  for (gsize i = 2; i < len; i++)
    {
      int v;

      if (data[i] == '{')
        {
          if (i + 1 >= len || data[i + 1] != '{')
            return FALSE;   /* code set switches and FNC: Joren sends none */
          i++;
        }
      if (set == 'C')
        {
          if (data[i] > 99)
            return FALSE;
          g_string_append_printf (hri, "%02u", data[i]);
          v = data[i];
        }
      else if ((v = code128_value (set, data[i])) < 0)
        return FALSE;
      else
        g_string_append_c (hri, (char) data[i]);
      g_array_append_val (values, v);
    }
  return values->len > 1;
}

char *
joren_symbology_code128 (const guint8  *data,
                         gsize          len,
                         char         **hri)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) text = g_string_new (NULL);
  GString *out;
  guint check;

  g_return_val_if_fail (hri != NULL, NULL);

  if (len < 3 || data[0] != '{' || data[1] < 'A' || data[1] > 'C'
      || !code128_values (data, len, values, text))
    return NULL;
  check = g_array_index (values, guint, 0);
  for (guint i = 1; i < values->len; i++)
    check += i * g_array_index (values, guint, i);
  check %= 103;
  g_array_append_val (values, check);
  out = g_string_new (NULL);
  for (guint i = 0; i < values->len; i++)
    append_code128 (out, g_array_index (values, guint, i));
  append_code128 (out, 106);
  *hri = g_string_free (g_steal_pointer (&text), FALSE);
  return g_string_free (out, FALSE);
}
