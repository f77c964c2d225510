/* joren-autocleanups.h: g_autoptr() cleanups for the C libraries Joren
 * links, so every early return releases what it holds. Other layers add
 * their libraries (CURL, cJSON, libusb ...) here next to SQLite's. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* A statement prepared for one use and finalized on scope exit. Cached
 * statements use JorenStmt (joren-db-private.h) instead, which resets. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
