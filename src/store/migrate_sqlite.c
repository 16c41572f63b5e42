/* SPDX-License-Identifier: MIT */
/* SQLite migrations. Times are INTEGER UTC epoch seconds everywhere. */
#include "store/migrate_sqlite.h"

#include "core/banned.h"

const char *const sqlite_migrations[] = {
    /* 1: users, territories, customers, contacts, search, history, audit */
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);"

    "CREATE TABLE territories ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL);"

    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('rep','manager','admin')),"
    "  time_zone TEXT NOT NULL,"
    "  locale TEXT NOT NULL DEFAULT 'nb' CHECK (locale IN ('nb','en')),"
    "  territory_id INTEGER REFERENCES territories(id),"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  password_hash TEXT,"
    "  created_at INTEGER NOT NULL);"

    "CREATE TABLE customers ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_number TEXT NOT NULL UNIQUE,"
    "  number_key TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL,"
    "  status TEXT NOT NULL"
    "    CHECK (status IN ('prospect','customer','former')),"
    "  phone TEXT, email TEXT, address TEXT, postcode TEXT, city TEXT,"
    "  country TEXT NOT NULL,"
    "  time_zone TEXT NOT NULL,"
    "  territory_id INTEGER REFERENCES territories(id),"
    "  owner_id INTEGER NOT NULL REFERENCES users(id),"
    "  notes TEXT,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  deleted_at INTEGER);"
    "CREATE INDEX customers_number_key ON customers(number_key);"
    "CREATE INDEX customers_name_fold ON customers(name_fold);"
    "CREATE INDEX customers_owner ON customers(owner_id, id);"
    "CREATE INDEX customers_territory ON customers(territory_id, id);"

    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  name TEXT NOT NULL,"
    "  name_fold TEXT NOT NULL,"
    "  title TEXT, phone TEXT, mobile TEXT, email TEXT, notes TEXT,"
    "  other_phones TEXT, tags TEXT,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX contacts_customer ON contacts(customer_id, id);"
    "CREATE INDEX contacts_name_fold ON contacts(name_fold);"
    "CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE);"

    /* One row per phone number of a customer or its contacts. */
    "CREATE TABLE phones ("
    "  key TEXT NOT NULL,"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE);"
    "CREATE INDEX phones_key ON phones(key);"
    "CREATE INDEX phones_customer ON phones(customer_id);"

    /* Folded text per customer for substring search (rowid = id). */
    "CREATE VIRTUAL TABLE search_text USING fts5("
    "  name, people, extra, digits, tokenize = 'trigram');"

    /* Territory and owner periods, so reports count by the territory
     * a customer belonged to at the time. */
    "CREATE TABLE customer_assignments ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  territory_id INTEGER REFERENCES territories(id),"
    "  owner_id INTEGER NOT NULL REFERENCES users(id),"
    "  valid_from INTEGER NOT NULL,"
    "  valid_to INTEGER);"
    "CREATE INDEX assignments_customer"
    "  ON customer_assignments(customer_id, valid_from);"
    "CREATE INDEX assignments_territory"
    "  ON customer_assignments(territory_id, valid_from);"

    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor_id INTEGER,"
    "  action TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id INTEGER,"
    "  before TEXT,"
    "  after TEXT);"
    "CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);"

    /* The first user; its zone can be changed with avtale init --tz. */
    "INSERT INTO users (email, name, role, time_zone, created_at)"
    "  VALUES ('admin', 'Administrator', 'admin', 'Europe/Oslo',"
    "          CAST(strftime('%s','now') AS INTEGER));",
};

const int sqlite_migrations_count =
    (int)(sizeof(sqlite_migrations) / sizeof(sqlite_migrations[0]));
