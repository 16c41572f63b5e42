/* SPDX-License-Identifier: MIT */
/*
 * Calendar files to events. Lines are split (CRLF, LF or CR) and unfolded
 * here on raw bytes, remembering the physical line each logical line began
 * on, then handed to libical's parser one by one. libical keeps properties
 * in file order and puts an X-LIC-ERROR where it dropped a value, so the
 * line of each error is found by walking our line list alongside its
 * properties. Times go through core/tz.h: a file's own VTIMEZONE through
 * tz_file_local_to_utc, a named zone without one through the IANA rules
 * of the name ical/zones.h maps it to.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/tz.h"
#include "ical/read.h"
#include "ical/zones.h"

#include "core/banned.h"

/* One logical (unfolded) line. */
struct line {
	char *text;    /* arena, NUL-terminated */
	int number;    /* physical line it began on */
	bool is_begin; /* BEGIN: */
	bool is_end;   /* END: */
};

/* One component as our lines saw it: where it began, its property lines. */
struct comp_lines {
	char name[32]; /* VEVENT, VALARM... (upper case) */
	int begin;     /* line of BEGIN: */
	int *props;    /* arena: line numbers of its property lines */
	char **pnames; /* arena: their names, upper case */
	size_t n, cap; /* used, allocated */
};

struct reader {
	struct arena *a;
	const char *owner_zone;
	struct ical_in_file *out;
	icalcomponent *root;
	struct comp_lines *comps; /* in BEGIN order = pre-order */
	size_t n_comps, cap_comps;
	size_t next_comp; /* walk cursor */
	size_t cap_problems;
	/* TZIDs already mapped to a zone (a file names few, many times) */
	struct {
		const char *tzid; /* arena */
		const char *zone; /* arena; NULL when the name maps to none */
	} zones[16];
	size_t n_zones;
};

static void problem(struct reader *r, int line, bool error, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct reader *r, int line, bool error, const char *fmt, ...)
{
	struct ical_in_file *f = r->out;
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (f->n_problems == r->cap_problems) {
		size_t cap = r->cap_problems ? r->cap_problems * 2 : 16;
		struct ical_problem *v = arena_alloc(r->a, cap * sizeof(*v));
		if (f->n_problems)
			memcpy(v, f->problems, f->n_problems * sizeof(*v));
		f->problems = v;
		r->cap_problems = cap;
	}
	f->problems[f->n_problems].line = line;
	f->problems[f->n_problems].error = error;
	f->problems[f->n_problems].message = arena_strdup(r->a, msg);
	f->n_problems++;
}

/* The property or component name of a logical line, upper-cased. */
static void
line_name(const char *s, char *out, size_t size)
{
	size_t n = 0;

	while (s[n] && s[n] != ';' && s[n] != ':' && n + 1 < size) {
		char c = s[n];
		out[n] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
		n++;
	}
	out[n] = '\0';
}

/* Split text into unfolded logical lines (arena). */
static size_t
split_lines(struct reader *r, const char *text, size_t len, struct line **out)
{
	size_t cap = 64, n = 0, i = 0;
	struct line *v = arena_alloc(r->a, cap * sizeof(*v));
	struct buf cur;
	int number = 0, start = 0;
	bool have = false;

	buf_init(&cur, 0);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		size_t j = i;
		size_t end;

		while (j < len && text[j] != '\r' && text[j] != '\n')
			j++;
		end = j;
		if (j < len && text[j] == '\r' && j + 1 < len &&
		    text[j + 1] == '\n')
			j += 2;
		else if (j < len)
			j++;
		number++;
		if (have && end > i && (text[i] == ' ' || text[i] == '\t')) {
			buf_add(&cur, text + i + 1, end - i - 1);
		} else {
			if (have && cur.len) {
				if (n == cap)
					v = arena_grow(r->a, v, n, &cap,
						       sizeof(*v));
				v[n].text = arena_strndup(r->a, cur.p, cur.len);
				v[n].number = start;
				n++;
			}
			buf_reset(&cur);
			buf_add(&cur, text + i, end - i);
			start = number;
			have = true;
		}
		i = j;
	}
	if (have && cur.len) {
		if (n == cap)
			v = arena_grow(r->a, v, n, &cap, sizeof(*v));
		v[n].text = arena_strndup(r->a, cur.p, cur.len);
		v[n].number = start;
		n++;
	}
	buf_release(&cur);
	for (size_t k = 0; k < n; k++) {
		char name[16];

		line_name(v[k].text, name, sizeof(name));
		v[k].is_begin = strcmp(name, "BEGIN") == 0;
		v[k].is_end = strcmp(name, "END") == 0;
	}
	r->out->lines = number;
	*out = v;
	return n;
}

