/* joren-json-arena.h: reading a big JSON document, a page of the changes
 * feed, into cJSON nodes that all live in one arena (see the .c). */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _JorenJsonArena JorenJsonArena;

JorenJsonArena *joren_json_arena_new    (void);
void            joren_json_arena_free   (JorenJsonArena *arena);
/* Zeroed memory that lives as long as the arena. */
gpointer        joren_json_arena_alloc0 (JorenJsonArena *arena,
                                         gsize           size);
/* The JSON value at the start of text (length bytes; a NUL is not
 * needed), parsed into the arena: read it
 * with cJSON's getters, never cJSON_Delete it or any node of it, nor
 * add to it. *end is the offset just past the value, or where it went
 * wrong when NULL is returned. Strict RFC 8259: a string may not hold a
 * raw control character or \u0000, a number must be spelt as JSON
 * spells it, nesting stops at cJSON's limit. */
cJSON          *joren_json_arena_parse  (JorenJsonArena *arena,
                                         const char     *text,
                                         gsize           length,
                                         gsize          *end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JorenJsonArena, joren_json_arena_free)

G_END_DECLS
