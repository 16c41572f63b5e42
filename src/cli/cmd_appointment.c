/* SPDX-License-Identifier: MIT */
/*
 * `avtale appointment add|move|complete|cancel|no-show|show|list`: the
 * command-line face of scheduling. Times are read as wall-clock times in a
 * zone (--tz, else the owner's or the appointment's) and printed in the
 * acting user's zone; every rule lives in service/appointments.c, the same
 * code the JSON API calls.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "service/appointments.h"
#include "service/mail.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale appointment add --customer ID|NUMBER [--contact ID]",
    "           --start 'YYYY-MM-DD HH:MM' [--tz ZONE]",
    "           (--duration MINUTES | --end 'YYYY-MM-DD HH:MM')",
    "           [--type TYPE] [--channel phone|video|in_person] [--link URL]",
    "           [--location TEXT] [--subject TEXT] [--notes TEXT]",
    "           [--repeat RRULE] [--owner EMAIL] [--force] [--invite]",
    "       avtale appointment move ID --start TIME [--tz ZONE]",
    "           [--duration MINUTES | --end TIME] [--occurrence WHEN]",
    "           [--following] [--force] [--if-version V] [--no-invite]",
    "       avtale appointment complete ID --outcome CODE [--note TEXT]",
    "           [--follow-up TIME [--duration MINUTES]] [--occurrence WHEN]",
    "       avtale appointment cancel ID --reason TEXT [--occurrence WHEN]",
    "           [--no-invite]",
    "       avtale appointment no-show ID [--occurrence WHEN]",
    "       avtale appointment show ID",
    "       avtale appointment list --from WHEN --to WHEN [--owner EMAIL]",
    "           [--customers | --customer ID|NUMBER]",
    "",
    "Times are local wall-clock times such as '2025-03-30 09:00' in --tz,",
    "by default the owner's zone (for move and --occurrence: the zone the",
    "appointment was booked in); RFC 3339 with an offset is taken as is. A",
    "time in a spring-forward gap moves forward and a repeated one takes",
    "its first occurrence; a line on stderr says so. Output shows times in",
    "the acting user's zone. An overlap with another scheduled appointment",
    "of the owner is refused unless --force. --occurrence names one",
    "instance of a repeating appointment by its original start.",
    "--invite queues an e-mail invitation (iTIP REQUEST) to the contact;",
    "moving or cancelling an invited appointment queues the update or the",
    "CANCEL unless --no-invite. `avtale serve` sends the queue.",
    NULL,
};

enum verb {
	V_ADD,
	V_MOVE,
	V_COMPLETE,
	V_CANCEL,
	V_NO_SHOW,
	V_SHOW,
	V_LIST,
	V__MAX
};

#define B(v) (1u << (v))

enum opt {
	O_CUSTOMER = 256,
	O_CONTACT,
	O_START,
	O_TZ,
	O_DURATION,
	O_END,
	O_TYPE,
	O_CHANNEL,
	O_LINK,
	O_LOCATION,
	O_SUBJECT,
	O_NOTES,
	O_REPEAT,
	O_OWNER,
	O_FORCE,
	O_OCCURRENCE,
	O_FOLLOWING,
	O_OUTCOME,
	O_NOTE,
	O_FOLLOW_UP,
	O_REASON,
	O_FROM,
	O_TO,
	O_CUSTOMERS,
	O_IF_VERSION,
	O_INVITE,
	O_NO_INVITE,
	O__END
};

static const struct option opts[] = {
    {"customer", required_argument, NULL, O_CUSTOMER},
    {"contact", required_argument, NULL, O_CONTACT},
    {"start", required_argument, NULL, O_START},
    {"tz", required_argument, NULL, O_TZ},
    {"duration", required_argument, NULL, O_DURATION},
    {"end", required_argument, NULL, O_END},
    {"type", required_argument, NULL, O_TYPE},
    {"channel", required_argument, NULL, O_CHANNEL},
    {"link", required_argument, NULL, O_LINK},
    {"location", required_argument, NULL, O_LOCATION},
    {"subject", required_argument, NULL, O_SUBJECT},
    {"notes", required_argument, NULL, O_NOTES},
    {"repeat", required_argument, NULL, O_REPEAT},
    {"owner", required_argument, NULL, O_OWNER},
    {"force", no_argument, NULL, O_FORCE},
    {"occurrence", required_argument, NULL, O_OCCURRENCE},
    {"following", no_argument, NULL, O_FOLLOWING},
    {"outcome", required_argument, NULL, O_OUTCOME},
    {"note", required_argument, NULL, O_NOTE},
    {"follow-up", required_argument, NULL, O_FOLLOW_UP},
    {"reason", required_argument, NULL, O_REASON},
    {"from", required_argument, NULL, O_FROM},
    {"to", required_argument, NULL, O_TO},
    {"customers", no_argument, NULL, O_CUSTOMERS},
    {"if-version", required_argument, NULL, O_IF_VERSION},
    {"invite", no_argument, NULL, O_INVITE},
    {"no-invite", no_argument, NULL, O_NO_INVITE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The verbs each option applies to, indexed by option - O_CUSTOMER. */
