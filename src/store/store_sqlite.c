/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend of store.h. Every statement is in the sql[] table,
 * prepared once when the connection opens (a typo fails at start-up and in
 * the unit tests) and run with bound parameters only. Search keys (folded
 * names, phone keys, the trigram text) are derived here from the records so
 * no caller can forget them; customers whose keys changed are collected
 * during a transaction and re-indexed once at commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "domain/codec.h"
#include "store/migrate_sqlite.h"
#include "store/sqlite_int.h"
#include "store/store.h"

#include "core/banned.h"

#define CUSTOMER_COLS                                                          \
	"c.id, c.customer_number, c.name, c.status, c.phone, c.email, "        \
	"c.address, c.postcode, c.city, c.country, c.time_zone, "              \
	"c.territory_id, t.code, c.owner_id, u.email, c.notes, c.version, "    \
	"c.created_at, c.updated_at "                                          \
	"FROM customers c LEFT JOIN territories t ON t.id = c.territory_id "   \
	"LEFT JOIN users u ON u.id = c.owner_id "

#define CONTACT_COLS                                                           \
	"id, customer_id, name, title, phone, mobile, email, notes, version, " \
	"other_phones, tags FROM contacts "

#define APPT_COLS SQ_APPT_COLS

/*
 * The id of the customer's territory/owner period at the appointment's
 * start: the latest one begun by then (two index seeks, not a scan of the
 * periods), or, for an appointment older than the record, its first one.
 * The caller drops a period that had ended (the customer was deleted).
 */
#define ASSIGNMENT_AT                                                          \
	"coalesce((SELECT y.id FROM customer_assignments y "                   \
	"WHERE y.customer_id = a.customer_id AND y.valid_from <= a.start_utc " \
	"ORDER BY y.valid_from DESC, y.id DESC LIMIT 1), "                     \
	"(SELECT x.id FROM customer_assignments x "                            \
	"WHERE x.customer_id = a.customer_id ORDER BY x.valid_from, x.id "     \
	"LIMIT 1)) "

/* The territory of that period, NULL when it had ended (deleted). */
#define TERRITORY_AT                                                           \
	"SELECT ca.territory_id FROM customer_assignments ca "                 \
	"WHERE ca.id = " ASSIGNMENT_AT "AND (ca.valid_to IS NULL "             \
	"OR ca.valid_to > a.start_utc OR ca.valid_from > a.start_utc)"

#define USER_COLS                                                              \
	"id, email, name, role, time_zone, locale, territory_id, disabled "    \
	"FROM users "

enum stmt {
	ST_BEGIN,
	ST_BEGIN_READ,
	ST_SEARCH_ROW,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SETTING_GET,
	ST_SETTING_SET,
	ST_USER_INSERT,
	ST_USER_GET,
	ST_USER_BY_EMAIL,
	ST_USER_LIST,
	ST_USER_SET_ZONE,
	ST_TERR_INSERT,
	ST_TERR_GET,
	ST_TERR_BY_CODE,
	ST_TERR_LIST,
	ST_CUST_INSERT,
	ST_CUST_UPDATE,
	ST_CUST_DELETE,
	ST_CUST_GET,
	ST_CUST_BY_NUMBER,
	ST_CUST_BY_NAME,
	ST_CUST_LIST,
	ST_CUST_COUNT,
	ST_CUST_NUMBER_DELETED,
	ST_CUST_MAX_NUMBER,
	ST_CUST_INDEX_SRC,
	ST_ASSIGN_OPEN,
	ST_ASSIGN_CLOSE,
	ST_ASSIGN_LIST,
	ST_CONTACT_INSERT,
	ST_CONTACT_UPDATE,
	ST_CONTACT_DELETE,
	ST_CONTACT_GET,
	ST_CONTACT_LIST,
	ST_PHONES_CLEAR,
	ST_PHONE_ADD,
	ST_TEXT_CLEAR,
	ST_TEXT_ADD,
	ST_FIND_PHONE,
	ST_FIND_DIGITS,
	ST_FIND_NUMBER_EXACT,
	ST_FIND_NUMBER_PREFIX,
	ST_FIND_NAME_PREFIX,
	ST_FIND_PERSON_PREFIX,
	ST_FIND_TEXT,
	ST_AUDIT_ADD,
	ST_AUDIT_LIST,
	ST_CUST_OWNER_TO_APPTS,
	ST_APPT_INSERT,
	ST_APPT_UPDATE,
	ST_APPT_GET,
	ST_APPT_OVERRIDE,
	ST_APPT_OVERRIDES,
	ST_APPT_SHIFT,
	ST_APPT_OWNER_SINGLES,
	ST_APPT_OWNER_SERIES,
	ST_APPT_CUSTOMER_SINGLES,
	ST_APPT_CUSTOMER_SERIES,
	ST_APPT_COWNER_SINGLES,
	ST_APPT_COWNER_SERIES,
	ST_APPT_TAB_PAST,
	ST_APPT_TAB_NEXT,
	ST_APPT_SERIES_OF_CUSTOMER,
	ST_CODE_LIST,
	ST_REPORT_APPT_COUNTS,
	ST_REPORT_HELD,
	ST_REPORT_CUSTOMERS_AT,
	ST_CUST_SINCE,
	ST_ASSIGN_SINCE,
	ST_APPT_OWNER_LONG,
	ST_APPT_CUSTOMER_LONG,
	ST_APPT_COWNER_LONG,
	ST_APPT_TERR_ONE,
	ST_APPT_TERR_CUSTOMER,
	ST__MAX
};

