/* cabut-db.h
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define CABUT_DB_ERROR (cabut_db_error_quark ())

typedef enum
{
  CABUT_DB_ERROR_FAILED,
  CABUT_DB_ERROR_CONSTRAINT,
  CABUT_DB_ERROR_BUSY,
  CABUT_DB_ERROR_FULL,
  CABUT_DB_ERROR_NEWER_SCHEMA,
  CABUT_DB_ERROR_STORAGE,       /* a write to the disk failed (not known to be for room) */
} CabutDbError;

#define CABUT_TYPE_DB (cabut_db_get_type ())

G_DECLARE_FINAL_TYPE (CabutDb, cabut_db, CABUT, DB, GObject)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

GQuark         cabut_db_error_quark    (void);
CabutDb       *cabut_db_open           (const char    *path,
                                        GError       **error);
CabutDb       *cabut_db_open_reader    (const char    *path,
                                        GError       **error);
sqlite3       *cabut_db_get_handle     (CabutDb       *self);
int            cabut_db_get_version    (CabutDb       *self);
int            cabut_db_latest_version (void);
sqlite3_stmt  *cabut_db_prepare        (CabutDb       *self,
                                        const char    *sql,
                                        GError       **error);
int            cabut_db_step           (CabutDb       *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
gint64         cabut_db_step_id        (CabutDb       *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
gboolean       cabut_db_step_done      (CabutDb       *self,
                                        sqlite3_stmt  *stmt,
                                        GError       **error);
gboolean       cabut_db_exec           (CabutDb       *self,
                                        const char    *sql,
                                        GError       **error);
gboolean       cabut_db_begin          (CabutDb       *self,
                                        GError       **error);
gboolean       cabut_db_commit         (CabutDb       *self,
                                        GError       **error);
void           cabut_db_rollback       (CabutDb       *self);
gint64         cabut_db_last_insert_id (CabutDb       *self);
gboolean       cabut_db_set_error      (CabutDb       *self,
                                        GError       **error);
char          *cabut_db_integrity_check (CabutDb      *self);
char          *cabut_db_seal           (CabutDb       *self,
                                        const char    *context,
                                        const char    *plain);
char          *cabut_db_unseal         (CabutDb       *self,
                                        const char    *context,
                                        const char    *sealed,
                                        GError       **error);

/* Runs on the writer thread, inside a transaction, with the writer's
 * connection: %FALSE (with @error) rolls it back. */
typedef gboolean (*CabutDbWriteFunc) (CabutDb   *writer,
                                      gpointer   data,
                                      GError   **error);

gboolean       cabut_db_start_writer   (CabutDb       *self,
                                        GError       **error);
void           cabut_db_write_async    (CabutDb       *self,
                                        CabutDbWriteFunc func,
                                        gpointer       data,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
gboolean       cabut_db_write_finish   (CabutDb       *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* Reads the current row of @stmt into @element. */
typedef void (*CabutDbReadFunc) (sqlite3_stmt *stmt,
                                 gpointer      element);

GArray        *cabut_db_collect        (CabutDb       *self,
                                        sqlite3_stmt  *stmt,
                                        guint          element_size,
                                        GDestroyNotify clear_func,
                                        CabutDbReadFunc read,
                                        GError       **error);

/* Column helpers that turn NULL into NULL and text into a copy. */
char          *cabut_db_column_text    (sqlite3_stmt  *stmt,
                                        int            column);

G_END_DECLS