static struct comp_lines *
comp_push(struct reader *r, const char *name, int line)
{
	struct comp_lines *c;

	if (r->n_comps == r->cap_comps)
		r->comps = arena_grow(r->a, r->comps, r->n_comps, &r->cap_comps,
				      sizeof(*r->comps));
	c = &r->comps[r->n_comps++];
	memset(c, 0, sizeof(*c));
	str_printf(c->name, sizeof(c->name), "%s", name);
	c->begin = line;
	return c;
}

static void
comp_add_prop(struct reader *r, struct comp_lines *c, const char *name,
	      int line)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		int *p = arena_alloc(r->a, cap * sizeof(*p));
		char **nm = arena_alloc(r->a, cap * sizeof(*nm));
		if (c->n) {
			memcpy(p, c->props, c->n * sizeof(*p));
			memcpy(nm, c->pnames, c->n * sizeof(*nm));
		}
		c->props = p;
		c->pnames = nm;
		c->cap = cap;
	}
	c->props[c->n] = line;
	c->pnames[c->n] = arena_strdup(r->a, name);
	c->n++;
}

/* Feed the lines to libical, recording components and property lines. */
static icalcomponent *
parse_lines(struct reader *r, struct line *lines, size_t n)
{
	icalparser *p = icalparser_new();
	icalcomponent *root = NULL;
	size_t stack[64];
	size_t depth = 0;

	r->cap_comps = 16;
	r->comps = arena_alloc(r->a, r->cap_comps * sizeof(*r->comps));
	for (size_t i = 0; i < n && !root; i++) {
		char name[64];
		const char *colon = strchr(lines[i].text, ':');

		if (lines[i].is_begin && colon) {
			line_name(colon + 1, name, sizeof(name));
			comp_push(r, name, lines[i].number);
			if (depth < 64)
				stack[depth] = r->n_comps - 1;
			depth++;
		} else if (lines[i].is_end) {
			if (depth)
				depth--;
		} else if (depth && depth <= 64) {
			line_name(lines[i].text, name, sizeof(name));
			comp_add_prop(r, &r->comps[stack[depth - 1]], name,
				      lines[i].number);
		}
		root = icalparser_add_line(p, lines[i].text);
		if (root &&
		    icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
			icalcomponent_free(root);
			root = NULL;
		}
	}
	/* A file cut short: close what is open, as libical's own
	 * icalparser_clean would, except that 3.0.16 then frees the root it
	 * returned a second time in icalparser_free. */
	if (!root && depth > 0 && depth <= 64) {
		problem(r, r->out->lines, false,
			"the file ends inside %s (line %d): read as if it "
			"ended there",
			r->comps[stack[depth - 1]].name,
			r->comps[stack[depth - 1]].begin);
		while (!root && depth > 0) {
			char *end = arena_printf(r->a, "END:%s",
						 r->comps[stack[--depth]].name);
			root = icalparser_add_line(p, end);
		}
	}
	icalparser_free(p);
	return root;
}

/* The comp_lines record of libical component 'c' (pre-order walk). */
static struct comp_lines *
comp_find(struct reader *r, icalcomponent *c)
{
	const char *kind = icalcomponent_kind_to_string(icalcomponent_isa(c));

	for (size_t i = r->next_comp; i < r->n_comps; i++) {
		if (kind && strcmp(r->comps[i].name, kind) == 0) {
			r->next_comp = i + 1;
			return &r->comps[i];
		}
	}
	return NULL;
}

/* The property name an X-LIC-ERROR message is about ("... in DTSTART
 * property", "No value for LOCATION property"), or "". */