static const char *const sql[ST__MAX] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_SEARCH_ROW] = "SELECT c.id, c.customer_number, c.name, c.status, "
		      "c.phone, c.country, c.name_fold, t.people, t.extra, "
		      "c.owner_id, coalesce(c.territory_id, 0) "
		      "FROM customers c JOIN search_text t ON t.rowid = c.id "
		      "WHERE c.id = ?1 AND c.deleted_at IS NULL",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
    [ST_SETTING_SET] = "INSERT INTO settings (key, value) VALUES (?1, ?2) "
		       "ON CONFLICT (key) DO UPDATE SET value = ?2",
    [ST_USER_INSERT] = "INSERT INTO users (email, name, role, time_zone, "
		       "locale, territory_id, disabled, created_at) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		       "RETURNING id",
    [ST_USER_GET] = "SELECT " USER_COLS "WHERE id = ?1",
    [ST_USER_BY_EMAIL] = "SELECT " USER_COLS "WHERE email = ?1",
    [ST_USER_LIST] = "SELECT " USER_COLS "ORDER BY id",
    [ST_USER_SET_ZONE] = "UPDATE users SET time_zone = ?2 WHERE email = ?1",
    [ST_TERR_INSERT] = "INSERT INTO territories (code, name, name_fold) "
		       "VALUES (?1, ?2, ?3) RETURNING id",
    [ST_TERR_GET] = "SELECT id, code, name FROM territories WHERE id = ?1",
    [ST_TERR_BY_CODE] = "SELECT id, code, name FROM territories "
			"WHERE code = ?1 OR name_fold = ?2 "
			"ORDER BY code = ?1 DESC LIMIT 1",
    [ST_TERR_LIST] = "SELECT id, code, name FROM territories ORDER BY code",
    [ST_CUST_INSERT] =
	"INSERT INTO customers (customer_number, number_key, name, "
	"name_fold, status, phone, email, address, postcode, city, "
	"country, time_zone, territory_id, owner_id, notes, version, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	"?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?16) "
	"RETURNING id",
    [ST_CUST_UPDATE] =
	"UPDATE customers SET customer_number = ?2, number_key = ?3, "
	"name = ?4, name_fold = ?5, status = ?6, phone = ?7, "
	"email = ?8, address = ?9, postcode = ?10, city = ?11, "
	"country = ?12, time_zone = ?13, territory_id = ?14, "
	"owner_id = ?15, notes = ?16, version = version + 1, "
	"updated_at = ?17 WHERE id = ?1 AND deleted_at IS NULL "
	"AND (?18 = 0 OR version = ?18) RETURNING version",
    [ST_CUST_DELETE] = "UPDATE customers SET deleted_at = ?2, "
		       "version = version + 1, updated_at = ?2 "
		       "WHERE id = ?1 AND deleted_at IS NULL "
		       "AND (?3 = 0 OR version = ?3)",
    [ST_CUST_GET] =
	"SELECT " CUSTOMER_COLS "WHERE c.id = ?1 AND c.deleted_at IS NULL",
    [ST_CUST_BY_NUMBER] =
	"SELECT " CUSTOMER_COLS "WHERE c.customer_number = ?1 "
	"AND c.deleted_at IS NULL",
    [ST_CUST_BY_NAME] = "SELECT " CUSTOMER_COLS
			"WHERE c.name_fold = ?1 AND c.deleted_at IS NULL "
			"ORDER BY c.id LIMIT 1",
    [ST_CUST_LIST] =
	"SELECT " CUSTOMER_COLS "WHERE c.id > ?1 AND c.deleted_at IS NULL "
	"AND (?2 IS NULL OR c.status = ?2) "
	"AND (?3 = 0 OR c.owner_id = ?3) "
	"AND (?4 = 0 OR c.territory_id = ?4) "
	"ORDER BY c.id LIMIT ?5",
    [ST_CUST_COUNT] = "SELECT count(*) FROM customers WHERE deleted_at IS NULL",
    [ST_CUST_NUMBER_DELETED] =
	"SELECT id FROM customers WHERE "
	"customer_number = ?1 AND deleted_at IS NOT NULL",
    [ST_CUST_MAX_NUMBER] =
	"SELECT coalesce(max(CAST(customer_number AS INTEGER)), 0) "
	"FROM customers WHERE customer_number NOT GLOB '*[^0-9]*' "
	"AND length(customer_number) BETWEEN 1 AND 18",
    [ST_CUST_INDEX_SRC] = "SELECT name_fold, customer_number, email, "
			  "phone, country, deleted_at FROM customers "
			  "WHERE id = ?1",
    [ST_ASSIGN_OPEN] = "INSERT INTO customer_assignments (customer_id, "
		       "territory_id, owner_id, valid_from) "
		       "VALUES (?1, ?2, ?3, ?4)",
    [ST_ASSIGN_CLOSE] = "UPDATE customer_assignments SET valid_to = ?2 "
			"WHERE customer_id = ?1 AND valid_to IS NULL",
    [ST_ASSIGN_LIST] = "SELECT territory_id, owner_id, valid_from, "
		       "valid_to FROM customer_assignments "
		       "WHERE customer_id = ?1 ORDER BY valid_from, id",
    [ST_CONTACT_INSERT] = "INSERT INTO contacts (customer_id, name, "
			  "name_fold, title, phone, mobile, email, notes, "
			  "created_at, updated_at, other_phones, tags) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, "
			  "?10, ?11) RETURNING id",
    [ST_CONTACT_UPDATE] =
	"UPDATE contacts SET name = ?2, name_fold = ?3, title = ?4, "
	"phone = ?5, mobile = ?6, email = ?7, notes = ?8, "
	"version = version + 1, updated_at = ?9, other_phones = ?11, "
	"tags = ?12 "
	"WHERE id = ?1 AND (?10 = 0 OR version = ?10) "
	"RETURNING version",
    [ST_CONTACT_DELETE] = "DELETE FROM contacts WHERE id = ?1",
    [ST_CONTACT_GET] = "SELECT " CONTACT_COLS "WHERE id = ?1",
    [ST_CONTACT_LIST] =
	"SELECT " CONTACT_COLS "WHERE customer_id = ?1 ORDER BY id",
    [ST_PHONES_CLEAR] = "DELETE FROM phones WHERE customer_id = ?1",
    [ST_PHONE_ADD] = "INSERT INTO phones (key, customer_id, contact_id) "
		     "VALUES (?1, ?2, ?3)",
    [ST_TEXT_CLEAR] = "DELETE FROM search_text WHERE rowid = ?1",
    [ST_TEXT_ADD] = "INSERT INTO search_text (rowid, name, people, extra, "
		    "digits) VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_FIND_PHONE] = "SELECT customer_id, coalesce(contact_id, 0) "
		      "FROM phones WHERE key = ?1 LIMIT ?2",
    [ST_FIND_DIGITS] = "SELECT rowid, 0 FROM search_text "
		       "WHERE search_text MATCH ?1 LIMIT ?2",
    [ST_FIND_NUMBER_EXACT] = "SELECT id, 0 FROM customers "
			     "WHERE number_key = ?1 "
			     "AND deleted_at IS NULL LIMIT ?2",
    [ST_FIND_NUMBER_PREFIX] = "SELECT id, 0 FROM customers "
			      "WHERE number_key > ?1 AND number_key < ?3 "
			      "AND deleted_at IS NULL "
			      "ORDER BY number_key LIMIT ?2",
    [ST_FIND_NAME_PREFIX] = "SELECT id, 0 FROM customers "
			    "WHERE name_fold >= ?1 AND name_fold < ?3 "
			    "AND deleted_at IS NULL "
			    "ORDER BY name_fold LIMIT ?2",
    [ST_FIND_PERSON_PREFIX] = "SELECT p.customer_id, p.id FROM contacts p "
			      "WHERE p.name_fold >= ?1 "
			      "AND p.name_fold < ?3 "
			      "ORDER BY p.name_fold LIMIT ?2",
    [ST_FIND_TEXT] = "SELECT rowid, 0 FROM search_text "
		     "WHERE search_text MATCH ?1 LIMIT ?2",
    [ST_AUDIT_ADD] = "INSERT INTO audit_log (at, actor_id, action, entity, "
		     "entity_id, before, after) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_AUDIT_LIST] = "SELECT id, at, coalesce(actor_id, 0), action, "
		      "entity, coalesce(entity_id, 0), before, after "
		      "FROM audit_log WHERE (?1 IS NULL OR entity = ?1) "
		      "AND (?2 = 0 OR entity_id = ?2) "
		      "ORDER BY id DESC LIMIT ?3",
    [ST_CUST_OWNER_TO_APPTS] = "UPDATE appointments SET customer_owner_id = ?2 "
			       "WHERE customer_id = ?1",
    [ST_APPT_INSERT] =
	"INSERT INTO appointments (customer_id, contact_id, owner_id, "
	"customer_owner_id, start_utc, end_utc, time_zone, all_day, type, "
	"channel, location, video_url, subject, notes, status, outcome, "
	"outcome_note, cancel_reason, rrule, exdates, series_end_utc, "
	"parent_id, recurrence_id, follow_up_of, uid, sequence, "
	"reschedule_count, reminder_minutes, created_by, created_at, "
	"updated_by, updated_at, floating, ical_dtstamp, organizer_email, "
	"organizer_name) VALUES (?1, ?2, ?3, "
	"(SELECT owner_id FROM customers WHERE id = ?1), ?4, ?5, ?6, ?7, ?8, "
	"?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
	"?23, ?24, ?25, ?26, ?27, ?28, ?29, ?28, ?29, ?30, ?31, ?32, ?33) "
	"RETURNING id",
    [ST_APPT_UPDATE] =
	"UPDATE appointments SET customer_id = ?2, contact_id = ?3, "
	"owner_id = ?4, customer_owner_id = "
	"(SELECT owner_id FROM customers WHERE id = ?2), start_utc = ?5, "
	"end_utc = ?6, time_zone = ?7, all_day = ?8, type = ?9, channel = ?10, "
	"location = ?11, video_url = ?12, subject = ?13, notes = ?14, "
	"status = ?15, outcome = ?16, outcome_note = ?17, cancel_reason = ?18, "
	"rrule = ?19, exdates = ?20, series_end_utc = ?21, sequence = ?22, "
	"reschedule_count = ?23, reminder_minutes = ?24, updated_by = ?25, "
	"updated_at = ?26, ical_dtstamp = 0, version = version + 1 "
	"WHERE id = ?1 AND (?27 = 0 OR version = ?27) RETURNING version",
    [ST_APPT_GET] = "SELECT " APPT_COLS "WHERE a.id = ?1",
    [ST_APPT_OVERRIDE] =
	"SELECT " APPT_COLS "WHERE a.parent_id = ?1 AND a.recurrence_id = ?2",
    [ST_APPT_OVERRIDES] = "SELECT " APPT_COLS "WHERE a.parent_id = ?1 "
			  "ORDER BY a.recurrence_id",
    [ST_APPT_SHIFT] = "UPDATE appointments SET recurrence_id = "
		      "recurrence_id + ?2 WHERE parent_id = ?1",
    [ST_APPT_OWNER_SINGLES] =
	"SELECT " APPT_COLS "WHERE a.owner_id = ?1 AND a.rrule IS NULL "
	"AND a.start_utc >= ?2 AND a.start_utc < ?3 "
	"AND a.end_utc > ?4 AND a.end_utc - a.start_utc <= 86400 "
	"ORDER BY a.start_utc LIMIT ?5",
    [ST_APPT_OWNER_SERIES] =
	"SELECT " APPT_COLS "WHERE a.owner_id = ?1 AND a.rrule IS NOT NULL "
	"AND a.start_utc < ?3 AND (a.series_end_utc = 0 "
	"OR a.series_end_utc > ?4)",
    [ST_APPT_CUSTOMER_SINGLES] =
	"SELECT " APPT_COLS "WHERE a.customer_id = ?1 AND a.rrule IS NULL "
	"AND a.start_utc >= ?2 AND a.start_utc < ?3 "
	"AND a.end_utc > ?4 AND a.end_utc - a.start_utc <= 86400 "
	"ORDER BY a.start_utc LIMIT ?5",
    [ST_APPT_CUSTOMER_SERIES] =
	"SELECT " APPT_COLS "WHERE a.customer_id = ?1 "
	"AND a.rrule IS NOT NULL "
	"AND a.start_utc < ?3 AND (a.series_end_utc = 0 "
	"OR a.series_end_utc > ?4)",
    [ST_APPT_COWNER_SINGLES] =
	"SELECT " APPT_COLS "WHERE a.customer_owner_id = ?1 "
	"AND a.rrule IS NULL AND a.start_utc >= ?2 AND a.start_utc < ?3 "
	"AND a.end_utc > ?4 AND a.end_utc - a.start_utc <= 86400 "
	"ORDER BY a.start_utc LIMIT ?5",
    [ST_APPT_COWNER_SERIES] =
	"SELECT " APPT_COLS "WHERE a.customer_owner_id = ?1 "
	"AND a.rrule IS NOT NULL "
	"AND a.start_utc < ?3 AND (a.series_end_utc = 0 "
	"OR a.series_end_utc > ?4)",
    [ST_APPT_TAB_PAST] =
	"SELECT " APPT_COLS "WHERE a.customer_id = ?1 AND a.rrule IS NULL "
	"AND a.start_utc < ?2 "
	"ORDER BY a.start_utc DESC LIMIT ?3",
    [ST_APPT_TAB_NEXT] =
	"SELECT " APPT_COLS "WHERE a.customer_id = ?1 AND a.rrule IS NULL "
	"AND a.start_utc >= ?2 "
	"ORDER BY a.start_utc LIMIT ?3",
    [ST_APPT_SERIES_OF_CUSTOMER] =
	"SELECT " APPT_COLS "WHERE a.customer_id = ?1 "
	"AND a.rrule IS NOT NULL",
    [ST_CODE_LIST] = "SELECT code FROM settings_lists WHERE list = ?1 "
		     "ORDER BY position, code",
    /* Reports: counted per rep over index ranges of appt_owner_start
     * (owner_id IN users, start_utc in [?1, ?2)), grouped by plain columns
     * only; the territory is the customer's at the appointment's start
     * (before the customer's first period: its first one, for appointments
     * imported or backfilled with the record). */
    [ST_REPORT_APPT_COUNTS] =
	"SELECT a.owner_id, coalesce(a.territory_id, 0), a.type, a.channel, "
	"a.status, coalesce(a.outcome, ''), count(*), "
	"sum(a.reschedule_count), sum(a.start_utc - a.created_at) "
	"FROM appointments a "
	"WHERE a.owner_id IN (SELECT id FROM users) AND a.rrule IS NULL "
	"AND a.start_utc >= ?1 AND a.start_utc < ?2 "
	"GROUP BY 1, 2, 3, 4, 5, 6",
    [ST_REPORT_HELD] =
	"SELECT ca.territory_id, ca.owner_id, a.customer_id, count(*) "
	"FROM appointments a JOIN customer_assignments ca "
	"ON ca.id = " ASSIGNMENT_AT "AND (ca.valid_to IS NULL "
	"OR ca.valid_to > a.start_utc OR ca.valid_from > a.start_utc) "
	"JOIN customers c ON c.id = a.customer_id "
	"WHERE a.owner_id IN (SELECT id FROM users) AND a.rrule IS NULL "
	"AND a.start_utc >= ?1 AND a.start_utc < ?2 "
	"AND a.status = 'completed' AND ca.territory_id IS NOT NULL "
	"AND (c.status = 'customer' OR (?3 AND c.status = 'prospect')) "
	"GROUP BY 1, 2, 3 ORDER BY 1, 3",
    [ST_REPORT_CUSTOMERS_AT] =
	"SELECT ca.territory_id, ca.owner_id, c.id, c.customer_number, "
	"c.name, c.status FROM customer_assignments ca "
	"JOIN customers c ON c.id = ca.customer_id "
	"WHERE ca.territory_id IS NOT NULL AND ca.valid_from <= ?1 "
	"AND (ca.valid_to IS NULL OR ca.valid_to > ?1) "
	"AND (c.status = 'customer' OR (?2 AND c.status = 'prospect')) "
	"ORDER BY ca.territory_id, c.customer_number",
    [ST_CUST_SINCE] = "UPDATE customers SET created_at = ?2 "
		      "WHERE id = ?1 AND created_at > ?2",
    [ST_ASSIGN_SINCE] = "UPDATE customer_assignments SET valid_from = ?2 "
			"WHERE id = (SELECT id FROM customer_assignments "
			"WHERE customer_id = ?1 ORDER BY valid_from, id "
			"LIMIT 1) AND valid_from > ?2",
    /* Appointments longer than a day, from their own small indexes: the
     * range read of ordinary ones then looks back one day, not 31. */
    [ST_APPT_OWNER_LONG] =
	"SELECT " APPT_COLS "WHERE a.owner_id = ?1 AND a.rrule IS NULL "
	"AND a.end_utc - a.start_utc > 86400 "
	"AND a.start_utc >= ?2 AND a.start_utc < ?3 AND a.end_utc > ?4 "
	"ORDER BY a.start_utc LIMIT ?5",
    [ST_APPT_CUSTOMER_LONG] =
	"SELECT " APPT_COLS "WHERE a.customer_id = ?1 AND a.rrule IS NULL "
	"AND a.end_utc - a.start_utc > 86400 "
	"AND a.start_utc >= ?2 AND a.start_utc < ?3 AND a.end_utc > ?4 "
	"ORDER BY a.start_utc LIMIT ?5",
    [ST_APPT_COWNER_LONG] =
	"SELECT " APPT_COLS "WHERE a.customer_owner_id = ?1 "
	"AND a.rrule IS NULL AND a.end_utc - a.start_utc > 86400 "
	"AND a.start_utc >= ?2 AND a.start_utc < ?3 AND a.end_utc > ?4 "
	"ORDER BY a.start_utc LIMIT ?5",
    /* The territory at the time, kept on appointments for the reports. */
    [ST_APPT_TERR_ONE] = "UPDATE appointments AS a SET territory_id = "
			 "(" TERRITORY_AT ") WHERE a.id = ?1",
    [ST_APPT_TERR_CUSTOMER] = "UPDATE appointments AS a SET territory_id = "
			      "(" TERRITORY_AT ") WHERE a.customer_id = ?1",
};
_Static_assert(sizeof(sql) / sizeof(sql[0]) == ST__MAX, "sql[] covers stmt");

