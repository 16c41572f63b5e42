/* SPDX-License-Identifier: MIT */
/*
 * Calendar files into appointments, all or nothing, in one transaction.
 * Each VEVENT is matched to a stored appointment by UID and RECURRENCE-ID
 * (RFC 5546 3.2): a new pair is created, a known one updated when its
 * SEQUENCE is higher (or equal with a later DTSTAMP), otherwise skipped,
 * so importing the same file twice changes nothing. A cancellation
 * (METHOD:CANCEL or STATUS:CANCELLED) cancels and is final. Series come
 * before their changed occurrences whatever the order in the file; an
 * occurrence without its series is kept by UID and RECURRENCE-ID and joins
 * the series when it arrives. Each event is linked to the customer whose
 * contact's e-mail is among its attendees (or to --customer); one that
 * matches none is the rep's own busy time. Imported events are facts from
 * another calendar: they are stored even when they overlap, and then
 * count in the conflict check of later bookings.
 */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/tz.h"
#include "service/appointments.h"
#include "service/ical.h"

#include "core/banned.h"

#define NO_SUBJECT "(no subject)"

const char *
import_action_name(enum import_action a)
{
	static const char *const names[IMPORT__MAX] = {
	    "created", "updated", "cancelled", "answered", "skipped", "failed",
	};
	return (unsigned)a < IMPORT__MAX ? names[a] : NULL;
}

struct importer {
	struct store *s;
	const struct ical_import_opts *o;
	struct arena *a;
	struct user owner;
	const char **types;
	struct ical_in_file file;
	struct ical_import_report *rep;
	size_t cap_problems;
};

static void
add_problem(struct importer *im, int line, bool error, const char *msg)
{
	struct ical_import_report *r = im->rep;

	if (r->n_problems == im->cap_problems)
		r->problems =
		    arena_grow(im->a, r->problems, r->n_problems,
			       &im->cap_problems, sizeof(*r->problems));
	r->problems[r->n_problems].line = line;
	r->problems[r->n_problems].error = error;
	r->problems[r->n_problems].message = arena_strdup(im->a, msg);
	r->n_problems++;
}

static struct import_item *
item_for(struct importer *im, const struct ical_in_event *e, size_t idx)
{
	struct import_item *it = &im->rep->items[idx];

	it->line = e->line;
	it->uid = e->uid;
	it->recurrence_id = e->recurrence_id;
	it->summary = e->summary;
	it->start_utc = e->start_utc;
	it->end_utc = e->end_utc;
	return it;
}

static void
decide(struct importer *im, struct import_item *it, enum import_action act,
       int64_t id, const char *reason)
{
	it->action = act;
	it->appointment_id = id;
	it->reason = reason ? arena_strdup(im->a, reason) : NULL;
	im->rep->counts[act]++;
}

/* The customer (and contact) an event belongs to. */
static void
link_customer(struct importer *im, const struct ical_in_event *e,
	      struct appointment *p)
{
	struct contact_match m[8];
	size_t n;
	struct av_error ignored = {0};

	p->customer_id = im->o->customer_id;
	p->contact_id = 0;
	for (size_t i = 0; i < e->n_attendees; i++) {
		const char *email = e->attendees[i].email;

		if (!email || !*email || str_ieq(email, im->owner.email))
			continue;
		if (store_contacts_by_email(im->s, email, m, 8, &n, &ignored))
			continue;
		for (size_t k = 0; k < n; k++) {
			if (im->o->customer_id &&
			    m[k].customer_id != im->o->customer_id)
				continue;
			if (im->o->visible &&
			    !im->o->visible(im->o->visible_ctx, &m[k]))
				continue;
			/* the owner's own customer first, else the first */
			if (!p->customer_id || m[k].owner_id == im->owner.id ||
			    (!p->contact_id &&
			     p->customer_id == m[k].customer_id)) {
				p->customer_id = m[k].customer_id;
				p->contact_id = m[k].contact_id;
				if (m[k].owner_id == im->owner.id)
					return;
			}
		}
		if (p->contact_id && !im->o->customer_id)
			return;
	}
}

