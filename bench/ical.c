/* SPDX-License-Identifier: MIT */
/*
 * The calendar benchmark's program (bench/ical.sh drives it):
 *
 *   ical --fixture DB N        a rep (bench.rep@example.no) with N
 *                              appointments around today: singles, weekly
 *                              series, cancellations, reminders, contacts
 *                              with e-mail (the feed's ATTENDEEs)
 *   ical --write-file FILE N   an Outlook-style file of N events (Windows
 *                              zone with its VTIMEZONE, attendees, X-
 *                              properties, a share of series)
 *   ical --parse FILE R        the baseline: libical alone parses the file
 *                              and reads every event's UID, times and
 *                              summary, R times; prints the best and median
 *   ical --import DB FILE R    Avtale's import of the file into DB (a new
 *                              database each time, durable), R times
 *
 * Times go to stdout as "name best_ms median_ms".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libical/ical.h>

#include "bench.h"
#include "core/rng.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/customer.h"
#include "service/appointments.h"
#include "service/ical.h"
#include "store/store.h"

#include "core/banned.h"

#define REP "bench.rep@example.no"

static void
die(const char *what, const struct av_error *err)
{
	fprintf(stderr, "ical: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		die(path, NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		die(path, NULL);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
fixture(const char *db, int n)
{
	struct store *s;
	struct av_error err = {0};
	struct arena a;
	struct user u = {.email = REP,
			 .name = "Bench Selger",
			 .role = ROLE_REP,
			 .time_zone = "Europe/Oslo",
			 .locale = "nb"};
	int64_t customers[200], contacts[200];
	int64_t now = store_now();
	struct rng r = rng_for(7, 0);
	static const char *const subjects[] = {
	    "Kundemøte",   "Oppfølging av tilbud", "Befaring",
	    "Servicemøte", "Prisforhandling",	   "Årsgjennomgang"};

	arena_init(&a, 0);
	if (store_open(db, STORE_FAST_UNSAFE, &s, &err) ||
	    store_begin(s, &err) || store_user_insert(s, &u, &err))
		die("fixture", &err);
	for (int i = 0; i < 200; i++) {
		struct customer c = {.status = CUSTOMER_CUSTOMER,
				     .owner_id = u.id};
		struct contact p = {0};

		c.customer_number = arena_printf(&a, "B%05d", i);
		c.name = arena_printf(&a, "Kunde %d Rør og Vann AS", i);
		if (customer_prepare(&c, &a, &err) ||
		    store_customer_insert(s, &c, 1, &err))
			die("customer", &err);
		p.customer_id = c.id;
		p.name = arena_printf(&a, "Kontakt %d Østby", i);
		p.email =
		    arena_printf(&a, "kontakt%d@kunde%d.example.no", i, i);
		if (store_contact_insert(s, &p, 1, &err))
			die("contact", &err);
		customers[i] = c.id;
		contacts[i] = p.id;
	}
	for (int i = 0; i < n; i++) {
		struct appointment p = {0};
		int k = (int)rng_below(&r, 200);

		p.owner_id = u.id;
		p.customer_id = customers[k];
		p.contact_id = contacts[k];
		/* one slot of 30 minutes each, from 300 days back on */
		p.start_utc = now - 300 * 86400 + (int64_t)i * 3600 * 4 / 3;
		p.end_utc = p.start_utc + 1800;
		p.time_zone = "Europe/Oslo";
		p.type = "meeting";
		p.channel = rng_pct(&r, 30) ? CHANNEL_IN_PERSON : CHANNEL_PHONE;
		p.location =
		    p.channel == CHANNEL_IN_PERSON ? "Storgata 1, Oslo" : NULL;
		p.subject = subjects[rng_below(&r, 6)];
		p.notes = "Intern merknad";
		p.uid = arena_printf(&a, "bench-%d@avtale", i);
		p.reminder_minutes = rng_pct(&r, 30) ? 15 : -1;
		p.status = rng_pct(&r, 5) ? APPT_CANCELLED : APPT_SCHEDULED;
		if (i % 50 == 0)
			p.rrule = "FREQ=WEEKLY;COUNT=10";
		if (appt_series_end(&p, &a, &p.series_end_utc, &err) ||
		    store_appt_insert(s, &p, u.id, &err))
			die("appointment", &err);
	}
	if (store_commit(s, &err))
		die("commit", &err);
	store_close(s);
	arena_release(&a);
	return 0;
}

static int
write_file(const char *path, int n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die(path, NULL);
	fputs(
	    "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 "
	    "MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
	    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
	    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n"
	    "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\n"
	    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
	    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
	    "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n",
	    f);
	for (int i = 0; i < n; i++) {
		int day = i / 8, slot = i % 8;
		int y = 2027 + day / 336, m = day / 28 % 12 + 1,
		    d = day % 28 + 1;

		fprintf(f,
			"BEGIN:VEVENT\r\nCLASS:PUBLIC\r\n"
			"CREATED:20261201T081500Z\r\n"
			"DESCRIPTION:Gjennomgang av avtale %d\\, med "
			"prisjustering for Østby Rør AS\\nRing først.\r\n"
			"DTSTART;TZID=W. Europe Standard Time:%04d%02d%02dT%02d"
			"0000\r\n"
			"DTEND;TZID=W. Europe Standard Time:%04d%02d%02dT%02d"
			"4500\r\n"
			"DTSTAMP:20261201T081500Z\r\nLOCATION:Storgata %d\\, "
			"Oslo\r\nPRIORITY:5\r\nSEQUENCE:0\r\n"
			"SUMMARY;LANGUAGE=nb:Kundemøte %d\r\nTRANSP:OPAQUE\r\n"
			"UID:040000008200E00074C5B7101A82E008000000%08d00000000"
			"00000000\r\n"
			" 10000000BENCH%08d\r\n"
			"ATTENDEE;CN=Kontakt %d;RSVP=TRUE:mailto:"
			"kontakt%d@example.no\r\n"
			"%s"
			"X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\n"
			"X-MICROSOFT-CDO-IMPORTANCE:1\r\n"
			"X-MS-OLK-AUTOFILLLOCATION:FALSE\r\n"
			"BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\n"
			"DESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\n",
			i, y, m, d, 8 + slot, y, m, d, 8 + slot, i % 90 + 1, i,
			i, i, i % 500, i % 500,
			i % 40 == 0 ? "RRULE:FREQ=WEEKLY;COUNT=4\r\n" : "");
	}
	fputs("END:VCALENDAR\r\n", f);
	fclose(f);
	return 0;
}

