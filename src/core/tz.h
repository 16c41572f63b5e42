/* SPDX-License-Identifier: MIT */
/*
 * Time zones, backed by libical's built-in IANA zones; never by the
 * process's TZ. This is the only module that converts between UTC instants
 * and local wall-clock time. libical answers only "which offset is in force
 * at this UTC instant"; local -> UTC is resolved here (libical 3.0.16 gets
 * spring-forward gaps wrong, libical#1402), following RFC 5545 3.3.5.
 *
 * Instants are int64 seconds since 1970-01-01T00:00:00Z. Supported local
 * years are 1900..2200; instants up to a day outside that span still
 * convert.
 *
 * Ownership, for every function below: pointer arguments are borrowed for
 * the call only, results go to caller storage, nothing is allocated for
 * the caller, and 'err' may be NULL.
 * Thread safety: every function but tz_free_zones is thread-safe. Each
 * thread caches its zone lookups; lookups that miss, and the first load of
 * a zone, are serialised by a lock here, because libical 3.0.16 searches
 * its zone list without one. Code elsewhere in the process must not call
 * libical's built-in zone functions directly while tz_ functions run.
 */
#ifndef AV_TZ_H
#define AV_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TZ_YEAR_MIN	1900 /* first year accepted by parsing and conversion */
#define TZ_YEAR_MAX	2200 /* last year accepted by parsing and conversion */
#define TZ_RFC3339_SIZE 26   /* "2025-03-30T03:30:00+02:00" plus NUL */
#define TZ_UTC_SIZE	21   /* "2025-03-30T01:30:00Z" plus NUL */

/* A wall-clock date and time, with no zone attached. */
struct tz_local {
	int year;   /* TZ_YEAR_MIN..TZ_YEAR_MAX */
	int month;  /* 1..12 */
	int day;    /* 1..days in that month */
	int hour;   /* 0..23 */
	int minute; /* 0..59 */
	int second; /* 0..59 (no leap seconds) */
};

/* How a local time was resolved to an instant. */
enum tz_adjust {
	TZ_EXACT,	   /* the wall time exists exactly once */
	TZ_GAP_SHIFTED,	   /* in a spring-forward gap: read with the offset
			      before the gap, so it lands after it (RFC 5545
			      3.3.5: Oslo 02:30 -> 03:30 CEST) */
	TZ_AMBIGUOUS_FIRST /* repeated by a fall-back: the earlier instant */
};

/*
 * True if 'name' is an IANA zone libical knows ("Europe/Oslo", "UTC").
 * Names that are not plain zone names (path components such as "..",
 * leading '/', "posix/" or "right/" trees, odd characters) are refused,
 * and so is "localtime", which would be the host's zone. Thread-safe.
 */
bool tz_valid(const char *name);

/* Default IANA zone of an ISO 3166 alpha-2 country, NULL if unknown. The
 * result is a static string. Thread-safe. */
const char *tz_for_country(const char *country);

/*
 * Offset from UTC, in seconds east, in force in 'zone' at the instant
 * 'utc'. 0 for "UTC", for NULL and for an unknown zone; instants outside
 * the supported span get the offset at its nearest end. Thread-safe.
 */
int tz_offset_at(const char *zone, int64_t utc);

/*
 * Resolve the wall time '*l' in 'zone' to an instant in '*utc_out', and
 * say in '*how_out' (may be NULL) how: a time in a spring-forward gap uses
 * the offset before the gap (TZ_GAP_SHIFTED), a time that occurs twice
 * takes its first occurrence (TZ_AMBIGUOUS_FIRST).
 * Errors: AV_EINVAL with field "time_zone" for an unknown zone, field
 * "start" for an impossible date or time (Feb 30, 24:00, year 1800).
 * Outputs are written only on success. Thread-safe.
 */
enum av_err tz_local_to_utc(const char *zone, const struct tz_local *l,
			    int64_t *utc_out, enum tz_adjust *how_out,
			    struct av_error *err);

/*
 * The same resolution for a zone that a calendar file defines in a
 * VTIMEZONE: 'zone' is libical's zone built from that component (owned by
 * the caller and used by one thread), so the file's rules win over its
 * name. Errors as tz_local_to_utc. tz_file_offset_at is tz_offset_at for
 * such a zone (0 for NULL).
 */
struct _icaltimezone;
enum av_err tz_file_local_to_utc(struct _icaltimezone *zone,
				 const struct tz_local *l, int64_t *utc_out,
				 enum tz_adjust *how_out, struct av_error *err);
int tz_file_offset_at(struct _icaltimezone *zone, int64_t utc);

/*
 * A new VTIMEZONE component (libical's, from the IANA rules it reads) for
 * 'zone', with TZID set to the IANA name itself; the caller frees it with
 * icalcomponent_free. NULL for "UTC" (which needs none) and unknown
 * zones. Thread-safe.
 */
struct icalcomponent_impl;
struct icalcomponent_impl *tz_vtimezone_new(const char *zone);

/*
 * The wall time in 'zone' at the instant 'utc' into '*out', and the offset
 * then in force into '*offset_s_out' (may be NULL). Supported instants are
 * those whose UTC date lies in 1899-12-31..2201-01-01, so every supported
 * wall time has its instant; at those very ends 'out->year' may be one
 * outside TZ_YEAR_MIN..TZ_YEAR_MAX.
 * Errors: AV_EINVAL, field "time_zone" for an unknown zone, field "start"
 * for an instant outside the supported span. Thread-safe.
 */
enum av_err tz_utc_to_local(const char *zone, int64_t utc, struct tz_local *out,
			    int *offset_s_out, struct av_error *err);