/* Cut 's' to at most 'max' bytes on a character boundary. */
static const char *
cut(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return s;
	while (n > max || (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80))
		n--;
	return arena_strndup(a, s, n);
}

/* The appointment the event describes (owner, times, texts, channel). */
static void
fill(struct importer *im, const struct ical_in_event *e, struct appointment *p)
{
	enum appt_channel ch;
	bool https = e->url && strncmp(e->url, "https://", 8) == 0;

	p->owner_id = im->owner.id;
	p->start_utc = e->start_utc;
	p->end_utc = e->end_utc;
	p->time_zone = e->time_zone;
	p->all_day = e->all_day;
	p->floating = e->floating;
	p->subject = e->summary && *e->summary
			 ? cut(im->a, e->summary, APPT_SUBJECT_MAX)
			 : NO_SUBJECT;
	p->notes = e->description;
	p->type = e->x_type && appt_code_in(im->types, e->x_type)
		      ? e->x_type
		      : (appt_code_in(im->types, "meeting") ? "meeting"
							    : im->types[0]);
	p->location = e->location;
	p->video_url = NULL;
	if (e->x_channel && appt_channel_parse(e->x_channel, &ch))
		p->channel = ch;
	else if (https)
		p->channel = CHANNEL_VIDEO;
	else if (e->location && *e->location)
		p->channel = CHANNEL_IN_PERSON;
	else
		p->channel = CHANNEL_PHONE;
	if (p->channel == CHANNEL_VIDEO) {
		p->video_url = https ? e->url : NULL;
		/* our own export writes the link as the location too */
		if (p->location && e->url && strcmp(p->location, e->url) == 0)
			p->location = NULL;
	}
	if (p->channel == CHANNEL_IN_PERSON && !(p->location && *p->location))
		p->channel = CHANNEL_PHONE;
	if (p->channel == CHANNEL_VIDEO && !p->video_url)
		p->channel = p->location && *p->location ? CHANNEL_IN_PERSON
							 : CHANNEL_PHONE;
	p->rrule = e->recurrence_id ? NULL : e->rrule;
	p->exdates = e->n_exdates
			 ? appt_exdates_format(e->exdates, e->n_exdates, im->a)
			 : NULL;
	p->uid = e->uid;
	p->sequence = e->sequence;
	p->recurrence_id = e->recurrence_id;
	p->reminder_minutes = -1;
	for (size_t i = 0; i < e->n_reminders; i++)
		if (p->reminder_minutes < 0 ||
		    e->reminders[i] < p->reminder_minutes)
			p->reminder_minutes = e->reminders[i];
	p->ical_dtstamp = e->dtstamp;
	p->organizer_email = NULL;
	p->organizer_name = NULL;
	if (e->organizer && !str_ieq(e->organizer, im->owner.email)) {
		p->organizer_email = e->organizer;
		p->organizer_name = e->organizer_name;
	}
	p->status = APPT_SCHEDULED;
	p->cancel_reason = NULL;
	link_customer(im, e, p);
}

static bool
is_cancel(const struct importer *im, const struct ical_in_event *e)
{
	return e->cancelled || im->file.method == CAL_METHOD_CANCEL;
}

/* Store the event's attendees and (for an updated row: the insert has
 * them) its iCalendar extras for row p->id. */