static const unsigned opt_verbs[O__END - O_CUSTOMER] = {
    [O_CUSTOMER - O_CUSTOMER] = B(V_ADD) | B(V_LIST),
    [O_CONTACT - O_CUSTOMER] = B(V_ADD),
    [O_START - O_CUSTOMER] = B(V_ADD) | B(V_MOVE),
    [O_TZ - O_CUSTOMER] = B(V_ADD) | B(V_MOVE) | B(V_COMPLETE),
    [O_DURATION - O_CUSTOMER] = B(V_ADD) | B(V_MOVE) | B(V_COMPLETE),
    [O_END - O_CUSTOMER] = B(V_ADD) | B(V_MOVE),
    [O_TYPE - O_CUSTOMER] = B(V_ADD),
    [O_CHANNEL - O_CUSTOMER] = B(V_ADD),
    [O_LINK - O_CUSTOMER] = B(V_ADD),
    [O_LOCATION - O_CUSTOMER] = B(V_ADD),
    [O_SUBJECT - O_CUSTOMER] = B(V_ADD),
    [O_NOTES - O_CUSTOMER] = B(V_ADD),
    [O_REPEAT - O_CUSTOMER] = B(V_ADD),
    [O_OWNER - O_CUSTOMER] = B(V_ADD) | B(V_LIST),
    [O_FORCE - O_CUSTOMER] = B(V_ADD) | B(V_MOVE) | B(V_COMPLETE),
    [O_OCCURRENCE - O_CUSTOMER] =
	B(V_MOVE) | B(V_COMPLETE) | B(V_CANCEL) | B(V_NO_SHOW),
    [O_FOLLOWING - O_CUSTOMER] = B(V_MOVE),
    [O_OUTCOME - O_CUSTOMER] = B(V_COMPLETE),
    [O_NOTE - O_CUSTOMER] = B(V_COMPLETE),
    [O_FOLLOW_UP - O_CUSTOMER] = B(V_COMPLETE),
    [O_REASON - O_CUSTOMER] = B(V_CANCEL),
    [O_FROM - O_CUSTOMER] = B(V_LIST),
    [O_TO - O_CUSTOMER] = B(V_LIST),
    [O_CUSTOMERS - O_CUSTOMER] = B(V_LIST),
    [O_IF_VERSION - O_CUSTOMER] =
	B(V_MOVE) | B(V_COMPLETE) | B(V_CANCEL) | B(V_NO_SHOW),
    [O_INVITE - O_CUSTOMER] = B(V_ADD) | B(V_MOVE) | B(V_CANCEL),
    [O_NO_INVITE - O_CUSTOMER] = B(V_MOVE) | B(V_CANCEL),
};

_Static_assert(sizeof(opt_verbs) / sizeof(opt_verbs[0]) == O__END - O_CUSTOMER,
	       "one verb mask per option");
/* opts[] lists the options in enum order, then --help and the end */
_Static_assert(sizeof(opts) / sizeof(opts[0]) == O__END - O_CUSTOMER + 2,
	       "opts[] in enum opt order");

/* Service fields and the options that set them, for error messages. */
static const struct {
	const char *field;
	const char *option;
} field_opts[] = {
    {"customer_id", "--customer"},
    {"contact_id", "--contact"},
    {"start", "--start"},
    {"end", "--end"},
    {"time_zone", "--tz"},
    {"type", "--type"},
    {"channel", "--channel"},
    {"video_url", "--link"},
    {"location", "--location"},
    {"subject", "--subject"},
    {"notes", "--notes"},
    {"rrule", "--repeat"},
    {"owner", "--owner"},
    {"occurrence", "--occurrence"},
    {"outcome", "--outcome"},
    {"note", "--note"},
    {"reason", "--reason"},
    {"from", "--from"},
    {"to", "--to"},
};

struct opts {
	const char *text[O__END - O_CUSTOMER]; /* argument of each option */
	bool set[O__END - O_CUSTOMER];	       /* option given */
	const char *id;			       /* positional ID */
};

