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

    /* 2: appointments. A series is one row with an rrule; a changed
     * occurrence is a row of its own with parent_id and recurrence_id
     * (the original start it replaces), sharing the series' uid. */
    "CREATE TABLE appointments ("
    "  id INTEGER PRIMARY KEY,"
    "  customer_id INTEGER REFERENCES customers(id),"
    "  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
    "  owner_id INTEGER NOT NULL REFERENCES users(id),"
    /* the customer's owner, kept here so 'my customers' is one index */
    "  customer_owner_id INTEGER REFERENCES users(id),"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL CHECK (end_utc >= start_utc),"
    "  time_zone TEXT NOT NULL,"
    "  all_day INTEGER NOT NULL DEFAULT 0,"
    "  type TEXT NOT NULL,"
    "  channel TEXT NOT NULL"
    "    CHECK (channel IN ('phone','video','in_person')),"
    "  location TEXT, video_url TEXT,"
    "  subject TEXT NOT NULL, notes TEXT,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('scheduled','completed','cancelled','no_show')),"
    "  outcome TEXT, outcome_note TEXT, cancel_reason TEXT,"
    "  rrule TEXT, exdates TEXT,"
    "  series_end_utc INTEGER NOT NULL DEFAULT 0,"
    "  parent_id INTEGER REFERENCES appointments(id),"
    "  recurrence_id INTEGER,"
    "  follow_up_of INTEGER REFERENCES appointments(id),"
    "  uid TEXT NOT NULL,"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  reschedule_count INTEGER NOT NULL DEFAULT 0,"
    "  reminder_minutes INTEGER NOT NULL DEFAULT -1,"
    "  created_by INTEGER, created_at INTEGER NOT NULL,"
    "  updated_by INTEGER, updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1);"
    "CREATE UNIQUE INDEX appt_uid"
    "  ON appointments(uid, coalesce(recurrence_id, 0));"
    "CREATE INDEX appt_owner_start ON appointments(owner_id, start_utc)"
    "  WHERE rrule IS NULL;"
    "CREATE INDEX appt_customer_start"
    "  ON appointments(customer_id, start_utc) WHERE rrule IS NULL;"
    "CREATE INDEX appt_cowner_start"
    "  ON appointments(customer_owner_id, start_utc) WHERE rrule IS NULL;"
    "CREATE INDEX appt_owner_series ON appointments(owner_id)"
    "  WHERE rrule IS NOT NULL;"
    "CREATE INDEX appt_customer_series ON appointments(customer_id)"
    "  WHERE rrule IS NOT NULL;"
    "CREATE INDEX appt_cowner_series ON appointments(customer_owner_id)"
    "  WHERE rrule IS NOT NULL;"
    "CREATE INDEX appt_parent ON appointments(parent_id)"
    "  WHERE parent_id IS NOT NULL;"
    "CREATE TABLE settings_lists ("
    "  list TEXT NOT NULL, code TEXT NOT NULL, position INTEGER NOT NULL,"
    "  PRIMARY KEY (list, code));"
    "INSERT INTO settings_lists (list, code, position) VALUES"
    "  ('appointment_type', 'meeting', 1),"
    "  ('appointment_type', 'call', 2),"
    "  ('appointment_type', 'demo', 3),"
    "  ('appointment_type', 'follow-up', 4),"
    "  ('appointment_type', 'service visit', 5),"
    "  ('outcome', 'interested', 1),"
    "  ('outcome', 'not_interested', 2),"
    "  ('outcome', 'follow_up', 3),"
    "  ('outcome', 'order_placed', 4),"
    "  ('outcome', 'resolved', 5),"
    "  ('outcome', 'no_decision', 6);",

    /* 3: appointments longer than a day get their own small indexes, so
     * the range read of ordinary ones looks back one day instead of 31
     * (a rep's week read 5x the rows it returned). */
    "CREATE INDEX appt_owner_long ON appointments(owner_id, start_utc)"
    "  WHERE rrule IS NULL AND end_utc - start_utc > 86400;"
    "CREATE INDEX appt_customer_long"
    "  ON appointments(customer_id, start_utc)"
    "  WHERE rrule IS NULL AND end_utc - start_utc > 86400;"
    "CREATE INDEX appt_cowner_long"
    "  ON appointments(customer_owner_id, start_utc)"
    "  WHERE rrule IS NULL AND end_utc - start_utc > 86400;",

    /* 4: the territory an appointment's customer had at its start, kept
     * on the appointment (the store recomputes it when the customer's
     * periods or the appointment's time change), and a covering index so
     * the appointments report counts from the index alone. */
    "ALTER TABLE appointments ADD COLUMN territory_id INTEGER;"
    "UPDATE appointments AS a SET territory_id = ("
    "  SELECT ca.territory_id FROM customer_assignments ca WHERE ca.id ="
    "  coalesce((SELECT y.id FROM customer_assignments y"
    "    WHERE y.customer_id = a.customer_id AND y.valid_from <= a.start_utc"
    "    ORDER BY y.valid_from DESC, y.id DESC LIMIT 1),"
    "   (SELECT x.id FROM customer_assignments x"
    "    WHERE x.customer_id = a.customer_id ORDER BY x.valid_from, x.id"
    "    LIMIT 1))"
    "  AND (ca.valid_to IS NULL OR ca.valid_to > a.start_utc"
    "       OR ca.valid_from > a.start_utc))"
    "  WHERE a.customer_id IS NOT NULL;"
    "CREATE INDEX appt_report ON appointments(owner_id, start_utc, status,"
    "  outcome, type, channel, territory_id, reschedule_count, created_at,"
    "  rrule)"
    "  WHERE rrule IS NULL;",

    /* 5: sign-in. Sessions and API tokens are kept as hashes of their
     * secrets, so every server process can check them and a copy of the
     * database opens nothing. Failed sign-ins are rows, so rate limits
     * hold across processes. */
    "ALTER TABLE users ADD COLUMN password_changed_at INTEGER;"
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  address TEXT);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE INDEX sessions_expires ON sessions(expires_at);"
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  name TEXT NOT NULL,"
    "  scope TEXT NOT NULL CHECK (scope IN ('read','write')),"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER,"
    "  revoked_at INTEGER);"
    "CREATE INDEX api_tokens_user ON api_tokens(user_id, id);"
    "CREATE TABLE login_failures ("
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX login_failures_key ON login_failures(key, at);",

    /* 6: calendar interoperability. Feed tokens (one live per user, kept
     * as the hash of the secret), what an imported or exported VEVENT
     * carries beyond the appointment itself (floating times, its DTSTAMP,
     * the organizer, the attendees and their answers), the outbound mail
     * queue (iTIP invitations, reminders) and the reminders already sent,
     * one row per appointment occurrence, claimed in a transaction so that
     * several servers send each exactly once. */
    "CREATE TABLE feed_tokens ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id),"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL);"
    "ALTER TABLE appointments ADD COLUMN floating INTEGER NOT NULL"
    "  DEFAULT 0;"
    "ALTER TABLE appointments ADD COLUMN ical_dtstamp INTEGER NOT NULL"
    "  DEFAULT 0;"
    "ALTER TABLE appointments ADD COLUMN organizer_email TEXT;"
    "ALTER TABLE appointments ADD COLUMN organizer_name TEXT;"
    "CREATE TABLE appointment_attendees ("
    "  appointment_id INTEGER NOT NULL REFERENCES appointments(id),"
    "  position INTEGER NOT NULL,"
    "  email TEXT NOT NULL,"
    "  name TEXT,"
    "  role TEXT NOT NULL DEFAULT 'REQ-PARTICIPANT',"
    "  partstat TEXT NOT NULL DEFAULT 'NEEDS-ACTION',"
    "  rsvp INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (appointment_id, position));"
    "CREATE INDEX attendees_email ON appointment_attendees("
    "  email COLLATE NOCASE);"
    "CREATE TABLE mail_queue ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('invite','reminder')),"
    "  appointment_id INTEGER REFERENCES appointments(id),"
    "  recipient TEXT NOT NULL,"
    "  message TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  claimed_until INTEGER NOT NULL DEFAULT 0,"
    "  sent_at INTEGER,"
    "  last_error TEXT);"
    "CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at)"
    "  WHERE sent_at IS NULL;"
    "CREATE TABLE reminders_sent ("
    "  appointment_id INTEGER NOT NULL REFERENCES appointments(id),"
    "  occurrence_utc INTEGER NOT NULL,"
    "  minutes INTEGER NOT NULL,"
    "  queued_at INTEGER NOT NULL,"
    "  PRIMARY KEY (appointment_id, occurrence_utc, minutes));",

    /* 7: a version per user's calendar, raised by triggers on every
     * change a feed shows (the user's appointments, their attendees, the
     * contacts they name, the user's own name), so a feed answers 304
     * without building itself. */
    "CREATE TABLE calendar_versions ("
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id),"
    "  version INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL);"