static enum av_err
store_extras(struct importer *im, const struct ical_in_event *e,
	     const struct appointment *p, bool inserted, struct av_error *err)
{
	struct appt_attendee *v =
	    arena_alloc(im->a, (e->n_attendees + 1) * sizeof(*v));
	enum av_err rc;

	for (size_t i = 0; i < e->n_attendees; i++) {
		v[i].email = e->attendees[i].email;
		v[i].name = e->attendees[i].name;
		v[i].role = e->attendees[i].role;
		v[i].partstat = e->attendees[i].partstat;
		v[i].rsvp = e->attendees[i].rsvp;
	}
	rc = e->n_attendees || !inserted
		 ? store_attendees_set(im->s, p->id, v, e->n_attendees, err)
		 : AV_OK;
	if (!rc && !inserted)
		rc = store_appt_set_ical(im->s, p, err);
	return rc;
}

/* Validation failures are the file's fault: reported, not fatal here. */
static void
fail_item(struct importer *im, struct import_item *it,
	  const struct ical_in_event *e, const struct av_error *why)
{
	char msg[512];

	str_printf(msg, sizeof(msg), "%s%s%s", why->field[0] ? why->field : "",
		   why->field[0] ? ": " : "", why->msg);
	add_problem(im, e->line, true, msg);
	decide(im, it, IMPORT_FAILED, 0, msg);
}

static enum av_err
create(struct importer *im, const struct ical_in_event *e,
       struct import_item *it, struct appointment *p, int64_t parent_id,
       struct av_error *err)
{
	struct av_error why = {0};
	enum av_err rc;

	p->parent_id = parent_id;
	if (is_cancel(im, e)) {
		p->status = APPT_CANCELLED;
		p->cancel_reason = "cancelled in the imported calendar";
	}
	if (appt_prepare(p, im->types, im->a, &why) ||
	    appt_series_end(p, im->a, &p->series_end_utc, &why)) {
		fail_item(im, it, e, &why);
		return AV_OK;
	}
	rc = store_appt_insert(im->s, p, im->o->actor, err);
	if (!rc)
		rc = store_extras(im, e, p, true, err);
	if (!rc && p->rrule)
		rc = store_appt_adopt_overrides(im->s, p->uid, p->id, err);
	if (!rc) {
		it->customer_id = p->customer_id;
		decide(im, it, IMPORT_CREATED, p->id, NULL);
	}
	return rc;
}

static enum av_err
update(struct importer *im, const struct ical_in_event *e,
       struct import_item *it, const struct appointment *old,
       struct appointment *p, struct av_error *err)
{
	struct av_error why = {0};
	bool cancel = is_cancel(im, e);
	enum av_err rc;

	if (old->status == APPT_CANCELLED) {
		decide(im, it, IMPORT_SKIPPED, old->id,
		       "already cancelled: a cancellation is final");
		return AV_OK;
	}
	if (e->sequence < old->sequence ||
	    (e->sequence == old->sequence && e->dtstamp <= old->ical_dtstamp &&
	     !(cancel && old->status != APPT_CANCELLED))) {
		char msg[160];
		str_printf(msg, sizeof(msg),
			   e->sequence < old->sequence
			       ? "older version (SEQUENCE %lld < %lld)"
			       : "unchanged (SEQUENCE %lld, DTSTAMP not newer)",
			   (long long)e->sequence, (long long)old->sequence);
		decide(im, it, IMPORT_SKIPPED, old->id, msg);
		return AV_OK;
	}
	if (cancel) {
		/* a CANCEL keeps the stored meeting as it was, cancelled */
		*p = *old;
		p->status = APPT_CANCELLED;
		p->cancel_reason = "cancelled by the organizer";
		p->sequence = e->sequence;
		p->ical_dtstamp = e->dtstamp;
	} else {
		p->id = old->id;
		p->parent_id = old->parent_id;
		p->follow_up_of = old->follow_up_of;
		p->reschedule_count =
		    old->reschedule_count + (p->start_utc != old->start_utc);
		/* what happened at a held meeting stays */
		p->status = old->status;
		p->outcome = old->outcome;
		p->outcome_note = old->outcome_note;
		if (!im->o->customer_id && !p->customer_id &&
		    old->customer_id) {
			p->customer_id = old->customer_id;
			p->contact_id = old->contact_id;
		}
		if (appt_prepare(p, im->types, im->a, &why) ||
		    appt_series_end(p, im->a, &p->series_end_utc, &why)) {
			fail_item(im, it, e, &why);
			return AV_OK;
		}
	}
	rc = store_appt_update(im->s, p, 0, im->o->actor,
			       cancel ? "import cancel" : "import update", err);
	if (!rc && cancel)
		rc = store_appt_set_ical(im->s, p, err);
	else if (!rc)
		rc = store_extras(im, e, p, false, err);
	if (!rc) {
		it->customer_id = p->customer_id;
		decide(im, it, cancel ? IMPORT_CANCELLED : IMPORT_UPDATED,
		       p->id, NULL);
	}
	return rc;
}