const struct sq_table sq_core_table = {sql, ST__MAX, "core"};

/* Every area's table, prepared at open. */
static const struct sq_table *const sq_areas[SQ__AREAS] = {
    [SQ_CORE] = &sq_core_table,
    [SQ_AUTH] = &sq_auth_table,
    [SQ_ICAL] = &sq_ical_table,
};

static enum av_err refresh_territory(struct store *s, enum stmt which,
				     int64_t key, struct av_error *err);

/* ---- small helpers ---- */

static sqlite3_stmt *
stmt(struct store *s, enum stmt id)
{
	return sq_stmt(s, SQ_CORE, (int)id);
}

int64_t
store_now(void)
{
	const char *fixed = getenv("AVTALE_NOW");
	int64_t v;

	if (fixed && str_to_i64(fixed, 0, INT64_MAX, &v))
		return v;
	return (int64_t)time(NULL);
}

/* ---- open, migrate, close ---- */

static enum av_err
exec_sql(struct store *s, const char *text, struct av_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, text, NULL, NULL, &msg) != SQLITE_OK) {
		log_err("sqlite: %s", msg ? msg : "?");
		av_errorf(err, AV_EDB, "database setup failed: %s",
			  msg ? msg : "unknown error");
		sqlite3_free(msg);
		return AV_EDB;
	}
	return AV_OK;
}

static int
read_user_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static enum av_err
migrate(struct store *s, unsigned flags, struct av_error *err)
{
	int v = read_user_version(s);
	char pragma[64];

	if (v < 0)
		return sq_db_error(s, err, "reading the schema version");
	if (v > sqlite_migrations_count)
		return av_errorf(err, AV_EUNSUPPORTED,
				 "database schema %d is newer than this "
				 "program (%d): upgrade avtale",
				 v, sqlite_migrations_count);
	if (v == sqlite_migrations_count)
		return AV_OK;
	if (flags & (STORE_NO_MIGRATE | STORE_READONLY))
		return av_errorf(err, AV_EUNSUPPORTED,
				 "database schema %d needs upgrading to %d: "
				 "run 'avtale init'",
				 v, sqlite_migrations_count);
	if (exec_sql(s, "BEGIN IMMEDIATE", err))
		return AV_EDB;
	/* Another process may have migrated while we waited for the lock. */
	v = read_user_version(s);
	for (; v < sqlite_migrations_count; v++) {
		if (exec_sql(s, sqlite_migrations[v], err))
			goto fail;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		 sqlite_migrations_count);
	if (exec_sql(s, pragma, err) || exec_sql(s, "COMMIT", err))
		goto fail;
	return AV_OK;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return AV_EDB;
}

/* Prepare one area's statements; a hole in its designated initializers
 * is a bug and fails the open. */
static enum av_err
prepare_area(struct store *s, int area, struct av_error *err)
{
	const struct sq_table *t = sq_areas[area];

	s->st[area] = xcalloc((size_t)t->n, sizeof(sqlite3_stmt *));
	for (int i = 0; i < t->n; i++) {
		if (!t->sql[i] || !*t->sql[i])
			return av_errorf(err, AV_EINTERNAL,
					 "statement %s/%d has no SQL text",
					 t->name, i);
		if (sqlite3_prepare_v3(s->db, t->sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT,
				       &s->st[area][i], NULL) != SQLITE_OK) {
			log_err("sqlite: preparing statement %s/%d: %s",
				t->name, i, sqlite3_errmsg(s->db));
			return av_errorf(err, AV_EINTERNAL,
					 "preparing statement %s/%d failed",
					 t->name, i);
		}
	}
	return AV_OK;
}

enum av_err
store_open(const char *url, unsigned flags, struct store **out,
	   struct av_error *err)
{
	struct store *s;
	const char *path = url;
	int oflags = SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (strncmp(url, "sqlite:", 7) == 0)
		path = url + 7;
	else if (strncmp(url, "postgres", 8) == 0)
		return av_errorf(err, AV_EUNSUPPORTED,
				 "the PostgreSQL backend is not built yet");
	if (!*path)
		return av_field_errorf(err, AV_EINVAL, "db",
				       "database path is empty");
	oflags |= (flags & STORE_READONLY)
		      ? SQLITE_OPEN_READONLY
		      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	s = xcalloc(1, sizeof(*s));
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		av_errorf(err, AV_EIO, "cannot open database '%s': %s", path,
			  s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if (exec_sql(s, "PRAGMA foreign_keys = ON", err))
		goto fail;
	if (!(flags & STORE_READONLY) &&
	    exec_sql(s, "PRAGMA journal_mode = WAL", err))
		goto fail;
	/* WAL + NORMAL is durable against process crashes; FULL adds an
	 * fsync per commit so a power cut loses nothing committed. */
	if (exec_sql(s,
		     (flags & STORE_FAST_UNSAFE) ? "PRAGMA synchronous = OFF"
						 : "PRAGMA synchronous = FULL",
		     err))
		goto fail;
	if (exec_sql(s, "PRAGMA cache_size = -65536", err))
		goto fail;
	if (migrate(s, flags, err))
		goto fail;
	for (int a = 0; a < SQ__AREAS; a++) {
		if (prepare_area(s, a, err))
			goto fail;
	}
	*out = s;
	return AV_OK;
fail:
	store_close(s);
	return err ? err->code : AV_EDB;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	for (int a = 0; a < SQ__AREAS; a++) {
		const struct sq_table *t = sq_areas[a];
		for (int i = 0; s->st[a] && i < t->n; i++)
			sqlite3_finalize(s->st[a][i]);
		free(s->st[a]);
	}
	sqlite3_close(s->db);
	free(s->dirty);
	free(s);
}

int
store_schema_version(struct store *s)
{
	return read_user_version(s);
}

int
store_schema_latest(void)
{
	return sqlite_migrations_count;
}

/* ---- search index upkeep ---- */

static void
mark_dirty(struct store *s, int64_t customer_id)
{
	if (s->n_dirty && s->dirty[s->n_dirty - 1] == customer_id)
		return;
	if (s->n_dirty == s->cap_dirty) {
		s->cap_dirty = s->cap_dirty ? s->cap_dirty * 2 : 16;
		s->dirty = xrealloc(s->dirty, s->cap_dirty * sizeof(int64_t));
	}
	s->dirty[s->n_dirty++] = customer_id;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a;
	int64_t y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static enum av_err
add_phone(struct store *s, const char *text, const char *country,
	  int64_t customer_id, int64_t contact_id, struct buf *digits,
	  struct av_error *err)
{
	char key[32];
	sqlite3_stmt *st;

	if (!text || !phone_normalize(text, country, key, sizeof(key)))
		return AV_OK;
	st = stmt(s, ST_PHONE_ADD);
	sq_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, customer_id);
	sq_bind_id(st, 3, contact_id);
	if (sq_exec_done(s, st, err, "phone index"))
		return AV_EDB;
	/* digits without '+', one number per line, for substring search */
	if (digits->len)
		buf_addc(digits, '\n');
	buf_adds(digits, key + 1);
	return AV_OK;
}

/* Each line of 'lines' is one more number of the same person. */
static enum av_err
add_phone_lines(struct store *s, const char *lines, const char *country,
		int64_t customer_id, int64_t contact_id, struct buf *digits,
		struct av_error *err)
{
	char one[64];