#define OPT(o, x) ((o)->text[(x)-O_CUSTOMER])
#define HAS(o, x) ((o)->set[(x)-O_CUSTOMER])

static void queue_invites(struct cli_ctx *ctx, const struct opts *o, int64_t id,
			  bool follow, enum cal_method method);

static const char *const verb_names[V__MAX] = {
    [V_ADD] = "add",	   [V_MOVE] = "move",	    [V_COMPLETE] = "complete",
    [V_CANCEL] = "cancel", [V_NO_SHOW] = "no-show", [V_SHOW] = "show",
    [V_LIST] = "list",
};

/* Print 'err', naming the option behind its field; returns EXIT_FAIL. */
static int
fail(const struct av_error *err)
{
	for (size_t i = 0; i < sizeof(field_opts) / sizeof(field_opts[0]); i++)
		if (err->field[0] &&
		    strcmp(err->field, field_opts[i].field) == 0)
			return cli_errorf(EXIT_FAIL, "%s (%s)", err->msg,
					  field_opts[i].option);
	return cli_fail(err);
}

/* Parse argv of 'verb' into 'o'; -1 after printing a usage error. */
static int
parse(int argc, char **argv, enum verb verb, struct opts *o)
{
	int c;
	bool needs_id = verb != V_ADD && verb != V_LIST;

	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == ':')
			return cli_errorf(-1, "option '%s' needs a value",
					  argv[optind - 1]);
		if (c < O_CUSTOMER || c >= O__END)
			return cli_errorf(-1, "unknown option '%s'",
					  argv[optind - 1]);
		if (!(opt_verbs[c - O_CUSTOMER] & B(verb)))
			return cli_errorf(-1,
					  "option '%s' does not apply to "
					  "'appointment %s'",
					  argv[optind - 1], verb_names[verb]);
		o->text[c - O_CUSTOMER] = optarg;
		o->set[c - O_CUSTOMER] = true;
	}
	if (needs_id) {
		if (optind >= argc)
			return cli_errorf(-1,
					  "'appointment %s' needs the "
					  "appointment ID",
					  verb_names[verb]);
		o->id = argv[optind++];
	}
	if (optind < argc)
		return cli_errorf(-1, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Options a verb cannot do without: usage error naming the first. */
static int
require(const struct opts *o, const int *need, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!o->set[need[i] - O_CUSTOMER] ||
		    !o->text[need[i] - O_CUSTOMER] ||
		    !*o->text[need[i] - O_CUSTOMER])
			return cli_errorf(-1, "--%s is required",
					  opts[need[i] - O_CUSTOMER].name);
	return 0;
}

/* The acting user's zone for printing. */
static const char *
view_zone(const struct user *me)
{
	return me->time_zone && tz_valid(me->time_zone) ? me->time_zone : "UTC";
}

/* "2025-03-30" and "09:00-10:00" (or "all day") of an instance. */
static void
local_when(struct arena *a, const char *zone, const struct appointment *p,
	   int64_t start, int64_t end, const char **date, const char **times)
{
	struct tz_local s, e;

	if (tz_utc_to_local(zone, start, &s, NULL, NULL) ||
	    tz_utc_to_local(zone, end, &e, NULL, NULL)) {
		*date = "?";
		*times = "?";
		return;
	}
	*date = arena_printf(a, "%04d-%02d-%02d", s.year, s.month, s.day);
	if (p->all_day)
		*times = "all day";
	else
		*times = arena_printf(a, "%02d:%02d-%02d:%02d", s.hour,
				      s.minute, e.hour, e.minute);
}

/* One line: date, start-end, status, type, customer, subject, id. */
static void
print_occurrence(struct cli_ctx *ctx, const char *zone,
		 const struct appointment *p, int64_t start, int64_t end)
{
	const char *row[7];

	local_when(&ctx->arena, zone, p, start, end, &row[0], &row[1]);
	row[2] = appt_status_name(p->status);
	row[3] = p->type;
	row[4] = p->customer_name;
	row[5] = p->subject;
	row[6] = arena_printf(&ctx->arena, "%lld", (long long)p->id);
	cli_print_row(7, row);
}

/* Parse a time option in 'zone' and say on stderr when it was adjusted. */
static enum av_err
parse_time(struct cli_ctx *ctx, const char *text, const char *field,
	   const char *zone, int64_t *out, struct av_error *err)
{
	enum tz_adjust how;
	const char *note;
	enum av_err rc = tz_parse_instant(text, field, zone, out, &how, err);

	if (rc)
		return rc;
	note =
	    appt_adjust_note(&ctx->arena, text, zone, *out, how, "booked at");
	if (note)
		cli_errorf(0, "%s", note);
	return AV_OK;
}

