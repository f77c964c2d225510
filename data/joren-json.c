/* joren-json.c: the canonical JSON writer (see joren-json.h). Sorting
 * keys and refusing fractions make the text, and so its hash, a function
 * of the value alone: the register and the server compute the same
 * SHA-256 for the same payload whatever order it was built in. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "joren-error.h"
#include "joren-json.h"

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID, message);
  return FALSE;
}

void
joren_json_write_string (GString    *out,
                         const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
number_to_int (const cJSON *item,
               gint64      *out)
{
  double value = item->valuedouble;

  if (value > (double) JOREN_JSON_MAX_INT || value < -(double) JOREN_JSON_MAX_INT
      || value != (double) (gint64) value)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/* printf would parse its format for each of the few dozen numbers of
 * a sale's payload, in the till's commit. */
static void
write_int (GString *out,
           gint64   number)
{
  char digits[24];
  guint64 rest = number < 0 ? -(guint64) number : (guint64) number;
  guint n = 0;

  do
    digits[n++] = (char) ('0' + rest % 10);
  while ((rest /= 10) != 0);
  if (number < 0)
    g_string_append_c (out, '-');
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const cJSON *x = *(const cJSON * const *) a;
  const cJSON *y = *(const cJSON * const *) b;

  return strcmp (x->string, y->string);
}

/* Objects of a payload have a handful of members: sorted on the stack,
 * with no allocation, unless there are more. */
#define STACK_MEMBERS 16

static gboolean
write_object (GString     *out,
              const cJSON *object,
              GError     **error)
{
  const cJSON *stack[STACK_MEMBERS];
  g_autofree const cJSON **heap = NULL;
  const cJSON **members = stack;
  guint n = (guint) cJSON_GetArraySize (object);
  const cJSON *child;
  guint i = 0;

  if (n > STACK_MEMBERS)
    members = heap = g_new (const cJSON *, n);
  cJSON_ArrayForEach (child, object)
    members[i++] = child;
  qsort (members, n, sizeof *members, compare_keys);

  g_string_append_c (out, '{');
  for (i = 0; i < n; i++)
    {
      const cJSON *member = members[i];

      if (!g_utf8_validate (member->string, -1, NULL))
        return invalid (error, "a field name is not valid UTF-8");
      if (i > 0 && strcmp (member->string, members[i - 1]->string) == 0)
        {
          g_set_error (error, JOREN_DATA_ERROR, JOREN_DATA_ERROR_INVALID,
                       "duplicate field \"%s\"", member->string);
          return FALSE;
        }
      if (i > 0)
        g_string_append_c (out, ',');
      joren_json_write_string (out, member->string);
      g_string_append_c (out, ':');
      if (!joren_json_write_canonical (out, member, error))
        return FALSE;
    }
  g_string_append_c (out, '}');
  return TRUE;
}

static gboolean
write_array (GString     *out,
             const cJSON *array,
             GError     **error)
{
  const cJSON *child;
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  cJSON_ArrayForEach (child, array)
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      if (!joren_json_write_canonical (out, child, error))
        return FALSE;
    }
  g_string_append_c (out, ']');
  return TRUE;
}

static gboolean
write_scalar (GString     *out,
              const cJSON *item,
              GError     **error)
{
  gint64 number;

  if (cJSON_IsString (item))
    {
      if (!g_utf8_validate (item->valuestring, -1, NULL))
        return invalid (error, "a string is not valid UTF-8");
      joren_json_write_string (out, item->valuestring);
    }
  else if (cJSON_IsNumber (item))
    {
      if (!number_to_int (item, &number))
        return invalid (error, "numbers must be integers within ±2^53 (money is in minor units)");
      write_int (out, number);
    }
  else if (cJSON_IsBool (item))
    g_string_append (out, cJSON_IsTrue (item) ? "true" : "false");
  else if (cJSON_IsNull (item))
    g_string_append (out, "null");
  else
    return invalid (error, "unsupported JSON value");
  return TRUE;
}

gboolean
joren_json_write_canonical (GString      *out,
                            const cJSON  *item,
                            GError      **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (cJSON_IsObject (item))
    return write_object (out, item, error);
  if (cJSON_IsArray (item))
    return write_array (out, item, error);
  return write_scalar (out, item, error);
}

char *
joren_json_to_canonical (const cJSON  *item,
                         GError      **error)
{
  g_autoptr(GString) text = g_string_sized_new (1024);   /* a sale's payload fits */

  g_return_val_if_fail (item != NULL, NULL);

  if (!joren_json_write_canonical (text, item, error))
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
joren_json_hash (const char *canonical)
{
  g_return_val_if_fail (canonical != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
}

gboolean
joren_json_is_int (const cJSON *item)
{
  gint64 ignored;

  return cJSON_IsNumber (item) && number_to_int (item, &ignored);
}

gint64
joren_json_get_int (const cJSON *object,
                    const char  *name,
                    gint64       fallback)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);
  gint64 value;

  if (item == NULL || !cJSON_IsNumber (item) || !number_to_int (item, &value))
    return fallback;
  return value;
}

const char *
joren_json_get_string (const cJSON *object,
                       const char  *name)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  return cJSON_IsString (item) ? item->valuestring : NULL;
}