	while (lines && *lines) {
		const char *nl = strchr(lines, '\n');
		size_t len = nl ? (size_t)(nl - lines) : strlen(lines);

		if (len < sizeof(one)) {
			memcpy(one, lines, len);
			one[len] = '\0';
			if (add_phone(s, one, country, customer_id, contact_id,
				      digits, err))
				return AV_EDB;
		}
		lines = nl ? nl + 1 : NULL;
	}
	return AV_OK;
}

/* Rebuild the phone keys and the trigram row of one customer. */
static enum av_err
reindex_customer(struct store *s, int64_t id, struct av_error *err)
{
	struct arena a;
	struct buf people, extra, digits;
	sqlite3_stmt *st;
	const char *name_fold, *number, *email, *phone, *country;
	bool deleted;
	enum av_err rc = AV_OK;

	arena_init(&a, 0);
	buf_init(&people, 0);
	buf_init(&extra, 0);
	buf_init(&digits, 0);
	st = stmt(s, ST_CUST_INDEX_SRC);
	sqlite3_bind_int64(st, 1, id);
	rc = sq_step_row(s, st, err, "customer");
	if (rc)
		goto out;
	name_fold = sq_col_text(st, 0, &a);
	number = sq_col_text(st, 1, &a);
	email = sq_col_text(st, 2, &a);
	phone = sq_col_text(st, 3, &a);
	country = sq_col_text(st, 4, &a);
	deleted = sqlite3_column_type(st, 5) != SQLITE_NULL;
	sqlite3_reset(st);

	st = stmt(s, ST_PHONES_CLEAR);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_exec_done(s, st, err, "phone index")))
		goto out;
	st = stmt(s, ST_TEXT_CLEAR);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_exec_done(s, st, err, "search index")))
		goto out;
	if (deleted)
		goto out;

	if ((rc = add_phone(s, phone, country, id, 0, &digits, err)))
		goto out;
	buf_adds(&extra, fold_search(&a, number, strlen(number)));
	if (email) {
		const char *fe = fold_search(&a, email, strlen(email));
		buf_addc(&extra, '\n');
		buf_adds(&extra, fe ? fe : "");
	}
	{
		struct contact *cs;
		size_t n;

		if ((rc = store_contact_list(s, id, &a, &cs, &n, err)))
			goto out;
		for (size_t i = 0; i < n; i++) {
			const char *f =
			    fold_search(&a, cs[i].name, strlen(cs[i].name));
			if (people.len)
				buf_addc(&people, '\n');
			buf_adds(&people, f ? f : "");
			if (cs[i].email) {
				const char *fe = fold_search(
				    &a, cs[i].email, strlen(cs[i].email));
				buf_addc(&extra, '\n');
				buf_adds(&extra, fe ? fe : "");
			}
			if ((rc = add_phone(s, cs[i].phone, country, id,
					    cs[i].id, &digits, err)) ||
			    (rc = add_phone(s, cs[i].mobile, country, id,
					    cs[i].id, &digits, err)) ||
			    (rc =
				 add_phone_lines(s, cs[i].other_phones, country,
						 id, cs[i].id, &digits, err)))
				goto out;
		}
	}
	st = stmt(s, ST_TEXT_ADD);
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, name_fold);
	sq_bind_text(st, 3, people.p);
	sq_bind_text(st, 4, extra.p);
	sq_bind_text(st, 5, digits.p);
	rc = sq_exec_done(s, st, err, "search index");
out:
	buf_release(&people);
	buf_release(&extra);
	buf_release(&digits);
	arena_release(&a);
	return rc;
}

static enum av_err
flush_dirty(struct store *s, struct av_error *err)
{
	enum av_err rc = AV_OK;

	if (s->n_dirty == 0)
		return AV_OK;
	qsort(s->dirty, s->n_dirty, sizeof(int64_t), cmp_i64);
	for (size_t i = 0; i < s->n_dirty && !rc; i++) {
		if (i && s->dirty[i] == s->dirty[i - 1])
			continue;
		rc = reindex_customer(s, s->dirty[i], err);
	}
	s->n_dirty = 0;
	return rc;
}

/* ---- transactions ---- */

enum av_err
store_begin(struct store *s, struct av_error *err)
{
	if (s->in_tx)
		return av_errorf(err, AV_EINTERNAL,
				 "nested transaction requested");
	if (sq_exec_done(s, stmt(s, ST_BEGIN), err, "begin"))
		return err ? err->code : AV_EDB;
	s->in_tx = 1;
	s->n_dirty = 0;
	return AV_OK;
}

enum av_err
store_begin_read(struct store *s, struct av_error *err)
{
	if (s->in_tx)
		return av_errorf(err, AV_EINTERNAL,
				 "nested transaction requested");
	if (sq_exec_done(s, stmt(s, ST_BEGIN_READ), err, "begin"))
		return err ? err->code : AV_EDB;
	s->in_tx = 1;
	s->n_dirty = 0;
	return AV_OK;
}

enum av_err
store_search_row(struct store *s, int64_t id, struct arena *a,
		 struct search_row *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_SEARCH_ROW);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sq_step_row(s, st, err, "customer");
	if (!rc) {
		out->id = sqlite3_column_int64(st, 0);
		out->customer_number = sq_col_text(st, 1, a);
		out->name = sq_col_text(st, 2, a);
		if (!customer_status_parse(
			(const char *)sqlite3_column_text(st, 3), &out->status))
			out->status = CUSTOMER_PROSPECT;
		out->phone = sq_col_text(st, 4, a);
		out->country = sq_col_text(st, 5, a);
		out->name_fold = sq_col_text(st, 6, a);
		out->people = sq_col_text(st, 7, a);
		out->extra = sq_col_text(st, 8, a);
		out->owner_id = sqlite3_column_int64(st, 9);
		out->territory_id = sqlite3_column_int64(st, 10);
	}
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_commit(struct store *s, struct av_error *err)
{
	enum av_err rc = flush_dirty(s, err);

	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = sq_exec_done(s, stmt(s, ST_COMMIT), err, "commit");
	if (rc) {
		store_rollback(s);
		return rc;
	}
	s->in_tx = 0;
	return AV_OK;
}

void
store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	for (int a = 0; a < SQ__AREAS; a++) {
		for (int i = 0; i < sq_areas[a]->n; i++)
			sqlite3_reset(s->st[a][i]);
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	s->n_dirty = 0;
}

/* ---- settings ---- */

enum av_err
store_setting_get(struct store *s, const char *key, struct arena *a,
		  const char **out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_SETTING_GET);
	enum av_err rc;

	sq_bind_text(st, 1, key);
	rc = sq_step_row(s, st, err, "setting");
	*out = rc ? NULL : sq_col_text(st, 0, a);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_setting_set(struct store *s, const char *key, const char *value,
		  struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_SETTING_SET);

	sq_bind_text(st, 1, key);
	sq_bind_text(st, 2, value);
	return sq_exec_done(s, st, err, "setting");
}

/* ---- audit ---- */

enum av_err
store_audit_add(struct store *s, const struct audit_entry *e,
		struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_AUDIT_ADD);

	sqlite3_bind_int64(st, 1, e->at ? e->at : store_now());
	sq_bind_id(st, 2, e->actor_id);
	sq_bind_text(st, 3, e->action);
	sq_bind_text(st, 4, e->entity);
	sq_bind_id(st, 5, e->entity_id);
	sq_bind_text(st, 6, e->before);
	sq_bind_text(st, 7, e->after);
	return sq_exec_done(s, st, err, "audit log");
}

enum av_err
store_audit_list(struct store *s, const char *entity, int64_t entity_id,
		 size_t limit, struct arena *a, struct audit_entry **out,
		 size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_AUDIT_LIST);
	struct audit_entry *v = arena_alloc(a, limit * sizeof(*v) + 1);
	size_t n = 0;
	int rc = SQLITE_DONE;

	sq_bind_text(st, 1, entity);
	sqlite3_bind_int64(st, 2, entity_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
		struct audit_entry *e = &v[n++];
		e->id = sqlite3_column_int64(st, 0);
		e->at = sqlite3_column_int64(st, 1);
		e->actor_id = sqlite3_column_int64(st, 2);
		e->action = sq_col_text(st, 3, a);
		e->entity = sq_col_text(st, 4, a);
		e->entity_id = sqlite3_column_int64(st, 5);
		e->before = sq_col_text(st, 6, a);
		e->after = sq_col_text(st, 7, a);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_db_error(s, err, "audit log");
	*out = v;
	*n_out = n;
	return AV_OK;
}

/* ---- users ---- */

static void
read_user(sqlite3_stmt *st, struct arena *a, struct user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->email = sq_col_text(st, 1, a);
	u->name = sq_col_text(st, 2, a);
	if (!user_role_parse((const char *)sqlite3_column_text(st, 3),
			     &u->role))
		u->role = ROLE_REP;
	u->time_zone = sq_col_text(st, 4, a);
	u->locale = sq_col_text(st, 5, a);
	u->territory_id = sqlite3_column_int64(st, 6);
	u->disabled = sqlite3_column_int(st, 7) != 0;
}

enum av_err
store_user_insert(struct store *s, struct user *u, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_USER_INSERT);
	enum av_err rc;

	sq_bind_text(st, 1, u->email);
	sq_bind_text(st, 2, u->name);
	sq_bind_text(st, 3, user_role_name(u->role));
	sq_bind_text(st, 4, u->time_zone ? u->time_zone : "Europe/Oslo");
	sq_bind_text(st, 5, u->locale ? u->locale : "nb");
	sq_bind_id(st, 6, u->territory_id);
	sqlite3_bind_int(st, 7, u->disabled);
	sqlite3_bind_int64(st, 8, store_now());
	rc = sq_step_row(s, st, err, "user");
	if (!rc)
		u->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

static enum av_err
user_one(struct store *s, sqlite3_stmt *st, struct arena *a, struct user *out,
	 struct av_error *err)
{
	enum av_err rc = sq_step_row(s, st, err, "user");

	if (!rc)
		read_user(st, a, out);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_user_get(struct store *s, int64_t id, struct arena *a, struct user *out,
	       struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_USER_GET);

	sqlite3_bind_int64(st, 1, id);
	return user_one(s, st, a, out, err);
}

enum av_err
store_user_by_email(struct store *s, const char *email, struct arena *a,
		    struct user *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_USER_BY_EMAIL);

	sq_bind_text(st, 1, email);
	return user_one(s, st, a, out, err);
}

enum av_err
store_user_set_zone(struct store *s, const char *email, const char *zone,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_USER_SET_ZONE);

	sq_bind_text(st, 1, email);
	sq_bind_text(st, 2, zone);
	if (sq_exec_done(s, st, err, "user zone"))
		return AV_EDB;
	if (sqlite3_changes(s->db) == 0)
		return av_errorf(err, AV_ENOTFOUND, "user '%s' not found",
				 email);
	return AV_OK;
}

enum av_err
store_user_list(struct store *s, struct arena *a, struct user **out,
		size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_USER_LIST);
	size_t n = 0, cap = 16;
	struct user *v = arena_alloc(a, cap * sizeof(*v));
	int rc = SQLITE_DONE;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		read_user(st, a, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "user list");
	*out = v;
	*n_out = n;
	return AV_OK;
}