static void
error_subject(const char *msg, char *out, size_t size)
{
	const char *p = strstr(msg, " property");
	const char *q;
	size_t n;

	out[0] = '\0';
	if (!p)
		return;
	q = p;
	while (q > msg && q[-1] != ' ')
		q--;
	n = (size_t)(p - q);
	if (n + 1 > size)
		return;
	memcpy(out, q, n);
	out[n] = '\0';
}

/* Report every X-LIC-ERROR of 'c' with the line it came from. */
static void
report_errors(struct reader *r, icalcomponent *c, struct comp_lines *cl)
{
	size_t cursor = 0;

	for (icalproperty *p =
		 icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY);
	     p; p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
		const char *name = icalproperty_get_property_name(p);
		char subject[64];
		int line = cl ? cl->begin : 0;

		if (!cl || !name)
			continue;
		if (icalproperty_isa(p) != ICAL_XLICERROR_PROPERTY) {
			/* multi-valued lines (EXDATE a,b) give several */
			if (cursor > 0 &&
			    strcmp(cl->pnames[cursor - 1], name) == 0)
				continue;
			for (size_t k = cursor; k < cl->n; k++)
				if (strcmp(cl->pnames[k], name) == 0) {
					cursor = k + 1;
					break;
				}
			continue;
		}
		error_subject(icalproperty_get_xlicerror(p), subject,
			      sizeof(subject));
		for (size_t k = cursor; k < cl->n; k++) {
			bool x_match = strcmp(subject, "X") == 0 &&
				       strncmp(cl->pnames[k], "X-", 2) == 0;
			if (!subject[0] || x_match ||
			    strcmp(cl->pnames[k], subject) == 0) {
				line = cl->props[k];
				cursor = k + 1;
				break;
			}
		}
		/* without these the event is not what the file meant */
		problem(r, line,
			strcmp(subject, "DTSTART") == 0 ||
			    strcmp(subject, "DTEND") == 0 ||
			    strcmp(subject, "DURATION") == 0 ||
			    strcmp(subject, "RRULE") == 0 ||
			    strcmp(subject, "EXDATE") == 0 ||
			    strcmp(subject, "RECURRENCE-ID") == 0,
			"%s", icalproperty_get_xlicerror(p));
	}
}

