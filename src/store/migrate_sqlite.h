/* SPDX-License-Identifier: MIT */
/*
 * The SQLite schema as numbered migrations. Step N upgrades version N-1 to
 * N; steps are applied in one transaction when a database is opened.
 * Append only: a released step is never edited.
 */
#ifndef AV_MIGRATE_SQLITE_H
#define AV_MIGRATE_SQLITE_H

extern const char *const sqlite_migrations[];
extern const int sqlite_migrations_count;

#endif