/* ---- territories ---- */

static void
read_territory(sqlite3_stmt *st, struct arena *a, struct territory *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->code = sq_col_text(st, 1, a);
	t->name = sq_col_text(st, 2, a);
}

enum av_err
store_territory_insert(struct store *s, struct territory *t,
		       struct av_error *err)
{
	struct arena a;
	sqlite3_stmt *st = stmt(s, ST_TERR_INSERT);
	enum av_err rc;

	arena_init(&a, 0);
	sq_bind_text(st, 1, t->code);
	sq_bind_text(st, 2, t->name);
	sq_bind_text(st, 3, fold_search(&a, t->name, strlen(t->name)));
	rc = sq_step_row(s, st, err, "territory");
	if (!rc)
		t->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	arena_release(&a);
	return rc;
}

enum av_err
store_territory_get(struct store *s, int64_t id, struct arena *a,
		    struct territory *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_TERR_GET);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sq_step_row(s, st, err, "territory");
	if (!rc)
		read_territory(st, a, out);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_territory_find(struct store *s, const char *code_or_name, struct arena *a,
		     struct territory *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_TERR_BY_CODE);
	enum av_err rc;

	sq_bind_text(st, 1, code_or_name);
	sq_bind_text(st, 2, fold_search(a, code_or_name, strlen(code_or_name)));
	rc = sq_step_row(s, st, err, "territory");
	if (!rc)
		read_territory(st, a, out);
	sqlite3_reset(st);
	if (rc == AV_ENOTFOUND)
		av_errorf(err, AV_ENOTFOUND, "territory '%s' not found",
			  code_or_name);
	return rc;
}

enum av_err
store_territory_list(struct store *s, struct arena *a, struct territory **out,
		     size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_TERR_LIST);
	size_t n = 0, cap = 16;
	struct territory *v = arena_alloc(a, cap * sizeof(*v));
	int rc = SQLITE_DONE;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		read_territory(st, a, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "territory list");
	*out = v;
	*n_out = n;
	return AV_OK;
}

/* ---- customers ---- */

static void
read_customer(sqlite3_stmt *st, struct arena *a, struct customer *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->customer_number = sq_col_text(st, 1, a);
	c->name = sq_col_text(st, 2, a);
	if (!customer_status_parse((const char *)sqlite3_column_text(st, 3),
				   &c->status))
		c->status = CUSTOMER_PROSPECT;
	c->phone = sq_col_text(st, 4, a);
	c->email = sq_col_text(st, 5, a);
	c->address = sq_col_text(st, 6, a);
	c->postcode = sq_col_text(st, 7, a);
	c->city = sq_col_text(st, 8, a);
	c->country = sq_col_text(st, 9, a);
	c->time_zone = sq_col_text(st, 10, a);
	c->territory_id = sqlite3_column_int64(st, 11);
	c->territory = sq_col_text(st, 12, a);
	c->owner_id = sqlite3_column_int64(st, 13);
	c->owner = sq_col_text(st, 14, a);
	c->notes = sq_col_text(st, 15, a);
	c->version = sqlite3_column_int64(st, 16);
	c->created_at = sqlite3_column_int64(st, 17);
	c->updated_at = sqlite3_column_int64(st, 18);
}

static enum av_err
customer_one(struct store *s, sqlite3_stmt *st, struct arena *a,
	     struct customer *out, struct av_error *err)
{
	enum av_err rc = sq_step_row(s, st, err, "customer");

	if (!rc)
		read_customer(st, a, out);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_customer_get(struct store *s, int64_t id, struct arena *a,
		   struct customer *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CUST_GET);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	rc = customer_one(s, st, a, out, err);
	if (rc == AV_ENOTFOUND)
		av_errorf(err, rc, "customer %lld not found", (long long)id);
	return rc;
}

enum av_err
store_customer_by_number(struct store *s, const char *number, struct arena *a,
			 struct customer *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CUST_BY_NUMBER);
	enum av_err rc;

	sq_bind_text(st, 1, number);
	rc = customer_one(s, st, a, out, err);
	if (rc == AV_ENOTFOUND)
		av_errorf(err, rc, "customer number '%s' not found", number);
	return rc;
}

enum av_err
store_customer_by_name(struct store *s, const char *name, struct arena *a,
		       struct customer *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CUST_BY_NAME);
	const char *f = fold_search(a, name, strlen(name));

	if (!f)
		return av_errorf(err, AV_EINVAL, "name is not valid UTF-8");
	sq_bind_text(st, 1, f);
	return customer_one(s, st, a, out, err);
}

enum av_err
store_customer_list(struct store *s, const struct customer_filter *f,
		    struct arena *a, struct customer **out, size_t *n_out,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CUST_LIST);
	size_t limit = f->limit ? f->limit : 50;
	struct customer *v = arena_alloc(a, limit * sizeof(*v));
	size_t n = 0;
	int rc = SQLITE_DONE;

	sqlite3_bind_int64(st, 1, f->after_id);
	if (f->status >= 0)
		sq_bind_text(
		    st, 2,
		    customer_status_name((enum customer_status)f->status));
	sqlite3_bind_int64(st, 3, f->owner_id);
	sqlite3_bind_int64(st, 4, f->territory_id);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_customer(st, a, &v[n++]);
	if (n < limit && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return sq_db_error(s, err, "customer list");
	}
	sqlite3_reset(st);
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_customer_count(struct store *s, int64_t *out, struct av_error *err)
{
	return sq_step_int64(s, stmt(s, ST_CUST_COUNT), out, err, "count");
}

enum av_err
store_customer_max_number(struct store *s, int64_t *out, struct av_error *err)
{
	return sq_step_int64(s, stmt(s, ST_CUST_MAX_NUMBER), out, err,
			     "customer numbers");
}

/* Search keys of a customer's own columns. */
struct customer_keys {
	const char *number_key; /* folded customer number */
	const char *name_fold;	/* folded company name */
};

static enum av_err
customer_keys(const struct customer *c, struct arena *a,
	      struct customer_keys *k, struct av_error *err)
{
	k->number_key =
	    fold_case(a, c->customer_number, strlen(c->customer_number));
	k->name_fold = fold_search(a, c->name, strlen(c->name));
	if (!k->number_key || !k->name_fold)
		return av_errorf(err, AV_EINVAL, "text is not valid UTF-8");
	return AV_OK;
}

static enum av_err
assignment_open(struct store *s, const struct customer *c, int64_t now,
		struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ASSIGN_OPEN);

	sqlite3_bind_int64(st, 1, c->id);
	sq_bind_id(st, 2, c->territory_id);
	sqlite3_bind_int64(st, 3, c->owner_id);
	sqlite3_bind_int64(st, 4, now);
	return sq_exec_done(s, st, err, "assignment");
}

/* Say why a customer number is taken: a live record, or a deleted one
 * (numbers of deleted customers stay reserved, as their history does). */
static void
number_taken(struct store *s, const char *number, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CUST_NUMBER_DELETED);
	bool deleted;

	sq_bind_text(st, 1, number);
	deleted = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (deleted)
		av_field_errorf(err, AV_ECONFLICT, "customer_number",
				"customer number '%s' belonged to a deleted "
				"customer and stays reserved; choose another",
				number);
	else
		av_field_errorf(err, AV_ECONFLICT, "customer_number",
				"customer number '%s' is already taken",
				number);
}

enum av_err
store_customer_insert(struct store *s, struct customer *c, int64_t actor,
		      struct av_error *err)
{
	struct arena a;
	struct customer_keys k;
	sqlite3_stmt *st;
	int64_t now = store_now();
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	if ((rc = customer_keys(c, &a, &k, err)))
		goto out;
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	st = stmt(s, ST_CUST_INSERT);
	sq_bind_text(st, 1, c->customer_number);
	sq_bind_text(st, 2, k.number_key);
	sq_bind_text(st, 3, c->name);
	sq_bind_text(st, 4, k.name_fold);
	sq_bind_text(st, 5, customer_status_name(c->status));
	sq_bind_text(st, 6, c->phone);
	sq_bind_text(st, 7, c->email);
	sq_bind_text(st, 8, c->address);
	sq_bind_text(st, 9, c->postcode);
	sq_bind_text(st, 10, c->city);
	sq_bind_text(st, 11, c->country);
	sq_bind_text(st, 12, c->time_zone);
	sq_bind_id(st, 13, c->territory_id);
	sqlite3_bind_int64(st, 14, c->owner_id);
	sq_bind_text(st, 15, c->notes);
	sqlite3_bind_int64(st, 16, now);
	rc = sq_step_row(s, st, err, "customer insert");
	if (!rc)
		c->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == AV_ECONFLICT)
		number_taken(s, c->customer_number, err);
	if (!rc) {
		c->version = 1;
		c->created_at = c->updated_at = now;
		rc = assignment_open(s, c, now, err);
	}
	if (!rc)
		rc = sq_audit_json(s, actor, "create", "customer", c->id, NULL,
				   customer_to_json(c), err);
	if (!rc)
		mark_dirty(s, c->id);
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

static bool
same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The stored fields of two customers are equal (views and versions
 * aside): an update would change nothing. */
static bool
same_customer(const struct customer *a, const struct customer *b)
{
	return same_text(a->customer_number, b->customer_number) &&
	       same_text(a->name, b->name) && a->status == b->status &&
	       same_text(a->phone, b->phone) && same_text(a->email, b->email) &&
	       same_text(a->address, b->address) &&
	       same_text(a->postcode, b->postcode) &&
	       same_text(a->city, b->city) &&
	       same_text(a->country, b->country) &&
	       same_text(a->time_zone, b->time_zone) &&
	       a->territory_id == b->territory_id &&
	       a->owner_id == b->owner_id && same_text(a->notes, b->notes);
}

static bool
same_contact(const struct contact *a, const struct contact *b)
{
	return same_text(a->name, b->name) && same_text(a->title, b->title) &&
	       same_text(a->phone, b->phone) &&
	       same_text(a->mobile, b->mobile) &&
	       same_text(a->email, b->email) && same_text(a->notes, b->notes) &&
	       same_text(a->other_phones, b->other_phones) &&
	       same_text(a->tags, b->tags);
}