/* Walk the tree in pre-order, reporting X-LIC-ERRORs. */
static void
walk_errors(struct reader *r, icalcomponent *c)
{
	struct comp_lines *cl = comp_find(r, c);

	report_errors(r, c, cl);
	for (icalcomponent *k =
		 icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	     k; k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		walk_errors(r, k);
}

static bool
to_local(struct icaltimetype t, struct tz_local *l)
{
	l->year = t.year;
	l->month = t.month;
	l->day = t.day;
	l->hour = t.is_date ? 0 : t.hour;
	l->minute = t.is_date ? 0 : t.minute;
	l->second = t.is_date ? 0 : t.second;
	return tz_local_valid(l);
}

/* What a time property says: its instant, the zone to keep, the flags. */
struct when {
	int64_t utc;
	bool all_day;
	bool floating;
	const char *zone; /* IANA zone to keep */
	const char *tzid; /* as written */
};

/* The IANA zone a TZID maps to (ical/zones.h), or NULL; remembered. */
static const char *
zone_of(struct reader *r, const char *tzid)
{
	char mapped[ICAL_ZONE_NAME_MAX];
	const char *zone = NULL;

	for (size_t i = 0; i < r->n_zones; i++)
		if (strcmp(r->zones[i].tzid, tzid) == 0)
			return r->zones[i].zone;
	if (ical_zone_from_tzid(tzid, r->owner_zone, mapped, sizeof(mapped)))
		zone = arena_strdup(r->a, mapped);
	if (r->n_zones < sizeof(r->zones) / sizeof(r->zones[0])) {
		r->zones[r->n_zones].tzid = arena_strdup(r->a, tzid);
		r->zones[r->n_zones].zone = zone;
		r->n_zones++;
	}
	return zone;
}

/* Resolve a DATE-TIME or DATE property value to an instant. */
static bool
resolve_time(struct reader *r, icalproperty *p, struct icaltimetype t, int line,
	     const char *what, struct when *w)
{
	icalparameter *tzp =
	    icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
	char mapped[2];
	struct tz_local l;
	struct av_error e = {0};
	enum av_err rc;

	memset(w, 0, sizeof(*w));
	if (icaltime_is_null_time(t) || !to_local(t, &l)) {
		problem(r, line, true, "%s has no valid date or time", what);
		return false;
	}
	w->all_day = t.is_date != 0;
	w->tzid = tzid ? arena_strdup(r->a, tzid) : NULL;
	w->zone = tzid ? zone_of(r, tzid) : NULL;
	mapped[0] = w->zone ? 'y' : '\0';
	if (!w->zone)
		w->zone = r->owner_zone;
	if (tzid && !*tzid && !w->all_day) {
		/* Office 365 has written "TZID:" with +0000 offsets; libical
		 * drops the empty name, so the instant is read as UTC */
		problem(r, line, false, "%s has an empty TZID; read as UTC",
			what);
		w->utc = tz_local_seconds(&l);
		rc = AV_OK;
	} else if (w->all_day) {
		/* a date, not an instant: the day as it starts in the zone kept
		 */
		rc = tz_day_start(w->zone, l.year, l.month, l.day, &w->utc, &e);
	} else if (icaltime_is_utc(t)) {
		w->utc = tz_local_seconds(&l);
		w->zone = tzid ? w->zone : "UTC";
		rc = AV_OK;
	} else if (tzid) {
		icaltimezone *file_zone =
		    icalcomponent_get_timezone(r->root, tzid);

		if (file_zone) {
			rc = tz_file_local_to_utc(file_zone, &l, &w->utc, NULL,
						  &e);
		} else {
			if (!mapped[0])
				problem(r, line, false,
					"time zone '%s' has no VTIMEZONE and "
					"no known name; read in %s",
					tzid, r->owner_zone);
			rc = tz_local_to_utc(w->zone, &l, &w->utc, NULL, &e);
		}
	} else {
		w->floating = true;
		rc = tz_local_to_utc(w->zone, &l, &w->utc, NULL, &e);
	}
	if (rc) {
		problem(r, line, true, "%s: %s", what, e.msg);
		return false;
	}
	return true;
}

static int
prop_line(struct comp_lines *cl, const char *name)
{
	if (!cl)
		return 0;
	for (size_t k = 0; k < cl->n; k++)
		if (strcmp(cl->pnames[k], name) == 0)
			return cl->props[k];
	return cl->begin;
}

static const char *
dup_or_null(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

/* "mailto:x@y" -> "x@y". */
static const char *
strip_mailto(struct arena *a, const char *v)
{
	if (!v)
		return NULL;
	if (strncasecmp(v, "mailto:", 7) == 0)
		v += 7;
	return arena_strdup(a, v);
}

static const char *
param_cn(struct arena *a, icalproperty *p)
{
	icalparameter *cn =
	    icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);

	return cn ? dup_or_null(a, icalparameter_get_cn(cn)) : NULL;
}

static void
read_attendee(struct reader *r, icalproperty *p, struct ical_in_event *ev,
	      size_t *cap)
{
	struct ical_in_attendee *at;
	icalparameter *q;

	if (ev->n_attendees == *cap)
		ev->attendees = arena_grow(r->a, ev->attendees, ev->n_attendees,
					   cap, sizeof(*ev->attendees));
	at = &ev->attendees[ev->n_attendees++];
	memset(at, 0, sizeof(*at));
	at->email = strip_mailto(r->a, icalproperty_get_attendee(p));
	at->name = param_cn(r->a, p);
	at->role = "REQ-PARTICIPANT";
	at->partstat = "NEEDS-ACTION";
	q = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER);
	if (q && icalparameter_get_role(q) != ICAL_ROLE_X &&
	    icalparameter_enum_to_string((int)icalparameter_get_role(q)))
		at->role = icalparameter_enum_to_string(
		    (int)icalparameter_get_role(q));
	q = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
	if (q && icalparameter_get_partstat(q) != ICAL_PARTSTAT_X &&
	    icalparameter_enum_to_string((int)icalparameter_get_partstat(q)))
		at->partstat = icalparameter_enum_to_string(
		    (int)icalparameter_get_partstat(q));
	q = icalproperty_get_first_parameter(p, ICAL_RSVP_PARAMETER);
	at->rsvp = q && icalparameter_get_rsvp(q) == ICAL_RSVP_TRUE;
}