/* METHOD:REPLY: the attendees' answers for a stored appointment. */
static enum av_err
answer(struct importer *im, const struct ical_in_event *e,
       struct import_item *it, const struct appointment *old,
       struct av_error *err)
{
	size_t set = 0;

	for (size_t i = 0; i < e->n_attendees; i++) {
		struct av_error miss = {0};
		enum av_err rc =
		    store_attendee_answer(im->s, old->id, e->attendees[i].email,
					  e->attendees[i].partstat, &miss);
		if (rc == AV_ENOTFOUND) {
			add_problem(im, e->line, false, miss.msg);
			continue;
		}
		if (rc) {
			*err = miss;
			return rc;
		}
		set++;
	}
	if (set)
		decide(im, it, IMPORT_ANSWERED, old->id, NULL);
	else
		decide(im, it, IMPORT_SKIPPED, old->id,
		       "the reply names no attendee of the appointment");
	return AV_OK;
}

static enum av_err
import_event(struct importer *im, const struct ical_in_event *e,
	     struct import_item *it, struct av_error *err)
{
	struct appointment old, p, master;
	struct av_error miss = {0};
	int64_t parent_id = 0;
	enum av_err rc;

	memset(&p, 0, sizeof(p));
	if (!e->usable) {
		decide(im, it, IMPORT_FAILED, 0,
		       "the event lacks a value it needs (see errors)");
		return AV_OK;
	}
	rc = store_appt_by_uid(im->s, e->uid, e->recurrence_id, im->a, &old,
			       &miss);
	if (rc && rc != AV_ENOTFOUND) {
		*err = miss;
		return rc;
	}
	if (!rc && old.owner_id != im->owner.id) {
		decide(im, it, IMPORT_SKIPPED, old.id,
		       "this UID belongs to another user's appointment");
		return AV_OK;
	}
	if (im->file.method == CAL_METHOD_REPLY) {
		if (rc)
			decide(im, it, IMPORT_SKIPPED, 0,
			       "a reply to an unknown appointment");
		return rc ? AV_OK : answer(im, e, it, &old, err);
	}
	fill(im, e, &p);
	if (!rc)
		return update(im, e, it, &old, &p, err);
	if (im->file.method == CAL_METHOD_CANCEL && !e->recurrence_id) {
		decide(im, it, IMPORT_SKIPPED, 0,
		       "a cancellation of an unknown appointment");
		return AV_OK;
	}
	if (e->recurrence_id &&
	    store_appt_by_uid(im->s, e->uid, 0, im->a, &master, &miss) ==
		AV_OK &&
	    master.rrule && master.owner_id == im->owner.id)
		parent_id = master.id;
	return create(im, e, it, &p, parent_id, err);
}

static void
copy_problems(struct importer *im)
{
	for (size_t i = 0; i < im->file.n_problems; i++)
		add_problem(im, im->file.problems[i].line,
			    im->file.problems[i].error,
			    im->file.problems[i].message);
}