enum av_err
store_customer_update(struct store *s, struct customer *c,
		      int64_t expected_version, int64_t actor,
		      struct av_error *err)
{
	struct arena a;
	struct customer_keys k;
	struct customer old;
	sqlite3_stmt *st;
	int64_t now = store_now();
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	if ((rc = customer_keys(c, &a, &k, err)))
		goto out;
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	rc = store_customer_get(s, c->id, &a, &old, err);
	if (!rc && expected_version && old.version != expected_version)
		rc = av_errorf(err, AV_ESTALE,
			       "customer %lld has version %lld, not %lld",
			       (long long)c->id, (long long)old.version,
			       (long long)expected_version);
	if (rc)
		goto end;
	if (same_customer(&old, c)) {
		/* nothing changes: no new version, no audit entry */
		c->version = old.version;
		c->created_at = old.created_at;
		c->updated_at = old.updated_at;
		goto end;
	}
	st = stmt(s, ST_CUST_UPDATE);
	sqlite3_bind_int64(st, 1, c->id);
	sq_bind_text(st, 2, c->customer_number);
	sq_bind_text(st, 3, k.number_key);
	sq_bind_text(st, 4, c->name);
	sq_bind_text(st, 5, k.name_fold);
	sq_bind_text(st, 6, customer_status_name(c->status));
	sq_bind_text(st, 7, c->phone);
	sq_bind_text(st, 8, c->email);
	sq_bind_text(st, 9, c->address);
	sq_bind_text(st, 10, c->postcode);
	sq_bind_text(st, 11, c->city);
	sq_bind_text(st, 12, c->country);
	sq_bind_text(st, 13, c->time_zone);
	sq_bind_id(st, 14, c->territory_id);
	sqlite3_bind_int64(st, 15, c->owner_id);
	sq_bind_text(st, 16, c->notes);
	sqlite3_bind_int64(st, 17, now);
	sqlite3_bind_int64(st, 18, expected_version);
	rc = sq_step_row(s, st, err, "customer update");
	if (!rc)
		c->version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == AV_ECONFLICT)
		av_field_errorf(err, AV_ECONFLICT, "customer_number",
				"customer number '%s' is already taken",
				c->customer_number);
	if (rc)
		goto end;
	c->created_at = old.created_at;
	c->updated_at = now;
	if (old.owner_id != c->owner_id) {
		st = stmt(s, ST_CUST_OWNER_TO_APPTS);
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_int64(st, 2, c->owner_id);
		rc = sq_exec_done(s, st, err, "appointment owners");
		if (rc)
			goto end;
	}
	if (old.territory_id != c->territory_id ||
	    old.owner_id != c->owner_id) {
		st = stmt(s, ST_ASSIGN_CLOSE);
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_int64(st, 2, now);
		rc = sq_exec_done(s, st, err, "assignment");
		if (!rc)
			rc = assignment_open(s, c, now, err);
		if (!rc && old.territory_id != c->territory_id)
			rc = refresh_territory(s, ST_APPT_TERR_CUSTOMER, c->id,
					       err);
	}
	if (!rc)
		rc = sq_audit_json(s, actor, "update", "customer", c->id,
				   customer_to_json(&old), customer_to_json(c),
				   err);
	if (!rc)
		mark_dirty(s, c->id);
end:
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

enum av_err
store_customer_delete(struct store *s, int64_t id, int64_t expected_version,
		      int64_t actor, struct av_error *err)
{
	struct arena a;
	struct customer old;
	sqlite3_stmt *st;
	int64_t now = store_now();
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	rc = store_customer_get(s, id, &a, &old, err);
	if (!rc && expected_version && old.version != expected_version)
		rc = av_errorf(err, AV_ESTALE,
			       "customer %lld has version %lld, not %lld",
			       (long long)id, (long long)old.version,
			       (long long)expected_version);
	if (!rc) {
		st = stmt(s, ST_CUST_DELETE);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, expected_version);
		rc = sq_exec_done(s, st, err, "customer delete");
	}
	if (!rc) {
		st = stmt(s, ST_ASSIGN_CLOSE);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
		rc = sq_exec_done(s, st, err, "assignment");
	}
	if (!rc)
		rc = refresh_territory(s, ST_APPT_TERR_CUSTOMER, id, err);
	if (!rc)
		rc = sq_audit_json(s, actor, "delete", "customer", id,
				   customer_to_json(&old), NULL, err);
	if (!rc)
		mark_dirty(s, id);
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

enum av_err
store_customer_history(struct store *s, int64_t customer_id, struct arena *a,
		       struct assignment **out, size_t *n_out,
		       struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_ASSIGN_LIST);
	size_t n = 0, cap = 8;
	struct assignment *v = arena_alloc(a, cap * sizeof(*v));
	int rc = SQLITE_DONE;

	sqlite3_bind_int64(st, 1, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].territory_id = sqlite3_column_int64(st, 0);
		v[n].owner_id = sqlite3_column_int64(st, 1);
		v[n].valid_from = sqlite3_column_int64(st, 2);
		v[n].valid_to = sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "assignment history");
	*out = v;
	*n_out = n;
	return AV_OK;
}

/* ---- contacts ---- */

static void
read_contact(sqlite3_stmt *st, struct arena *a, struct contact *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->customer_id = sqlite3_column_int64(st, 1);
	c->name = sq_col_text(st, 2, a);
	c->title = sq_col_text(st, 3, a);
	c->phone = sq_col_text(st, 4, a);
	c->mobile = sq_col_text(st, 5, a);
	c->email = sq_col_text(st, 6, a);
	c->notes = sq_col_text(st, 7, a);
	c->version = sqlite3_column_int64(st, 8);
	c->other_phones = sq_col_text(st, 9, a);
	c->tags = sq_col_text(st, 10, a);
}

enum av_err
store_contact_get(struct store *s, int64_t id, struct arena *a,
		  struct contact *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CONTACT_GET);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sq_step_row(s, st, err, "contact");
	if (!rc)
		read_contact(st, a, out);
	sqlite3_reset(st);
	if (rc == AV_ENOTFOUND)
		av_errorf(err, rc, "contact %lld not found", (long long)id);
	return rc;
}