/*
 * The same wall-clock time 'days' calendar days after (before, if
 * negative) the instant 'utc' in 'zone', resolved like tz_local_to_utc:
 * one day across the October change is 25 hours, across March 23 hours.
 * 'days' == 0 returns 'utc' unchanged.
 * Errors: AV_EINVAL, field "time_zone" for an unknown zone, field "start"
 * when the instant or the result is outside the supported span.
 * Thread-safe.
 */
enum av_err tz_add_days(const char *zone, int64_t utc, int days, int64_t *out,
			struct av_error *err);

/*
 * The first instant of the local date 'year'-'month'-'day' in 'zone':
 * local midnight, or the first existing instant when midnight falls in a
 * gap. The day's length is the next day's start minus this one.
 * Errors: AV_EINVAL, field "time_zone" for an unknown zone, field "date"
 * for an impossible date. Thread-safe.
 */
enum av_err tz_day_start(const char *zone, int year, int month, int day,
			 int64_t *out, struct av_error *err);

/*
 * The first instant of the ISO week (Monday) of the local date of 'utc' in
 * 'zone'. Errors as tz_utc_to_local. Thread-safe.
 */
enum av_err tz_week_start(const char *zone, int64_t utc, int64_t *out,
			  struct av_error *err);

/*
 * The first instant of the month of the local date of 'utc' in 'zone'.
 * Errors as tz_utc_to_local. Thread-safe.
 */
enum av_err tz_month_start(const char *zone, int64_t utc, int64_t *out,
			   struct av_error *err);

/* Pure calendar arithmetic, no zones involved; all thread-safe. */

/* True if the date exists in the proleptic Gregorian calendar and its year
 * is in TZ_YEAR_MIN..TZ_YEAR_MAX. */
bool tz_date_valid(int year, int month, int day);

/* True if every field of '*l' is in range (see struct tz_local). */
bool tz_local_valid(const struct tz_local *l);

/* ISO 8601 day of the week of a date: 1 = Monday .. 7 = Sunday; 0 if the
 * date is invalid. */
int tz_weekday(int year, int month, int day);

/*
 * ISO 8601 week number (1..53) of a date; the week-numbering year, which
 * differs from 'year' around New Year (2025-12-29 is in week 1 of 2026),
 * goes to '*iso_year_out' (may be NULL). 0 if the date is invalid.
 */
int tz_iso_week(int year, int month, int day, int *iso_year_out);

/*
 * Seconds since the epoch of the fields of '*l' read as if they were UTC
 * (no zone involved), and the inverse. Handy for comparing or stepping
 * wall times. tz_local_from_seconds does not check the year range.
 */
int64_t tz_local_seconds(const struct tz_local *l);
void tz_local_from_seconds(int64_t s, struct tz_local *out);

/*
 * Write the instant 'utc' as RFC 3339 in the local time of 'zone' to 'buf'
 * ("2025-03-30T03:30:00+02:00"; "2025-03-30T01:30:00Z" when 'zone' is
 * "UTC", or when the offset is not a whole minute, as local mean times
 * before 1900 were). 'size' of TZ_RFC3339_SIZE is always enough. False,
 * with 'buf' set to "" when size > 0, for an unknown zone, an instant
 * outside the supported span or a buffer too small. Thread-safe.
 */
bool tz_format_rfc3339(const char *zone, int64_t utc, char *buf, size_t size);

/* As tz_format_rfc3339 in UTC: "2025-03-30T01:30:00Z" (TZ_UTC_SIZE).
 * Thread-safe. */
bool tz_format_utc(int64_t utc, char *buf, size_t size);

/* The instant 'utc' as an Internet Message Format date in UTC (RFC 5322
 * 3.3, RFC 9110 IMF-fixdate): "Fri, 04 Dec 2026 09:44:04 GMT", or with
 * 'numeric_zone' "... +0000" for mail. 32 bytes suffice. Thread-safe. */
bool tz_format_imf(int64_t utc, bool numeric_zone, char *buf, size_t size);

/*
 * Parse a wall time: "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM", either with
 * ":SS" (and an optional fraction, dropped), or "YYYY-MM-DD" (midnight).
 * Strict: no surrounding spaces, exact digit counts, every field in range,
 * year in TZ_YEAR_MIN..TZ_YEAR_MAX. Errors: AV_EINVAL naming 'field' with
 * a message saying what is wrong ("day 30 out of range for 2025-02");
 * at most 40 bytes of 'text' are quoted, control bytes shown as '?'.
 * '*out' is written only on success. Thread-safe.
 */
enum av_err tz_parse_local(const char *text, const char *field,
			   struct tz_local *out, struct av_error *err);

/*
 * Parse an instant: RFC 3339 with "Z" or a "+HH:MM"/"-HH:MM" offset gives
 * that instant exactly (TZ_EXACT); a wall time as accepted by
 * tz_parse_local is resolved in 'default_zone' like tz_local_to_utc, and
 * '*how_out' (may be NULL) says how. Errors: AV_EINVAL naming 'field' for
 * bad text, field "time_zone" when a zone is needed and 'default_zone' is
 * unknown. Outputs are written only on success. Thread-safe.
 */
enum av_err tz_parse_instant(const char *text, const char *field,
			     const char *default_zone, int64_t *utc_out,
			     enum tz_adjust *how_out, struct av_error *err);

/*
 * Drop every cached zone and let libical free its built-in zones (for a
 * clean LeakSanitizer report at exit). Not thread-safe: no other thread
 * may use this module or libical's zones during the call. Later calls
 * load the zones again.
 */
void tz_free_zones(void);

#endif