static int64_t
duration_seconds(struct icaldurationtype d)
{
	int64_t s = (int64_t)d.weeks * 7 * 86400 + (int64_t)d.days * 86400 +
		    (int64_t)d.hours * 3600 + (int64_t)d.minutes * 60 +
		    d.seconds;

	return d.is_neg ? -s : s;
}

/* Minutes before the start of the VALARMs of 'c'. */
static void
read_alarms(struct reader *r, icalcomponent *c, struct ical_in_event *ev)
{
	size_t cap = 0;

	for (icalcomponent *al =
		 icalcomponent_get_first_component(c, ICAL_VALARM_COMPONENT);
	     al;
	     al = icalcomponent_get_next_component(c, ICAL_VALARM_COMPONENT)) {
		icalproperty *tp =
		    icalcomponent_get_first_property(al, ICAL_TRIGGER_PROPERTY);
		struct icaltriggertype tr;
		int64_t before;

		if (!tp)
			continue;
		tr = icalproperty_get_trigger(tp);
		if (!icaltime_is_null_time(tr.time)) {
			struct tz_local l;
			if (!to_local(tr.time, &l))
				continue;
			before = ev->start_utc - tz_local_seconds(&l);
		} else {
			icalparameter *rel = icalproperty_get_first_parameter(
			    tp, ICAL_RELATED_PARAMETER);
			before = -duration_seconds(tr.duration);
			if (rel &&
			    icalparameter_get_related(rel) == ICAL_RELATED_END)
				before -= ev->end_utc - ev->start_utc;
		}
		if (before < 0 || before > 4 * 7 * 86400)
			continue;
		if (ev->n_reminders == cap)
			ev->reminders =
			    arena_grow(r->a, ev->reminders, ev->n_reminders,
				       &cap, sizeof(*ev->reminders));
		ev->reminders[ev->n_reminders++] = before / 60;
	}
}

static void
add_category(struct reader *r, struct ical_in_event *ev, const char *v,
	     size_t *cap)
{
	if (ev->n_categories == *cap)
		ev->categories =
		    arena_grow(r->a, ev->categories, ev->n_categories, cap,
			       sizeof(*ev->categories));
	ev->categories[ev->n_categories++] = arena_strdup(r->a, v);
}

static void
add_exdate(struct reader *r, struct ical_in_event *ev, int64_t t, size_t *cap)
{
	if (ev->n_exdates == *cap)
		ev->exdates = arena_grow(r->a, ev->exdates, ev->n_exdates, cap,
					 sizeof(*ev->exdates));
	ev->exdates[ev->n_exdates++] = t;
}

/* DTEND, else DURATION, else the RFC 5545 default. */
static void
read_end(struct reader *r, icalcomponent *c, struct comp_lines *cl,
	 struct ical_in_event *ev)
{
	icalproperty *p =
	    icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY);
	struct when w;

	if (p) {
		if (resolve_time(r, p, icalproperty_get_dtend(p),
				 prop_line(cl, "DTEND"), "DTEND", &w)) {
			if (ev->all_day && !w.all_day)
				problem(r, prop_line(cl, "DTEND"), false,
					"DTEND is a time but DTSTART a date");
			ev->end_utc = w.utc;
		} else {
			ev->usable = false;
		}
	} else if ((p = icalcomponent_get_first_property(
			c, ICAL_DURATION_PROPERTY))) {
		struct icaldurationtype d = icalproperty_get_duration(p);
		int64_t days = (int64_t)d.weeks * 7 + d.days;
		int64_t rest = (int64_t)d.hours * 3600 +
			       (int64_t)d.minutes * 60 + d.seconds;
		int64_t end = ev->start_utc;

		/* days are nominal (wall-clock) days, the rest exact time */
		if (d.is_neg ||
		    (days && tz_add_days(ev->time_zone, ev->start_utc,
					 (int)days, &end, NULL))) {
			problem(r, prop_line(cl, "DURATION"), true,
				"DURATION must be a positive length");
			ev->usable = false;
		}
		ev->end_utc = end + rest;
	} else if (ev->all_day) {
		if (tz_add_days(ev->time_zone, ev->start_utc, 1, &ev->end_utc,
				NULL))
			ev->end_utc = ev->start_utc + 86400;
	} else {
		ev->end_utc = ev->start_utc;
	}
	if (ev->usable && ev->end_utc < ev->start_utc) {
		problem(r, prop_line(cl, p ? "DTEND" : "DURATION"), true,
			"the event ends before it starts");
		ev->usable = false;
	}
}