enum av_err
store_contact_list(struct store *s, int64_t customer_id, struct arena *a,
		   struct contact **out, size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CONTACT_LIST);
	size_t n = 0, cap = 8;
	struct contact *v = arena_alloc(a, cap * sizeof(*v));
	int rc = SQLITE_DONE;

	sqlite3_bind_int64(st, 1, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		read_contact(st, a, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "contact list");
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_contact_insert(struct store *s, struct contact *c, int64_t actor,
		     struct av_error *err)
{
	struct arena a;
	sqlite3_stmt *st;
	const char *fold;
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	fold = fold_search(&a, c->name, strlen(c->name));
	if (!fold) {
		rc = av_field_errorf(err, AV_EINVAL, "name",
				     "'name' is not valid UTF-8");
		goto out;
	}
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	st = stmt(s, ST_CONTACT_INSERT);
	sqlite3_bind_int64(st, 1, c->customer_id);
	sq_bind_text(st, 2, c->name);
	sq_bind_text(st, 3, fold);
	sq_bind_text(st, 4, c->title);
	sq_bind_text(st, 5, c->phone);
	sq_bind_text(st, 6, c->mobile);
	sq_bind_text(st, 7, c->email);
	sq_bind_text(st, 8, c->notes);
	sqlite3_bind_int64(st, 9, store_now());
	sq_bind_text(st, 10, c->other_phones);
	sq_bind_text(st, 11, c->tags);
	rc = sq_step_row(s, st, err, "contact insert");
	if (!rc) {
		c->id = sqlite3_column_int64(st, 0);
		c->version = 1;
	}
	sqlite3_reset(st);
	if (rc == AV_ECONFLICT)
		av_field_errorf(err, AV_ENOTFOUND, "customer_id",
				"customer %lld not found",
				(long long)c->customer_id);
	if (!rc)
		rc = sq_audit_json(s, actor, "create", "contact", c->id, NULL,
				   contact_to_json(c), err);
	if (!rc)
		mark_dirty(s, c->customer_id);
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc == AV_ECONFLICT ? AV_ENOTFOUND : rc;
}

enum av_err
store_contact_update(struct store *s, struct contact *c,
		     int64_t expected_version, int64_t actor,
		     struct av_error *err)
{
	struct arena a;
	struct contact old;
	sqlite3_stmt *st;
	const char *fold;
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	fold = fold_search(&a, c->name, strlen(c->name));
	if (!fold) {
		rc = av_field_errorf(err, AV_EINVAL, "name",
				     "'name' is not valid UTF-8");
		goto out;
	}
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	rc = store_contact_get(s, c->id, &a, &old, err);
	if (!rc && expected_version && old.version != expected_version)
		rc = av_errorf(err, AV_ESTALE,
			       "contact %lld has version %lld, not %lld",
			       (long long)c->id, (long long)old.version,
			       (long long)expected_version);
	if (rc)
		goto end;
	if (same_contact(&old, c)) {
		c->version = old.version;
		c->customer_id = old.customer_id;
		goto end;
	}
	st = stmt(s, ST_CONTACT_UPDATE);
	sqlite3_bind_int64(st, 1, c->id);
	sq_bind_text(st, 2, c->name);
	sq_bind_text(st, 3, fold);
	sq_bind_text(st, 4, c->title);
	sq_bind_text(st, 5, c->phone);
	sq_bind_text(st, 6, c->mobile);
	sq_bind_text(st, 7, c->email);
	sq_bind_text(st, 8, c->notes);
	sqlite3_bind_int64(st, 9, store_now());
	sqlite3_bind_int64(st, 10, expected_version);
	sq_bind_text(st, 11, c->other_phones);
	sq_bind_text(st, 12, c->tags);
	rc = sq_step_row(s, st, err, "contact update");
	if (!rc)
		c->version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	c->customer_id = old.customer_id;
	if (!rc)
		rc = sq_audit_json(s, actor, "update", "contact", c->id,
				   contact_to_json(&old), contact_to_json(c),
				   err);
	if (!rc)
		mark_dirty(s, c->customer_id);
end:
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

enum av_err
store_contact_delete(struct store *s, int64_t id, int64_t actor,
		     struct av_error *err)
{
	struct arena a;
	struct contact old;
	sqlite3_stmt *st;
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	rc = store_contact_get(s, id, &a, &old, err);
	if (!rc) {
		st = stmt(s, ST_CONTACT_DELETE);
		sqlite3_bind_int64(st, 1, id);
		rc = sq_exec_done(s, st, err, "contact delete");
	}
	if (!rc)
		rc = sq_audit_json(s, actor, "delete", "contact", id,
				   contact_to_json(&old), NULL, err);
	if (!rc)
		mark_dirty(s, old.customer_id);
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

/* ---- search lookups ---- */

/* The smallest string greater than every string starting with 'p'. */
static char *
prefix_end(struct arena *a, const char *p)
{
	size_t len = strlen(p);
	char *e = arena_alloc(a, len + 5);

	memcpy(e, p, len);
	/* U+10FFFF in UTF-8 sorts after any valid continuation */
	memcpy(e + len, "\xF4\x8F\xBF\xBF", 5);
	return e;
}

/* An FTS5 phrase: the text in double quotes, inner quotes doubled. */
static char *
fts_phrase(struct arena *a, const char *column, const char *text)
{
	struct buf b;
	char *r;

	buf_init(&b, 0);
	buf_addf(&b, "%s : \"", column);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			buf_addc(&b, '"');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '"');
	r = arena_strndup(a, b.p, b.len);
	buf_release(&b);
	return r;
}

enum av_err
store_search_lookup(struct store *s, enum search_source src, const char *key,
		    size_t limit, struct arena *a,
		    struct search_candidate **out, size_t *n_out,
		    struct av_error *err)
{
	static const enum stmt by_src[SRC__MAX] = {
	    [SRC_PHONE_EXACT] = ST_FIND_PHONE,
	    [SRC_PHONE_PART] = ST_FIND_DIGITS,
	    [SRC_NUMBER_EXACT] = ST_FIND_NUMBER_EXACT,
	    [SRC_NUMBER_PREFIX] = ST_FIND_NUMBER_PREFIX,
	    [SRC_NAME_PREFIX] = ST_FIND_NAME_PREFIX,
	    [SRC_PERSON_PREFIX] = ST_FIND_PERSON_PREFIX,
	    [SRC_TEXT] = ST_FIND_TEXT,
	};
	sqlite3_stmt *st;
	struct search_candidate *v;
	size_t n = *n_out;
	int rc = SQLITE_DONE;

	if ((unsigned)src >= SRC__MAX || !key || !*key)
		return AV_OK;
	st = stmt(s, by_src[src]);
	if (src == SRC_PHONE_PART)
		sq_bind_text(st, 1, fts_phrase(a, "digits", key));
	else if (src == SRC_TEXT)
		sq_bind_text(st, 1, fts_phrase(a, "{name people extra}", key));
	else
		sq_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	if (src == SRC_NUMBER_PREFIX || src == SRC_NAME_PREFIX ||
	    src == SRC_PERSON_PREFIX)
		sq_bind_text(st, 3, prefix_end(a, key));
	v = arena_alloc(a, (n + limit) * sizeof(*v) + 1);
	if (n)
		memcpy(v, *out, n * sizeof(*v));
	while (n - *n_out < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v[n].source = src;
		v[n].customer_id = sqlite3_column_int64(st, 0);
		v[n].contact_id = sqlite3_column_int64(st, 1);
		n++;
	}
	if (n - *n_out < limit && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return sq_db_error(s, err, "search");
	}
	sqlite3_reset(st);
	*out = v;
	*n_out = n;
	return AV_OK;
}

/* ---- appointments ---- */

/* Recompute the stored territory-at-the-time of one appointment (id) or of
 * every appointment of a customer. */
static enum av_err
refresh_territory(struct store *s, enum stmt which, int64_t key,
		  struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, which);

	sqlite3_bind_int64(st, 1, key);
	return sq_exec_done(s, st, err, "appointment territory");
}

void
sq_read_appt(sqlite3_stmt *st, struct arena *a, struct appointment *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->customer_id = sqlite3_column_int64(st, 1);
	p->contact_id = sqlite3_column_int64(st, 2);
	p->owner_id = sqlite3_column_int64(st, 3);
	p->start_utc = sqlite3_column_int64(st, 4);
	p->end_utc = sqlite3_column_int64(st, 5);
	p->time_zone = sq_col_text(st, 6, a);
	p->all_day = sqlite3_column_int(st, 7) != 0;
	p->type = sq_col_text(st, 8, a);
	if (!appt_channel_parse((const char *)sqlite3_column_text(st, 9),
				&p->channel))
		p->channel = CHANNEL_PHONE;
	p->location = sq_col_text(st, 10, a);
	p->video_url = sq_col_text(st, 11, a);
	p->subject = sq_col_text(st, 12, a);
	p->notes = sq_col_text(st, 13, a);
	if (!appt_status_parse((const char *)sqlite3_column_text(st, 14),
			       &p->status))
		p->status = APPT_SCHEDULED;
	p->outcome = sq_col_text(st, 15, a);
	p->outcome_note = sq_col_text(st, 16, a);
	p->cancel_reason = sq_col_text(st, 17, a);
	p->rrule = sq_col_text(st, 18, a);
	p->exdates = sq_col_text(st, 19, a);
	p->series_end_utc = sqlite3_column_int64(st, 20);
	p->parent_id = sqlite3_column_int64(st, 21);
	p->recurrence_id = sqlite3_column_int64(st, 22);
	p->follow_up_of = sqlite3_column_int64(st, 23);
	p->uid = sq_col_text(st, 24, a);
	p->sequence = sqlite3_column_int64(st, 25);
	p->reschedule_count = sqlite3_column_int64(st, 26);
	p->reminder_minutes = sqlite3_column_int64(st, 27);
	p->created_by = sqlite3_column_int64(st, 28);
	p->created_at = sqlite3_column_int64(st, 29);
	p->updated_by = sqlite3_column_int64(st, 30);
	p->updated_at = sqlite3_column_int64(st, 31);
	p->version = sqlite3_column_int64(st, 32);
	p->owner = sq_col_text(st, 33, a);
	p->owner_zone = sq_col_text(st, 34, a);
	p->customer_name = sq_col_text(st, 35, a);
	p->customer_number = sq_col_text(st, 36, a);
	p->customer_zone = sq_col_text(st, 37, a);
	p->contact_name = sq_col_text(st, 38, a);
	p->floating = sqlite3_column_int(st, 39) != 0;
	p->ical_dtstamp = sqlite3_column_int64(st, 40);
	p->organizer_email = sq_col_text(st, 41, a);
	p->organizer_name = sq_col_text(st, 42, a);
	p->contact_email = sq_col_text(st, 43, a);
	p->owner_name = sq_col_text(st, 44, a);
}

enum av_err
sq_appt_rows(struct store *s, sqlite3_stmt *st, size_t limit, struct arena *a,
	     struct appointment **out, size_t *n_out, struct av_error *err)
{
	size_t n = *n_out, cap = n + 16;
	struct appointment *v = arena_alloc(a, cap * sizeof(*v));
	int rc = SQLITE_DONE;

	if (n)
		memcpy(v, *out, n * sizeof(*v));
	while (n - *n_out < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		sq_read_appt(st, a, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_db_error(s, err, "appointments");
	*out = v;
	*n_out = n;
	return AV_OK;
}

static json_t *
appt_audit_json(const struct appointment *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "customer_id", json_integer(p->customer_id));
	json_object_set_new(o, "contact_id", json_integer(p->contact_id));
	json_object_set_new(o, "owner_id", json_integer(p->owner_id));
	json_object_set_new(o, "start_utc", json_integer(p->start_utc));
	json_object_set_new(o, "end_utc", json_integer(p->end_utc));
	json_object_set_new(o, "time_zone", json_string(p->time_zone));
	json_object_set_new(o, "status",
			    json_string(appt_status_name(p->status)));
	json_object_set_new(o, "subject", json_string(p->subject));
	json_object_set_new(o, "type", json_string(p->type));
	json_object_set_new(o, "channel",
			    json_string(appt_channel_name(p->channel)));
	if (p->location)
		json_object_set_new(o, "location", json_string(p->location));
	if (p->video_url)
		json_object_set_new(o, "video_url", json_string(p->video_url));
	if (p->notes)
		json_object_set_new(o, "notes", json_string(p->notes));
	if (p->outcome)
		json_object_set_new(o, "outcome", json_string(p->outcome));
	if (p->outcome_note)
		json_object_set_new(o, "outcome_note",
				    json_string(p->outcome_note));
	if (p->cancel_reason)
		json_object_set_new(o, "cancel_reason",
				    json_string(p->cancel_reason));
	if (p->rrule)
		json_object_set_new(o, "rrule", json_string(p->rrule));
	if (p->exdates)
		json_object_set_new(o, "exdates", json_string(p->exdates));
	json_object_set_new(o, "sequence", json_integer(p->sequence));
	json_object_set_new(o, "version", json_integer(p->version));
	return o;
}

enum av_err
store_appt_insert(struct store *s, struct appointment *p, int64_t actor,
		  struct av_error *err)
{
	struct arena a;
	sqlite3_stmt *st;
	int64_t now = store_now();
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	if (!p->uid) {
		rc = av_errorf(err, AV_EINTERNAL, "appointment without uid");
		goto out;
	}
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	st = stmt(s, ST_APPT_INSERT);
	sq_bind_id(st, 1, p->customer_id);
	sq_bind_id(st, 2, p->contact_id);
	sqlite3_bind_int64(st, 3, p->owner_id);
	sqlite3_bind_int64(st, 4, p->start_utc);
	sqlite3_bind_int64(st, 5, p->end_utc);
	sq_bind_text(st, 6, p->time_zone);
	sqlite3_bind_int(st, 7, p->all_day);
	sq_bind_text(st, 8, p->type);
	sq_bind_text(st, 9, appt_channel_name(p->channel));
	sq_bind_text(st, 10, p->location);
	sq_bind_text(st, 11, p->video_url);
	sq_bind_text(st, 12, p->subject);
	sq_bind_text(st, 13, p->notes);
	sq_bind_text(st, 14, appt_status_name(p->status));
	sq_bind_text(st, 15, p->outcome);
	sq_bind_text(st, 16, p->outcome_note);
	sq_bind_text(st, 17, p->cancel_reason);
	sq_bind_text(st, 18, p->rrule);
	sq_bind_text(st, 19, p->exdates);
	sqlite3_bind_int64(st, 20, p->series_end_utc);
	sq_bind_id(st, 21, p->parent_id);
	if (p->parent_id || p->recurrence_id)
		sqlite3_bind_int64(st, 22, p->recurrence_id);
	sq_bind_id(st, 23, p->follow_up_of);
	sq_bind_text(st, 24, p->uid);
	sqlite3_bind_int64(st, 25, p->sequence);
	sqlite3_bind_int64(st, 26, p->reschedule_count);
	sqlite3_bind_int64(st, 27, p->reminder_minutes);
	sq_bind_id(st, 28, actor);
	sqlite3_bind_int64(st, 29, now);
	sqlite3_bind_int(st, 30, p->floating);
	sqlite3_bind_int64(st, 31, p->ical_dtstamp);
	sq_bind_text(st, 32, p->organizer_email);
	sq_bind_text(st, 33, p->organizer_name);
	rc = sq_step_row(s, st, err, "appointment insert");
	if (!rc)
		p->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == AV_ECONFLICT)
		av_field_errorf(err, AV_ECONFLICT, "uid",
				"an appointment with this uid exists");
	if (!rc) {
		p->version = 1;
		p->created_at = p->updated_at = now;
		p->created_by = p->updated_by = actor;
		rc = refresh_territory(s, ST_APPT_TERR_ONE, p->id, err);
	}
	if (!rc) {
		rc = sq_audit_json(s, actor, "create", "appointment", p->id,
				   NULL, appt_audit_json(p), err);
	}
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

enum av_err
store_appt_update(struct store *s, struct appointment *p,
		  int64_t expected_version, int64_t actor, const char *action,
		  struct av_error *err)
{
	struct arena a;
	struct appointment old;
	sqlite3_stmt *st;
	int64_t now = store_now();
	int started;
	enum av_err rc;

	arena_init(&a, 0);
	if ((rc = sq_auto_begin(s, &started, err)))
		goto out;
	rc = store_appt_get(s, p->id, &a, &old, err);
	if (!rc && expected_version && old.version != expected_version)
		rc = av_errorf(err, AV_ESTALE,
			       "appointment %lld has version %lld, not %lld",
			       (long long)p->id, (long long)old.version,
			       (long long)expected_version);
	if (rc)
		goto end;
	st = stmt(s, ST_APPT_UPDATE);
	sqlite3_bind_int64(st, 1, p->id);
	sq_bind_id(st, 2, p->customer_id);
	sq_bind_id(st, 3, p->contact_id);
	sqlite3_bind_int64(st, 4, p->owner_id);
	sqlite3_bind_int64(st, 5, p->start_utc);
	sqlite3_bind_int64(st, 6, p->end_utc);
	sq_bind_text(st, 7, p->time_zone);
	sqlite3_bind_int(st, 8, p->all_day);
	sq_bind_text(st, 9, p->type);
	sq_bind_text(st, 10, appt_channel_name(p->channel));
	sq_bind_text(st, 11, p->location);
	sq_bind_text(st, 12, p->video_url);
	sq_bind_text(st, 13, p->subject);
	sq_bind_text(st, 14, p->notes);
	sq_bind_text(st, 15, appt_status_name(p->status));
	sq_bind_text(st, 16, p->outcome);
	sq_bind_text(st, 17, p->outcome_note);
	sq_bind_text(st, 18, p->cancel_reason);
	sq_bind_text(st, 19, p->rrule);
	sq_bind_text(st, 20, p->exdates);
	sqlite3_bind_int64(st, 21, p->series_end_utc);
	sqlite3_bind_int64(st, 22, p->sequence);
	sqlite3_bind_int64(st, 23, p->reschedule_count);
	sqlite3_bind_int64(st, 24, p->reminder_minutes);
	sq_bind_id(st, 25, actor);
	sqlite3_bind_int64(st, 26, now);
	sqlite3_bind_int64(st, 27, expected_version);
	rc = sq_step_row(s, st, err, "appointment update");
	if (!rc)
		p->version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc)
		goto end;
	p->updated_at = now;
	p->updated_by = actor;
	rc = refresh_territory(s, ST_APPT_TERR_ONE, p->id, err);
	if (!rc)
		rc = sq_audit_json(s, actor, action ? action : "update",
				   "appointment", p->id, appt_audit_json(&old),
				   appt_audit_json(p), err);
end:
	rc = sq_auto_end(s, started, rc, err);
out:
	arena_release(&a);
	return rc;
}

static enum av_err
appt_one(struct store *s, sqlite3_stmt *st, struct arena *a,
	 struct appointment *out, struct av_error *err)
{
	enum av_err rc = sq_step_row(s, st, err, "appointment");

	if (!rc)
		sq_read_appt(st, a, out);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_appt_get(struct store *s, int64_t id, struct arena *a,
	       struct appointment *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_APPT_GET);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	rc = appt_one(s, st, a, out, err);
	if (rc == AV_ENOTFOUND)
		av_errorf(err, rc, "appointment %lld not found", (long long)id);
	return rc;
}

enum av_err
store_appt_override(struct store *s, int64_t parent_id, int64_t recurrence_id,
		    struct arena *a, struct appointment *out,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_APPT_OVERRIDE);

	sqlite3_bind_int64(st, 1, parent_id);
	sqlite3_bind_int64(st, 2, recurrence_id);
	return appt_one(s, st, a, out, err);
}