/* A local date "YYYY-MM-DD" in 'zone' to its first instant. */
static enum av_err
parse_day(const char *text, const char *field, const char *zone, int64_t *out,
	  struct av_error *err)
{
	struct tz_local l;

	if (strlen(text) != 10 || tz_parse_local(text, field, &l, NULL))
		return av_field_errorf(err, AV_EINVAL, field,
				       "an all-day appointment takes a date "
				       "(YYYY-MM-DD)");
	return tz_day_start(zone, l.year, l.month, l.day, out, err);
}

/* --duration in minutes. */
static enum av_err
parse_minutes(const char *text, int64_t *out, struct av_error *err)
{
	if (!str_to_i64(text, 1, APPT_MAX_DURATION_S / 60, out))
		return av_field_errorf(err, AV_EINVAL, "duration",
				       "--duration must be 1..44640 minutes");
	*out *= 60;
	return AV_OK;
}

/* A positive id argument. */
static enum av_err
parse_id(const char *text, const char *field, int64_t *out,
	 struct av_error *err)
{
	if (!str_to_i64(text, 1, INT64_MAX, out))
		return av_field_errorf(err, AV_EINVAL, field,
				       "'%s' is not an id", text);
	return AV_OK;
}

/* The refusal of an overlapping booking: the appointments in the way. */
static int
print_conflicts(struct cli_ctx *ctx, const char *zone,
		const struct conflicts *c, const struct av_error *err)
{
	if (err->code != AV_ECONFLICT || c->n == 0)
		return fail(err);
	cli_errorf(EXIT_FAIL, "%s", err->msg);
	for (size_t i = 0; i < c->n; i++) {
		const struct appointment *p = c->v[i].appt;
		const char *date, *times;

		local_when(&ctx->arena, zone, p, c->v[i].start_utc,
			   c->v[i].end_utc, &date, &times);
		cli_errorf(0, "  %lld  %s %s  %s  %s", (long long)p->id, date,
			   times, p->customer_name ? p->customer_name : "-",
			   p->subject ? p->subject : "");
	}
	return cli_errorf(EXIT_FAIL, "use --force to book it anyway");
}

/* Print the stored appointment 'id' (a row, or JSON). */
static int
print_result(struct cli_ctx *ctx, const char *zone, int64_t id,
	     json_t **json_out)
{
	struct appointment p;
	struct av_error err = {0};

	if (store_appt_get(ctx->store, id, &ctx->arena, &p, &err))
		return fail(&err);
	if (json_out)
		*json_out = appt_to_json(&p, p.start_utc, p.end_utc,
					 p.parent_id ? p.recurrence_id : 0);
	else if (ctx->json)
		cli_print_json(appt_to_json(&p, p.start_utc, p.end_utc,
					    p.parent_id ? p.recurrence_id : 0));
	else
		print_occurrence(ctx, zone, &p, p.start_utc, p.end_utc);
	return EXIT_OK;
}

/* 'text' cut to at most 'max' bytes on a UTF-8 boundary. */
static const char *
cut_utf8(struct arena *a, const char *text, size_t max)
{
	size_t len = strlen(text);

	if (len <= max)
		return text;
	len = max;
	while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
		len--;
	return arena_strndup(a, text, len);
}