enum av_err
ical_import(struct store *s, const char *text, size_t len,
	    const struct ical_import_opts *o, struct arena *a,
	    struct ical_import_report *rep, struct av_error *err)
{
	struct importer im = {.s = s, .o = o, .a = a, .rep = rep};
	size_t done = 0, n;
	enum av_err rc;
	bool failed;

	memset(rep, 0, sizeof(*rep));
	if ((rc = store_user_get(s, o->owner_id, a, &im.owner, err)))
		return rc;
	if ((rc = ical_read(text, len, im.owner.time_zone, a, &im.file, err)))
		return rc;
	copy_problems(&im);
	n = im.file.n_events;
	rep->items = arena_alloc(a, (n + 1) * sizeof(*rep->items));
	memset(rep->items, 0, (n + 1) * sizeof(*rep->items));
	rep->n_items = n;
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_code_list(s, "appointment_type", a, &im.types, err);
	/* series and single events first, then changed occurrences */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		for (size_t i = 0; i < n && !rc; i++) {
			const struct ical_in_event *e = &im.file.events[i];

			if ((pass == 0) != (e->recurrence_id == 0))
				continue;
			rc = import_event(&im, e, item_for(&im, e, i), err);
			if (o->progress)
				o->progress(o->progress_ctx, ++done, n);
		}
	}
	failed = rep->counts[IMPORT_FAILED] > 0;
	for (size_t i = 0; i < rep->n_problems && !failed; i++)
		failed = rep->problems[i].error;
	if (rc || failed || o->dry_run) {
		store_rollback(s);
		if (rc)
			return rc;
		if (failed)
			return av_errorf(err, AV_EINVAL,
					 "the calendar has errors; nothing was "
					 "imported (see the report)");
		return AV_OK;
	}
	if ((rc = store_commit(s, err)))
		return rc;
	rep->stored = true;
	return AV_OK;
}

json_t *
ical_import_report_json(const struct ical_import_report *r)
{
	json_t *o = json_object();
	json_t *items = json_array(), *warn = json_array(),
	       *errs = json_array();

	json_object_set_new(o, "stored", json_boolean(r->stored));
	for (int k = 0; k < IMPORT__MAX; k++)
		json_object_set_new(o,
				    import_action_name((enum import_action)k),
				    json_integer((json_int_t)r->counts[k]));
	for (size_t i = 0; i < r->n_items; i++) {
		const struct import_item *it = &r->items[i];
		char rid[TZ_UTC_SIZE] = "";
		json_t *j =
		    json_pack("{si ss* ss}", "line", it->line, "uid", it->uid,
			      "action", import_action_name(it->action));

		if (it->recurrence_id &&
		    tz_format_utc(it->recurrence_id, rid, sizeof(rid)))
			json_object_set_new(j, "recurrence_id",
					    json_string(rid));
		json_object_set_new(j, "appointment_id",
				    it->appointment_id
					? json_integer(it->appointment_id)
					: json_null());
		json_object_set_new(j, "customer_id",
				    it->customer_id
					? json_integer(it->customer_id)
					: json_null());
		if (it->reason)
			json_object_set_new(j, "reason",
					    json_string(it->reason));
		if (it->summary)
			json_object_set_new(j, "summary",
					    json_string(it->summary));
		if (it->action != IMPORT_FAILED &&
		    tz_format_utc(it->start_utc, rid, sizeof(rid)))
			json_object_set_new(j, "start_utc", json_string(rid));
		if (it->action != IMPORT_FAILED &&
		    tz_format_utc(it->end_utc, rid, sizeof(rid)))
			json_object_set_new(j, "end_utc", json_string(rid));
		json_array_append_new(items, j);
	}
	for (size_t i = 0; i < r->n_problems; i++)
		json_array_append_new(r->problems[i].error ? errs : warn,
				      json_pack("{si ss}", "line",
						r->problems[i].line, "message",
						r->problems[i].message));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "warnings", warn);
	json_object_set_new(o, "errors", errs);
	return o;
}