enum av_err
store_appt_shift_instances(struct store *s, int64_t parent_id, int64_t delta,
			   struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_APPT_SHIFT);

	sqlite3_bind_int64(st, 1, parent_id);
	sqlite3_bind_int64(st, 2, delta);
	return sq_exec_done(s, st, err, "appointment instances");
}

enum av_err
store_appt_overrides(struct store *s, int64_t parent_id, struct arena *a,
		     struct appointment **out, size_t *n_out,
		     struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_APPT_OVERRIDES);

	*n_out = 0;
	*out = NULL;
	sqlite3_bind_int64(st, 1, parent_id);
	return sq_appt_rows(s, st, SIZE_MAX, a, out, n_out, err);
}

enum av_err
store_appt_range(struct store *s, enum appt_scope scope, int64_t key,
		 int64_t from, int64_t to, size_t limit, struct arena *a,
		 struct appointment **out, size_t *n_out, struct av_error *err)
{
	static const enum stmt singles[SCOPE__MAX] = {
	    [SCOPE_OWNER] = ST_APPT_OWNER_SINGLES,
	    [SCOPE_CUSTOMER] = ST_APPT_CUSTOMER_SINGLES,
	    [SCOPE_CUSTOMER_OWNER] = ST_APPT_COWNER_SINGLES,
	};
	static const enum stmt longer[SCOPE__MAX] = {
	    [SCOPE_OWNER] = ST_APPT_OWNER_LONG,
	    [SCOPE_CUSTOMER] = ST_APPT_CUSTOMER_LONG,
	    [SCOPE_CUSTOMER_OWNER] = ST_APPT_COWNER_LONG,
	};
	static const enum stmt series[SCOPE__MAX] = {
	    [SCOPE_OWNER] = ST_APPT_OWNER_SERIES,
	    [SCOPE_CUSTOMER] = ST_APPT_CUSTOMER_SERIES,
	    [SCOPE_CUSTOMER_OWNER] = ST_APPT_COWNER_SERIES,
	};
	sqlite3_stmt *st;
	enum av_err rc;

	*n_out = 0;
	*out = NULL;
	if ((unsigned)scope >= SCOPE__MAX)
		return av_errorf(err, AV_EINTERNAL, "bad appointment scope");
	/* ordinary appointments last at most a day: look back one */
	st = stmt(s, singles[scope]);
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, from - 86400);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int64(st, 4, from);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
	rc = sq_appt_rows(s, st, limit, a, out, n_out, err);
	if (rc)
		return rc;
	st = stmt(s, longer[scope]);
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, from - APPT_MAX_DURATION_S);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int64(st, 4, from);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)limit);
	rc = sq_appt_rows(s, st, limit, a, out, n_out, err);
	if (rc)
		return rc;
	st = stmt(s, series[scope]);
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int64(st, 4, from);
	return sq_appt_rows(s, st, SIZE_MAX, a, out, n_out, err);
}

enum av_err
store_appt_tab(struct store *s, int64_t customer_id, bool past, int64_t pivot,
	       size_t limit, struct arena *a, struct appointment **out,
	       size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, past ? ST_APPT_TAB_PAST : ST_APPT_TAB_NEXT);

	*n_out = 0;
	*out = NULL;
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_int64(st, 2, pivot);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return sq_appt_rows(s, st, limit, a, out, n_out, err);
}

enum av_err
store_appt_series_of_customer(struct store *s, int64_t customer_id,
			      struct arena *a, struct appointment **out,
			      size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_APPT_SERIES_OF_CUSTOMER);

	*n_out = 0;
	*out = NULL;
	sqlite3_bind_int64(st, 1, customer_id);
	return sq_appt_rows(s, st, SIZE_MAX, a, out, n_out, err);
}

enum av_err
store_code_list(struct store *s, const char *list, struct arena *a,
		const char ***out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CODE_LIST);
	size_t n = 0, cap = 16;
	const char **v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	sq_bind_text(st, 1, list);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n + 1 == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n++] = sq_col_text(st, 0, a);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "code list");
	v[n] = NULL;
	*out = v;
	return AV_OK;
}

/* ---- reports ---- */

enum av_err
store_report_appt_counts(struct store *s, int64_t from, int64_t to,
			 struct arena *a, struct report_count **out,
			 size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_REPORT_APPT_COUNTS);
	size_t n = 0, cap = 16;
	struct report_count *v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].owner_id = sqlite3_column_int64(st, 0);
		v[n].territory_id = sqlite3_column_int64(st, 1);
		v[n].type = sq_col_text(st, 2, a);
		v[n].channel = sq_col_text(st, 3, a);
		v[n].status = sq_col_text(st, 4, a);
		v[n].outcome = sq_col_text(st, 5, a);
		v[n].n = sqlite3_column_int64(st, 6);
		v[n].reschedules = sqlite3_column_int64(st, 7);
		v[n].lead_sum_s = sqlite3_column_int64(st, 8);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "appointment report");
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_report_held(struct store *s, int64_t from, int64_t to, bool prospects,
		  struct arena *a, struct report_held **out, size_t *n_out,
		  struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_REPORT_HELD);
	size_t n = 0, cap = 16;
	struct report_held *v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int(st, 3, prospects ? 1 : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].territory_id = sqlite3_column_int64(st, 0);
		v[n].owner_id = sqlite3_column_int64(st, 1);
		v[n].customer_id = sqlite3_column_int64(st, 2);
		v[n].n = sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "contact report");
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_report_customers_at(struct store *s, int64_t at, bool prospects,
			  struct arena *a, struct report_member **out,
			  size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_REPORT_CUSTOMERS_AT);
	size_t n = 0, cap = 16;
	struct report_member *v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int(st, 2, prospects ? 1 : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].territory_id = sqlite3_column_int64(st, 0);
		v[n].owner_id = sqlite3_column_int64(st, 1);
		v[n].customer_id = sqlite3_column_int64(st, 2);
		v[n].customer_number = sq_col_text(st, 3, a);
		v[n].name = sq_col_text(st, 4, a);
		v[n].status = sq_col_text(st, 5, a);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "customers of territories");
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_customer_set_since(struct store *s, int64_t id, int64_t since,
			 struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_CUST_SINCE);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, since);
	if ((rc = sq_exec_done(s, st, err, "customer since")))
		return rc;
	st = stmt(s, ST_ASSIGN_SINCE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, since);
	if ((rc = sq_exec_done(s, st, err, "assignment since")))
		return rc;
	return refresh_territory(s, ST_APPT_TERR_CUSTOMER, id, err);
}