#define BUMP(who)                                                              \
	"INSERT INTO calendar_versions (user_id, version, changed_at) "        \
	"SELECT " who ", 1, CAST(strftime('%s', 'now') AS INTEGER) "           \
	"WHERE " who " IS NOT NULL "                                           \
	"ON CONFLICT (user_id) DO UPDATE SET version = version + 1, "          \
	"changed_at = excluded.changed_at;"
    "CREATE TRIGGER calendar_appt_insert AFTER INSERT ON appointments BEGIN " BUMP(
	"NEW.owner_id") " END;"
			"CREATE TRIGGER calendar_appt_update AFTER UPDATE ON appointments BEGIN " BUMP(
			    "NEW.owner_id")
			    BUMP(
				"OLD.owner_id") " END;"
						"CREATE TRIGGER calendar_appt_delete AFTER DELETE ON appointments BEGIN " BUMP(
						    "OLD.owner_id") " END;"
								    "CREATE TRIGGER calendar_att_insert AFTER INSERT ON appointment_attendees "
								    "BEGIN " BUMP(
									"(SELECT owner_id FROM appointments WHERE id = "
									"NEW.appointment_id)") " END;"
											       "CREATE TRIGGER calendar_att_update AFTER UPDATE ON appointment_attendees "
											       "BEGIN " BUMP(
												   "(SELECT owner_id FROM appointments WHERE id = "
												   "NEW.appointment_id)") " END;"
															  "CREATE TRIGGER calendar_att_delete AFTER DELETE ON appointment_attendees "
															  "BEGIN " BUMP(
															      "(SELECT owner_id FROM appointments WHERE id = "
															      "OLD.appointment_id)") " END;"
																		     "CREATE TRIGGER calendar_contact_update AFTER UPDATE OF name, email "
																		     "ON contacts BEGIN "
																		     "INSERT INTO calendar_versions (user_id, version, changed_at) "
																		     "SELECT DISTINCT owner_id, 1, CAST(strftime('%s', 'now') AS INTEGER) "
																		     "FROM appointments WHERE contact_id = NEW.id "
																		     "ON CONFLICT (user_id) DO UPDATE SET version = version + 1, "
																		     "changed_at = excluded.changed_at; END;"
																		     "CREATE TRIGGER calendar_user_update AFTER UPDATE OF name, email "
																		     "ON users BEGIN " BUMP(
																			 "NEW.id") " END;",
#undef BUMP
};

const int sqlite_migrations_count =
    (int)(sizeof(sqlite_migrations) / sizeof(sqlite_migrations[0]));