/* "Meeting with Ærø Bygg AS". */
static const char *
default_subject(struct arena *a, const char *type, const char *customer)
{
	char *t =
	    arena_printf(a, "%s with %s", type ? type : "meeting", customer);

	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

static int
appointment_add(struct opts *o, struct cli_ctx *ctx, const struct user *me)
{
	static const int need[] = {O_CUSTOMER, O_START};
	struct appointment p = {.reminder_minutes = -1};
	struct customer c;
	struct user owner;
	struct conflicts conf = {0};
	struct av_error err = {0};
	const char *zone;

	if (require(o, need, 2))
		return EXIT_USAGE;
	if (!HAS(o, O_DURATION) && !HAS(o, O_END))
		return cli_errorf(EXIT_USAGE,
				  "give --duration MINUTES or --end");
	if (HAS(o, O_DURATION) && HAS(o, O_END))
		return cli_errorf(EXIT_USAGE,
				  "give --duration or --end, not both");
	if (cli_find_customer(ctx, OPT(o, O_CUSTOMER), &c, &err))
		return fail(&err);
	p.customer_id = c.id;
	p.owner_id = me->id;
	if (HAS(o, O_OWNER) &&
	    cli_find_user(ctx, OPT(o, O_OWNER), &p.owner_id, &err))
		return fail(&err);
	if (store_user_get(ctx->store, p.owner_id, &ctx->arena, &owner, &err))
		return fail(&err);
	zone = HAS(o, O_TZ) ? OPT(o, O_TZ) : owner.time_zone;
	if (!zone || !tz_valid(zone))
		return cli_errorf(EXIT_FAIL,
				  "'%s' is not a known IANA zone "
				  "(--tz)",
				  zone ? zone : "");
	p.time_zone = zone;
	if (HAS(o, O_CONTACT) &&
	    parse_id(OPT(o, O_CONTACT), "contact_id", &p.contact_id, &err))
		return fail(&err);
	if (HAS(o, O_CHANNEL) &&
	    !appt_channel_parse(OPT(o, O_CHANNEL), &p.channel))
		return cli_errorf(EXIT_FAIL,
				  "--channel must be phone, video or "
				  "in_person");
	p.type = OPT(o, O_TYPE);
	p.video_url = OPT(o, O_LINK);
	p.location = OPT(o, O_LOCATION);
	p.subject = OPT(o, O_SUBJECT);
	p.notes = OPT(o, O_NOTES);
	p.rrule = OPT(o, O_REPEAT);
	if (!p.subject || !*p.subject)
		p.subject = default_subject(&ctx->arena, p.type, c.name);
	if (parse_time(ctx, OPT(o, O_START), "start", zone, &p.start_utc, &err))
		return fail(&err);
	if (HAS(o, O_END)) {
		if (parse_time(ctx, OPT(o, O_END), "end", zone, &p.end_utc,
			       &err))
			return fail(&err);
	} else {
		int64_t d;
		if (parse_minutes(OPT(o, O_DURATION), &d, &err))
			return fail(&err);
		p.end_utc = p.start_utc + d;
	}
	if (appt_book(ctx->store, &p, HAS(o, O_FORCE), me->id, &ctx->arena,
		      &conf, &err))
		return print_conflicts(ctx, view_zone(me), &conf, &err);
	queue_invites(ctx, o, p.id, false, CAL_METHOD_REQUEST);
	return print_result(ctx, view_zone(me), p.id, NULL);
}

/* Queue invitation mail for row 'id': asked with --invite, or ('follow')
 * for an appointment invited before, unless --no-invite. The change is
 * stored already, so a failure here is only reported. */
static void
queue_invites(struct cli_ctx *ctx, const struct opts *o, int64_t id,
	      bool follow, enum cal_method method)
{
	struct appointment p;
	struct av_error err = {0};
	size_t n = 0;

	if (HAS(o, O_NO_INVITE))
		return;
	if (!HAS(o, O_INVITE) &&
	    (!follow || store_appt_get(ctx->store, id, &ctx->arena, &p, &err) ||
	     !invite_has_attendees(ctx->store, &p)))
		return;
	if (invite_queue(ctx->store, id, method, &n, &err))
		cli_errorf(EXIT_FAIL, "the invitation was not queued: %s",
			   err.msg);
	else
		fprintf(stderr, "avtale: %s queued for %zu attendee%s\n",
			method == CAL_METHOD_CANCEL ? "cancellation"
						    : "invitation",
			n, n == 1 ? "" : "s");
}

/* An instance named by --occurrence, in 'zone'; 0 when absent. */
static enum av_err
occurrence_of(const struct opts *o, const char *zone, int64_t *out,
	      struct av_error *err)
{
	*out = 0;
	if (!HAS(o, O_OCCURRENCE))
		return AV_OK;
	return tz_parse_instant(OPT(o, O_OCCURRENCE), "occurrence", zone, out,
				NULL, err);
}

/* The appointment named by the ID argument. */
static enum av_err
load(struct cli_ctx *ctx, const struct opts *o, struct appointment *m,
     struct av_error *err)
{
	int64_t id;

	if (parse_id(o->id, "id", &id, err))
		return err->code;
	return store_appt_get(ctx->store, id, &ctx->arena, m, err);
}

static int
appointment_move(struct opts *o, struct cli_ctx *ctx, const struct user *me)
{
	struct appt_patch patch = {0};
	struct appointment m;
	struct conflicts conf = {0};
	struct av_error err = {0};
	enum appt_target target = TARGET_ALL;
	int64_t occurrence, version = 0, result, base;
	const char *zone;

	if (!HAS(o, O_START) && !HAS(o, O_END) && !HAS(o, O_DURATION))
		return cli_errorf(EXIT_USAGE,
				  "--start is required (or --end or "
				  "--duration to change the length)");
	if (HAS(o, O_DURATION) && HAS(o, O_END))
		return cli_errorf(EXIT_USAGE,
				  "give --duration or --end, not both");
	if (HAS(o, O_FOLLOWING) && !HAS(o, O_OCCURRENCE))
		return cli_errorf(EXIT_USAGE, "--following needs --occurrence");
	if (load(ctx, o, &m, &err))
		return fail(&err);
	zone = HAS(o, O_TZ) ? OPT(o, O_TZ) : m.time_zone;
	if (!tz_valid(zone))
		return cli_errorf(EXIT_FAIL,
				  "'%s' is not a known IANA zone (--tz)", zone);
	if (HAS(o, O_TZ)) {
		patch.set |= AF_TIME_ZONE;
		patch.v.time_zone = zone;
	}
	if (occurrence_of(o, m.time_zone, &occurrence, &err))
		return fail(&err);
	if (HAS(o, O_IF_VERSION) &&
	    !str_to_i64(OPT(o, O_IF_VERSION), 1, INT64_MAX, &version))
		return cli_errorf(EXIT_USAGE,
				  "--if-version must be a positive integer");
	if (occurrence)
		target = HAS(o, O_FOLLOWING) ? TARGET_FOLLOWING : TARGET_ONE;
	base = occurrence ? occurrence : m.start_utc;
	if (HAS(o, O_START)) {
		if (m.all_day ? parse_day(OPT(o, O_START), "start", zone,
					  &patch.v.start_utc, &err)
			      : parse_time(ctx, OPT(o, O_START), "start", zone,
					   &patch.v.start_utc, &err))
			return fail(&err);
		patch.set |= AF_START;
		base = patch.v.start_utc;
	}
	if (HAS(o, O_END)) {
		if (m.all_day ? parse_day(OPT(o, O_END), "end", zone,
					  &patch.v.end_utc, &err)
			      : parse_time(ctx, OPT(o, O_END), "end", zone,
					   &patch.v.end_utc, &err))
			return fail(&err);
		patch.set |= AF_END;
	} else if (HAS(o, O_DURATION)) {
		int64_t d;
		if (parse_minutes(OPT(o, O_DURATION), &d, &err))
			return fail(&err);
		patch.v.end_utc = base + d;
		patch.set |= AF_END;
	}
	if (appt_change(ctx->store, m.id, &patch, target, occurrence, version,
			HAS(o, O_FORCE), me->id, &ctx->arena, &conf, &result,
			&err))
		return print_conflicts(ctx, view_zone(me), &conf, &err);
	queue_invites(ctx, o, result, true, CAL_METHOD_REQUEST);
	return print_result(ctx, view_zone(me), result, NULL);
}

static int
appointment_complete(struct opts *o, struct cli_ctx *ctx, const struct user *me)
{
	static const int need[] = {O_OUTCOME};
	struct appointment m, f;
	struct completion c = {0};
	struct conflicts conf = {0};
	struct av_error err = {0};
	int64_t occurrence, version = 0, result;
	json_t *done = NULL, *next = NULL;
	int rc;

	if (require(o, need, 1))
		return EXIT_USAGE;
	if (HAS(o, O_DURATION) && !HAS(o, O_FOLLOW_UP))
		return cli_errorf(EXIT_USAGE,
				  "--duration goes with --follow-up");
	if (load(ctx, o, &m, &err) ||
	    occurrence_of(o, m.time_zone, &occurrence, &err))
		return fail(&err);
	if (HAS(o, O_IF_VERSION) &&
	    !str_to_i64(OPT(o, O_IF_VERSION), 1, INT64_MAX, &version))
		return cli_errorf(EXIT_USAGE,
				  "--if-version must be a positive integer");
	c.outcome = OPT(o, O_OUTCOME);
	c.note = OPT(o, O_NOTE);
	if (HAS(o, O_FOLLOW_UP)) {
		struct user owner;
		const char *zone;
		int64_t d = m.end_utc - m.start_utc;

		if (store_user_get(ctx->store, m.owner_id, &ctx->arena, &owner,
				   &err))
			return fail(&err);
		zone = HAS(o, O_TZ) ? OPT(o, O_TZ) : owner.time_zone;
		if (!zone || !tz_valid(zone))
			return cli_errorf(EXIT_FAIL,
					  "'%s' is not a known IANA zone "
					  "(--tz)",
					  zone ? zone : "");
		f = (struct appointment){
		    .customer_id = m.customer_id,
		    .contact_id = m.contact_id,
		    .owner_id = m.owner_id,
		    .time_zone = zone,
		    .type = "follow-up",
		    .channel = m.channel,
		    .location = m.location,
		    .video_url = m.video_url,
		    .reminder_minutes = m.reminder_minutes,
		    .subject =
			cut_utf8(&ctx->arena,
				 arena_printf(&ctx->arena, "Follow-up: %s",
					      m.subject ? m.subject : ""),
				 APPT_SUBJECT_MAX),
		};
		if (m.all_day)
			d = 3600;
		if (HAS(o, O_DURATION) &&
		    parse_minutes(OPT(o, O_DURATION), &d, &err))
			return fail(&err);
		if (parse_time(ctx, OPT(o, O_FOLLOW_UP), "start", zone,
			       &f.start_utc, &err))
			return fail(&err);
		f.end_utc = f.start_utc + d;
		c.follow_up = &f;
	}
	if (appt_complete(ctx->store, m.id, occurrence, &c, version,
			  HAS(o, O_FORCE), me->id, &ctx->arena, &conf, &result,
			  &err)) {
		if (c.follow_up && err.code == AV_EINVAL &&
		    strcmp(err.field, "start") == 0)
			return cli_errorf(EXIT_FAIL, "%s (--follow-up)",
					  err.msg);
		return print_conflicts(ctx, view_zone(me), &conf, &err);
	}
	if (!ctx->json) {
		rc = print_result(ctx, view_zone(me), result, NULL);
		if (!rc && c.follow_up)
			rc = print_result(ctx, view_zone(me), f.id, NULL);
		return rc;
	}
	rc = print_result(ctx, view_zone(me), result, &done);
	if (!rc && c.follow_up)
		rc = print_result(ctx, view_zone(me), f.id, &next);
	if (rc) {
		json_decref(done);
		json_decref(next);
		return rc;
	}
	if (next)
		json_object_set_new(done, "follow_up", next);
	cli_print_json(done);
	return EXIT_OK;
}

static int
appointment_state(struct opts *o, struct cli_ctx *ctx, const struct user *me,
		  enum verb verb)
{
	static const int need[] = {O_REASON};
	struct appointment m;
	struct av_error err = {0};
	int64_t occurrence, version = 0, result;
	enum av_err rc;

	if (verb == V_CANCEL && require(o, need, 1))
		return EXIT_USAGE;
	if (load(ctx, o, &m, &err) ||
	    occurrence_of(o, m.time_zone, &occurrence, &err))
		return fail(&err);
	if (HAS(o, O_IF_VERSION) &&
	    !str_to_i64(OPT(o, O_IF_VERSION), 1, INT64_MAX, &version))
		return cli_errorf(EXIT_USAGE,
				  "--if-version must be a positive integer");
	if (verb == V_CANCEL)
		rc = appt_cancel(ctx->store, m.id, occurrence, OPT(o, O_REASON),
				 version, me->id, &ctx->arena, &result, &err);
	else
		rc = appt_no_show(ctx->store, m.id, occurrence, version, me->id,
				  &ctx->arena, &result, &err);
	if (rc)
		return fail(&err);
	if (verb == V_CANCEL)
		queue_invites(ctx, o, result, true, CAL_METHOD_CANCEL);
	return print_result(ctx, view_zone(me), result, NULL);
}

static void
show_field(const char *label, const char *value)
{
	if (value && *value)
		printf("%-16s %s\n", label, value);
}

static int
appointment_show(struct opts *o, struct cli_ctx *ctx, const struct user *me)
{
	struct appointment p;
	struct av_error err = {0};
	struct arena *a = &ctx->arena;
	const char *date, *times;
	char start[TZ_RFC3339_SIZE], end[TZ_RFC3339_SIZE];

	if (load(ctx, o, &p, &err))
		return fail(&err);
	if (ctx->json) {
		cli_print_json(appt_to_json(&p, p.start_utc, p.end_utc,
					    p.parent_id ? p.recurrence_id : 0));
		return EXIT_OK;
	}
	local_when(a, view_zone(me), &p, p.start_utc, p.end_utc, &date, &times);
	tz_format_rfc3339(p.time_zone, p.start_utc, start, sizeof(start));
	tz_format_rfc3339(p.time_zone, p.end_utc, end, sizeof(end));
	printf("%s  %s %s  (%s)\n", p.subject, date, times,
	       appt_status_name(p.status));
	show_field("id", arena_printf(a, "%lld", (long long)p.id));
	show_field("start", start);
	show_field("end", end);
	show_field("time zone", p.time_zone);
	if (p.customer_id)
		show_field(
		    "customer",
		    arena_printf(a, "%s  %s (id %lld)",
				 p.customer_number ? p.customer_number : "",
				 p.customer_name ? p.customer_name : "",
				 (long long)p.customer_id));
	show_field("contact", p.contact_name);
	show_field("owner", p.owner);
	show_field("type", p.type);
	show_field("channel", appt_channel_name(p.channel));
	show_field("location", p.location);
	show_field("link", p.video_url);
	show_field("repeats", p.rrule);
	if (p.parent_id)
		show_field("series",
			   arena_printf(a, "%lld", (long long)p.parent_id));
	show_field("outcome", p.outcome);
	show_field("outcome note", p.outcome_note);
	show_field("cancel reason", p.cancel_reason);
	if (p.follow_up_of)
		show_field("follow-up of",
			   arena_printf(a, "%lld", (long long)p.follow_up_of));
	show_field(
	    "rescheduled",
	    p.reschedule_count
		? arena_printf(a, "%lld times", (long long)p.reschedule_count)
		: NULL);
	show_field("version", arena_printf(a, "%lld", (long long)p.version));
	show_field("notes", p.notes);
	return EXIT_OK;
}

static int
appointment_list(struct opts *o, struct cli_ctx *ctx, const struct user *me)
{
	static const int need[] = {O_FROM, O_TO};
	struct occurrence *v;
	struct av_error err = {0};
	enum appt_scope scope = SCOPE_OWNER;
	const char *zone = view_zone(me);
	int64_t from, to, key = me->id;
	size_t n;

	if (require(o, need, 2))
		return EXIT_USAGE;
	if (HAS(o, O_CUSTOMER) && (HAS(o, O_OWNER) || HAS(o, O_CUSTOMERS)))
		return cli_errorf(EXIT_USAGE, "--customer goes without --owner "
					      "and --customers");
	if (tz_parse_instant(OPT(o, O_FROM), "from", zone, &from, NULL, &err) ||
	    tz_parse_instant(OPT(o, O_TO), "to", zone, &to, NULL, &err))
		return fail(&err);
	if (to <= from)
		return cli_errorf(EXIT_FAIL, "--to must be after --from");
	if (to - from > 366 * 86400)
		return cli_errorf(EXIT_FAIL,
				  "the range is at most 366 days (--to)");
	if (HAS(o, O_CUSTOMER)) {
		struct customer c;
		if (cli_find_customer(ctx, OPT(o, O_CUSTOMER), &c, &err))
			return fail(&err);
		key = c.id;
		scope = SCOPE_CUSTOMER;
	} else {
		if (HAS(o, O_OWNER) &&
		    cli_find_user(ctx, OPT(o, O_OWNER), &key, &err))
			return fail(&err);
		if (HAS(o, O_CUSTOMERS))
			scope = SCOPE_CUSTOMER_OWNER;
	}
	if (appt_occurrences(ctx->store, scope, key, from, to, OCC_MAX,
			     &ctx->arena, &v, &n, &err))
		return fail(&err);
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
			    arr,
			    appt_to_json(v[i].appt, v[i].start_utc,
					 v[i].end_utc, v[i].recurrence_id));
		cli_print_json(arr);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		print_occurrence(ctx, zone, v[i].appt, v[i].start_utc,
				 v[i].end_utc);
	return EXIT_OK;
}