static void
read_event(struct reader *r, icalcomponent *c, struct comp_lines *cl,
	   struct ical_in_event *ev)
{
	icalproperty *p;
	struct when w;
	size_t cap_at = 0, cap_cat = 0, cap_ex = 0;

	memset(ev, 0, sizeof(*ev));
	ev->line = cl ? cl->begin : 0;
	ev->usable = true;
	ev->uid = dup_or_null(r->a, icalcomponent_get_uid(c));
	if (!ev->uid || !*ev->uid) {
		problem(r, ev->line, true, "VEVENT without a UID");
		ev->usable = false;
	}
	p = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
	if (!p) {
		problem(r, ev->line, true, "VEVENT without a DTSTART");
		ev->usable = false;
		return;
	}
	if (!resolve_time(r, p, icalproperty_get_dtstart(p),
			  prop_line(cl, "DTSTART"), "DTSTART", &w)) {
		ev->usable = false;
		return;
	}
	ev->start_utc = w.utc;
	ev->all_day = w.all_day;
	ev->floating = w.floating;
	ev->time_zone = w.zone;
	ev->tzid = w.tzid;
	read_end(r, c, cl, ev);
	for (p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
		switch (icalproperty_isa(p)) {
		case ICAL_SEQUENCE_PROPERTY:
			ev->sequence = icalproperty_get_sequence(p);
			break;
		case ICAL_DTSTAMP_PROPERTY: {
			struct tz_local l;
			if (to_local(icalproperty_get_dtstamp(p), &l))
				ev->dtstamp = tz_local_seconds(&l);
			break;
		}
		case ICAL_STATUS_PROPERTY:
			ev->cancelled =
			    icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
			break;
		case ICAL_SUMMARY_PROPERTY:
			ev->summary =
			    dup_or_null(r->a, icalproperty_get_summary(p));
			break;
		case ICAL_DESCRIPTION_PROPERTY:
			ev->description =
			    dup_or_null(r->a, icalproperty_get_description(p));
			break;
		case ICAL_LOCATION_PROPERTY:
			ev->location =
			    dup_or_null(r->a, icalproperty_get_location(p));
			break;
		case ICAL_URL_PROPERTY:
			ev->url = dup_or_null(r->a, icalproperty_get_url(p));
			break;
		case ICAL_CATEGORIES_PROPERTY:
			add_category(r, ev, icalproperty_get_categories(p),
				     &cap_cat);
			break;
		case ICAL_RRULE_PROPERTY: {
			char *v = icalproperty_get_value_as_string_r(p);
			ev->rrule = dup_or_null(r->a, v);
			free(v);
			break;
		}
		case ICAL_RDATE_PROPERTY:
			problem(r, prop_line(cl, "RDATE"), false,
				"RDATE is not supported; only the RRULE "
				"dates are kept");
			break;
		case ICAL_EXDATE_PROPERTY:
			if (resolve_time(r, p, icalproperty_get_exdate(p),
					 prop_line(cl, "EXDATE"), "EXDATE", &w))
				add_exdate(r, ev, w.utc, &cap_ex);
			break;
		case ICAL_RECURRENCEID_PROPERTY:
			if (resolve_time(r, p, icalproperty_get_recurrenceid(p),
					 prop_line(cl, "RECURRENCE-ID"),
					 "RECURRENCE-ID", &w))
				ev->recurrence_id = w.utc;
			else
				ev->usable = false;
			break;
		case ICAL_ORGANIZER_PROPERTY:
			ev->organizer =
			    strip_mailto(r->a, icalproperty_get_organizer(p));
			ev->organizer_name = param_cn(r->a, p);
			break;
		case ICAL_ATTENDEE_PROPERTY:
			read_attendee(r, p, ev, &cap_at);
			break;
		case ICAL_XLICERROR_PROPERTY: {
			/* Exchange writes "LOCATION:" for no location: keep it
			 * as an empty text, as written */
			const char *m = icalproperty_get_xlicerror(p);
			if (m && strstr(m, "No value for LOCATION property"))
				ev->location = "";
			else if (m &&
				 strstr(m, "No value for SUMMARY property"))
				ev->summary = "";
			else if (m &&
				 strstr(m, "No value for DESCRIPTION property"))
				ev->description = "";
			break;
		}
		case ICAL_X_PROPERTY: {
			const char *xn = icalproperty_get_x_name(p);
			if (xn && strcmp(xn, "X-AVTALE-TYPE") == 0)
				ev->x_type =
				    dup_or_null(r->a, icalproperty_get_x(p));
			else if (xn && strcmp(xn, "X-AVTALE-CHANNEL") == 0)
				ev->x_channel =
				    dup_or_null(r->a, icalproperty_get_x(p));
			break;
		}
		default:
			break;
		}
	}
	read_alarms(r, c, ev);
}

