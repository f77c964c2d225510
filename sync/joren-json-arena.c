/* joren-json-arena.c: a JSON reader for the changes feed. A new register
 * reads a million customers, some 35 values each; cJSON allocated every
 * node and every key and string on its own, and freed them one by one:
 * three quarters of the fetch thread was malloc and free (glibc
 * consolidating the freed nodes whenever a bigger buffer was asked
 * for), 15 s of CPU in all. Here a page is copied once into the arena, its strings
 * are unescaped in place (an escape never grows), and its nodes are cut
 * from big blocks, so a page is a handful of allocations and is freed
 * at once. The nodes are cJSON's own struct, linked as cJSON links
 * them, so everything that reads a change (the replica, the coupon
 * sync) reads it with cJSON's getters as before. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "joren-json-arena.h"

#define BLOCK_SIZE (256 * 1024)
#define MAX_DEPTH CJSON_NESTING_LIMIT
/* Digits of an integer read without strtod: any 18 fit a gint64, whose
 * conversion rounds to the same double as strtod does (timestamps in
 * microseconds have 16). */
#define MAX_FAST_DIGITS 18

typedef struct _Block Block;
struct _Block {
  Block *next;
  gsize  used;
  gsize  size;
  char   data[];
};

struct _JorenJsonArena {
  Block *blocks;
};

typedef struct {
  JorenJsonArena *arena;
  char           *start;
  char           *p;
  char           *end;
} Parser;

JorenJsonArena *
joren_json_arena_new (void)
{
  return g_new0 (JorenJsonArena, 1);
}

void
joren_json_arena_free (JorenJsonArena *arena)
{
  if (arena == NULL)
    return;
  while (arena->blocks != NULL)
    {
      Block *next = arena->blocks->next;

      g_free (arena->blocks);
      arena->blocks = next;
    }
  g_free (arena);
}

static gpointer
arena_alloc (JorenJsonArena *arena,
             gsize           size)
{
  Block *block = arena->blocks;
  gpointer memory;

  size = (size + 7) & ~(gsize) 7;
  if (block == NULL || block->size - block->used < size)
    {
      gsize block_size = MAX (BLOCK_SIZE, size);

      block = g_malloc (sizeof (Block) + block_size);
      block->used = 0;
      block->size = block_size;
      block->next = arena->blocks;
      arena->blocks = block;
    }
  memory = block->data + block->used;
  block->used += size;
  return memory;
}

gpointer
joren_json_arena_alloc0 (JorenJsonArena *arena,
                         gsize           size)
{
  g_return_val_if_fail (arena != NULL, NULL);

  return memset (arena_alloc (arena, size), 0, size);
}

static cJSON *
new_node (Parser *parser,
          int     type)
{
  cJSON *node = memset (arena_alloc (parser->arena, sizeof (cJSON)), 0, sizeof (cJSON));

  node->type = type;
  return node;
}