/* What an application does with libical alone: parse, then read each
 * event's UID, start, end (as instants) and summary. */
static size_t
bare_parse(const char *text)
{
	icalcomponent *root = icalparser_parse_string(text);
	size_t n = 0;
	long long sum = 0;

	for (icalcomponent *c =
		 icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
	     c; c = icalcomponent_get_next_component(root,
						     ICAL_VEVENT_COMPONENT)) {
		struct icaltimetype s = icalcomponent_get_dtstart(c);
		struct icaltimetype e = icalcomponent_get_dtend(c);
		const char *uid = icalcomponent_get_uid(c);
		const char *sum_text = icalcomponent_get_summary(c);

		sum +=
		    (long long)icaltime_as_timet_with_zone(
			s, s.zone ? s.zone : icaltimezone_get_utc_timezone()) +
		    (long long)icaltime_as_timet_with_zone(
			e, e.zone ? e.zone : icaltimezone_get_utc_timezone()) +
		    (uid ? (long long)strlen(uid) : 0) +
		    (sum_text ? (long long)strlen(sum_text) : 0);
		n++;
	}
	icalcomponent_free(root);
	return sum ? n : 0;
}

static void
report(const char *name, double *ms, int r)
{
	bench_sort(ms, (size_t)r);
	printf("%s %.1f %.1f\n", name, ms[0], bench_pct(ms, (size_t)r, 0.5));
}

static int
parse(const char *path, int r)
{
	size_t len, n = 0;
	char *text = slurp(path, &len);
	double *ms = calloc((size_t)r, sizeof(*ms));

	for (int i = 0; i < r; i++) {
		double t0 = bench_now_us();
		n = bare_parse(text);
		ms[i] = (bench_now_us() - t0) / 1000;
	}
	fprintf(stderr, "ical: libical read %zu events\n", n);
	report("libical_parse", ms, r);
	free(ms);
	free(text);
	return 0;
}

static int
import(const char *db, const char *path, int r)
{
	size_t len;
	char *text = slurp(path, &len);
	double *ms = calloc((size_t)r, sizeof(*ms));
	double *again = calloc((size_t)r, sizeof(*again));

	for (int i = 0; i < r; i++) {
		struct store *s;
		struct av_error err = {0};
		struct arena a;
		struct ical_import_report rep;
		struct user u = {.email = REP,
				 .name = "Bench Selger",
				 .role = ROLE_REP,
				 .time_zone = "Europe/Oslo",
				 .locale = "nb"};
		struct ical_import_opts o = {.actor = 1};
		char side[512];
		double t0;

		unlink(db);
		snprintf(side, sizeof(side), "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", db);
		unlink(side);
		if (store_open(db, 0, &s, &err) ||
		    store_user_insert(s, &u, &err))
			die("import db", &err);
		o.owner_id = u.id;
		arena_init(&a, 0);
		t0 = bench_now_us();
		if (ical_import(s, text, len, &o, &a, &rep, &err))
			die("import", &err);
		ms[i] = (bench_now_us() - t0) / 1000;
		if (i == 0)
			fprintf(stderr,
				"ical: imported %zu created, %zu failed\n",
				rep.counts[IMPORT_CREATED],
				rep.counts[IMPORT_FAILED]);
		arena_release(&a);
		arena_init(&a, 0);
		t0 = bench_now_us();
		if (ical_import(s, text, len, &o, &a, &rep, &err))
			die("re-import", &err);
		again[i] = (bench_now_us() - t0) / 1000;
		arena_release(&a);
		store_close(s);
	}
	report("avtale_import", ms, r);
	report("avtale_reimport_unchanged", again, r);
	free(ms);
	free(again);
	free(text);
	return 0;
}

static int
num(const char *s)
{
	int64_t v = 0;

	if (!str_to_i64(s, 1, 10000000, &v))
		die("a count from 1 to 10000000 was expected", NULL);
	return (int)v;
}

int
main(int argc, char **argv)
{
	int rc = 2;

	if (argc == 4 && strcmp(argv[1], "--fixture") == 0)
		rc = fixture(argv[2], num(argv[3]));
	else if (argc == 4 && strcmp(argv[1], "--write-file") == 0)
		rc = write_file(argv[2], num(argv[3]));
	else if (argc == 4 && strcmp(argv[1], "--parse") == 0)
		rc = parse(argv[2], num(argv[3]));
	else if (argc == 5 && strcmp(argv[1], "--import") == 0)
		rc = import(argv[2], argv[3], num(argv[4]));
	else
		fprintf(stderr, "usage: see the comment at the top of "
				"bench/ical.c\n");
	tz_free_zones();
	return rc;
}