static enum cal_method
method_of(icalcomponent *root)
{
	icalproperty *p =
	    icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY);

	if (!p)
		return CAL_METHOD_NONE;
	switch (icalproperty_get_method(p)) {
	case ICAL_METHOD_PUBLISH:
		return CAL_METHOD_PUBLISH;
	case ICAL_METHOD_REQUEST:
		return CAL_METHOD_REQUEST;
	case ICAL_METHOD_CANCEL:
		return CAL_METHOD_CANCEL;
	case ICAL_METHOD_REPLY:
		return CAL_METHOD_REPLY;
	default:
		return CAL_METHOD_NONE;
	}
}

enum av_err
ical_read(const char *text, size_t len, const char *owner_zone, struct arena *a,
	  struct ical_in_file *out, struct av_error *err)
{
	struct reader r = {.a = a, .owner_zone = owner_zone, .out = out};
	struct line *lines;
	size_t n_lines, n_ev = 0, cap_ev = 16;

	memset(out, 0, sizeof(*out));
	if (len > ICAL_READ_MAX)
		return av_errorf(err, AV_ETOOBIG,
				 "the calendar file is over %zu MiB",
				 ICAL_READ_MAX >> 20);
	if (memchr(text, '\0', len))
		return av_errorf(err, AV_EINVAL,
				 "the calendar file holds a NUL byte");
	if (!owner_zone || !tz_valid(owner_zone))
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "the owner's time zone is unknown");
	n_lines = split_lines(&r, text, len, &lines);
	/* folds may split a character: only the unfolded lines must be
	 * UTF-8 */
	for (size_t i = 0; i < n_lines; i++)
		if (!str_valid_utf8(lines[i].text, strlen(lines[i].text)))
			return av_errorf(err, AV_EINVAL,
					 "line %d is not valid UTF-8 (save the "
					 "file as UTF-8)",
					 lines[i].number);
	r.root = parse_lines(&r, lines, n_lines);
	if (!r.root || icalcomponent_isa(r.root) != ICAL_VCALENDAR_COMPONENT) {
		if (r.root)
			icalcomponent_free(r.root);
		return av_errorf(err, AV_EINVAL,
				 "no BEGIN:VCALENDAR ... END:VCALENDAR in the "
				 "file");
	}
	walk_errors(&r, r.root);
	out->method = method_of(r.root);
	out->events = arena_alloc(a, cap_ev * sizeof(*out->events));
	/* the component records again, to give each VEVENT its lines */
	r.next_comp = 0;
	(void)comp_find(&r, r.root);
	for (icalcomponent *c =
		 icalcomponent_get_first_component(r.root, ICAL_ANY_COMPONENT);
	     c;
	     c = icalcomponent_get_next_component(r.root, ICAL_ANY_COMPONENT)) {
		struct comp_lines *cl = comp_find(&r, c);

		if (icalcomponent_isa(c) != ICAL_VEVENT_COMPONENT)
			continue;
		if (n_ev == cap_ev)
			out->events = arena_grow(a, out->events, n_ev, &cap_ev,
						 sizeof(*out->events));
		read_event(&r, c, cl, &out->events[n_ev++]);
	}
	out->n_events = n_ev;
	icalcomponent_free(r.root);
	return AV_OK;
}