static void
skip_space (Parser *parser)
{
  while (parser->p < parser->end
         && (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r'))
    parser->p++;
}

static gboolean
at (Parser *parser,
    char    c)
{
  return parser->p < parser->end && *parser->p == c;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits of a \u escape at p (just past the "u"), or -1. */
static int
read_hex4 (const char *p,
           const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_digit (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* A \u escape (r at the backslash), surrogate pairs joined, as UTF-8
 * at *out; FALSE when it is no character (a lone surrogate, U+0000). */
static gboolean
unescape_unicode (char       **r,
                  const char  *end,
                  char       **out)
{
  int unit = read_hex4 (*r + 2, end);
  gunichar c = (gunichar) unit;

  if (unit <= 0 || (unit >= 0xdc00 && unit <= 0xdfff))
    return FALSE;
  *r += 6;
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      int low = end - *r >= 6 && (*r)[0] == '\\' && (*r)[1] == 'u' ? read_hex4 (*r + 2, end) : -1;

      if (low < 0xdc00 || low > 0xdfff)
        return FALSE;
      c = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
      *r += 6;
    }
  *out += g_unichar_to_utf8 (c, *out);
  return TRUE;
}

static gboolean
unescape (char       **r,
          const char  *end,
          char       **out)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *known;

  if (end - *r < 2)
    return FALSE;
  if ((*r)[1] == 'u')
    return unescape_unicode (r, end, out);
  known = (*r)[1] != '\0' ? strchr (from, (*r)[1]) : NULL;
  if (known == NULL)
    return FALSE;
  *(*out)++ = to[known - from];
  *r += 2;
  return TRUE;
}

/* The string at p (at its opening quote), unescaped where it stands and
 * ended with a NUL; NULL when it is malformed. */
static char *
parse_string (Parser *parser)
{
  char *text = parser->p + 1;
  char *out = text;
  char *r = text;

  for (;;)
    {
      if (r >= parser->end || (guchar) *r < 0x20)
        break;
      if (*r == '"')
        {
          *out = '\0';
          parser->p = r + 1;
          return text;
        }
      if (*r != '\\')
        *out++ = *r++;
      else if (!unescape (&r, parser->end, &out))
        break;
    }
  parser->p = r;
  return NULL;
}

static const char *
skip_digits (const char *p,
             const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, or NULL. */
static const char *
scan_number (const char *p,
             const char *end,
             gboolean   *whole)
{
  const char *digits;

  if (p < end && *p == '-')
    p++;
  if (p < end && *p == '0')
    p++;
  else if (p < end && *p >= '1' && *p <= '9')
    p = skip_digits (p, end);
  else
    return NULL;
  *whole = !(p < end && (*p == '.' || *p == 'e' || *p == 'E'));
  if (p < end && *p == '.')
    {
      digits = ++p;
      if ((p = skip_digits (p, end)) == digits)
        return NULL;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      digits = p;
      if ((p = skip_digits (p, end)) == digits)
        return NULL;
    }
  return p;
}

/* What cJSON stores for a number: the double, and an int saturated. */
static cJSON *
parse_number (Parser *parser)
{
  const char *start = parser->p;
  gboolean whole;
  const char *stop = scan_number (start, parser->end, &whole);
  gboolean negative = *start == '-';
  double number = 0;
  cJSON *node;

  if (stop == NULL)
    return NULL;
  if (whole && stop - start - negative <= MAX_FAST_DIGITS)
    {
      gint64 value = 0;

      for (const char *d = start + negative; d < stop; d++)
        value = value * 10 + (*d - '0');
      number = negative ? -(double) value : (double) value;   /* "-0" too */
    }
  else
    {
      g_autofree char *text = g_strndup (start, (gsize) (stop - start));

      number = g_ascii_strtod (text, NULL);
    }
  parser->p = (char *) stop;
  node = new_node (parser, cJSON_Number);
  node->valuedouble = number;
  if (number >= INT_MAX)
    node->valueint = INT_MAX;
  else if (number <= (double) INT_MIN)
    node->valueint = INT_MIN;
  else
    node->valueint = (int) number;
  return node;
}

static cJSON *
parse_literal (Parser     *parser,
               const char *word,
               int         type)
{
  gsize length = strlen (word);
  cJSON *node;

  if ((gsize) (parser->end - parser->p) < length || memcmp (parser->p, word, length) != 0)
    return NULL;
  parser->p += length;
  node = new_node (parser, type);
  node->valueint = type == cJSON_True;
  return node;
}

static cJSON *parse_value (Parser *parser,
                           guint   depth);

/* Appends item as cJSON does: the first child's prev is the last. */
static void
append (cJSON *container,
        cJSON *item)
{
  cJSON *first = container->child;

  if (first == NULL)
    {
      container->child = item;
      item->prev = item;
      return;
    }
  item->prev = first->prev;
  first->prev->next = item;
  first->prev = item;
}

/* An object's member: "key": value. */
static cJSON *
parse_member (Parser *parser,
              guint   depth)
{
  char *key;
  cJSON *value;

  skip_space (parser);
  if (!at (parser, '"') || (key = parse_string (parser)) == NULL)
    return NULL;
  skip_space (parser);
  if (!at (parser, ':'))
    return NULL;
  parser->p++;
  value = parse_value (parser, depth);
  if (value != NULL)
    value->string = key;
  return value;
}

/* An array or object (at its bracket), its items or members. */
static cJSON *
parse_container (Parser *parser,
                 guint   depth,
                 char    close)
{
  cJSON *container = new_node (parser, close == '}' ? cJSON_Object : cJSON_Array);

  if (depth >= MAX_DEPTH)
    return NULL;
  parser->p++;
  skip_space (parser);
  if (at (parser, close))
    {
      parser->p++;
      return container;
    }
  for (;;)
    {
      cJSON *item = close == '}' ? parse_member (parser, depth + 1) : parse_value (parser, depth + 1);

      if (item == NULL)
        return NULL;
      append (container, item);
      skip_space (parser);
      if (at (parser, close))
        {
          parser->p++;
          return container;
        }
      if (!at (parser, ','))
        return NULL;
      parser->p++;
    }
}

static cJSON *
parse_value (Parser *parser,
             guint   depth)
{
  char *text;
  cJSON *node;

  skip_space (parser);
  if (parser->p >= parser->end)
    return NULL;
  switch (*parser->p)
    {
    case '{':
      return parse_container (parser, depth, '}');
    case '[':
      return parse_container (parser, depth, ']');
    case '"':
      if ((text = parse_string (parser)) == NULL)
        return NULL;
      node = new_node (parser, cJSON_String);
      node->valuestring = text;
      return node;
    case 't':
      return parse_literal (parser, "true", cJSON_True);
    case 'f':
      return parse_literal (parser, "false", cJSON_False);
    case 'n':
      return parse_literal (parser, "null", cJSON_NULL);
    default:
      return parse_number (parser);
    }
}

cJSON *
joren_json_arena_parse (JorenJsonArena *arena,
                        const char     *text,
                        gsize           length,
                        gsize          *end)
{
  Parser parser = { arena, NULL, NULL, NULL };
  cJSON *value;

  g_return_val_if_fail (arena != NULL, NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (end != NULL, NULL);

  /* A copy, so strings can be unescaped where they stand. */
  parser.start = arena_alloc (arena, length + 1);
  memcpy (parser.start, text, length);
  parser.start[length] = '\0';
  parser.p = parser.start;
  parser.end = parser.start + length;
  value = parse_value (&parser, 0);
  *end = (gsize) (parser.p - parser.start);
  return value;
}