int
cmd_appointment(int argc, char **argv, struct cli_ctx *ctx)
{
	const struct user *me;
	struct opts o;
	int verb;

	if (argc < 2)
		return cli_usage(usage, true, EXIT_USAGE);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return cli_usage(usage, false, EXIT_OK);
	for (verb = 0; verb < V__MAX; verb++)
		if (strcmp(argv[1], verb_names[verb]) == 0)
			break;
	if (verb == V__MAX)
		return cli_errorf(EXIT_USAGE, "unknown verb 'appointment %s'",
				  argv[1]);
	if (cli_wants_help(argc - 1, argv + 1))
		return cli_usage(usage, false, EXIT_OK);
	if (parse(argc - 1, argv + 1, (enum verb)verb, &o))
		return EXIT_USAGE;
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	switch ((enum verb)verb) {
	case V_ADD:
		return appointment_add(&o, ctx, me);
	case V_MOVE:
		return appointment_move(&o, ctx, me);
	case V_COMPLETE:
		return appointment_complete(&o, ctx, me);
	case V_CANCEL:
	case V_NO_SHOW:
		return appointment_state(&o, ctx, me, (enum verb)verb);
	case V_SHOW:
		return appointment_show(&o, ctx, me);
	case V_LIST:
	case V__MAX:
		break;
	}
	return appointment_list(&o, ctx, me);
}
