/* SPDX-License-Identifier: MIT */
/*
 * `avtale calendar`: a week grid (or month of week grids), a day or an
 * agenda on the terminal, or the API's JSON with --json. The calendar itself
 * comes from service/calendar.c; this file only parses options and lays
 * text out in display columns (UTF-8 aware, cut with "…").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/str.h"
#include "core/tz.h"
#include "service/calendar.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale calendar [--day|--week|--month|--agenda] [--date DATE]",
    "           [--from WHEN --to WHEN] [--owner EMAIL] [--mine|--customers]",
    "           [--team TERRITORY] [--type T] [--channel C] [--status S]",
    "           [--territory T] [--tz ZONE] [--json]",
    "",
    "Shows appointments held by the owner (default: you) and appointments",
    "with customers the owner owns, whoever holds them; --mine keeps only",
    "those held, --customers only those with the owner's customers, --team",
    "those held by the users of a territory. --type, --channel and --status",
    "take comma lists; --territory keeps customers of that territory.",
    "Days are local days in --tz (default your zone); --date picks the",
    "day, week or month (default today); --agenda shows 7 days from --date.",
    "The default is a week grid; --json prints the API's calendar.",
    NULL,
};

enum opt {
	O_DAY = 256,
	O_WEEK,
	O_MONTH,
	O_AGENDA,
	O_DATE,
	O_FROM,
	O_TO,
	O_OWNER,
	O_MINE,
	O_CUSTOMERS,
	O_TEAM,
	O_TYPE,
	O_CHANNEL,
	O_STATUS,
	O_TERRITORY,
	O_TZ,
	O__END
};

static const struct option opts[] = {
    {"day", no_argument, NULL, O_DAY},
    {"week", no_argument, NULL, O_WEEK},
    {"month", no_argument, NULL, O_MONTH},
    {"agenda", no_argument, NULL, O_AGENDA},
    {"date", required_argument, NULL, O_DATE},
    {"from", required_argument, NULL, O_FROM},
    {"to", required_argument, NULL, O_TO},
    {"owner", required_argument, NULL, O_OWNER},
    {"mine", no_argument, NULL, O_MINE},
    {"customers", no_argument, NULL, O_CUSTOMERS},
    {"team", required_argument, NULL, O_TEAM},
    {"type", required_argument, NULL, O_TYPE},
    {"channel", required_argument, NULL, O_CHANNEL},
    {"status", required_argument, NULL, O_STATUS},
    {"territory", required_argument, NULL, O_TERRITORY},
    {"tz", required_argument, NULL, O_TZ},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

_Static_assert(sizeof(opts) / sizeof(opts[0]) == O__END - O_DAY + 2,
	       "opts[] in enum opt order");

#define OPT(x) (text[(x)-O_DAY])

static const char *const wday_names[8] = {"",	 "Mon", "Tue", "Wed",
					  "Thu", "Fri", "Sat", "Sun"};

enum { GRID_MIN = 80, GRID_MAX = 400 };

/* Display columns of UTF-8 'p' (each code point counts one). */
static size_t
disp_width(const char *p)
{
	size_t n = 0;

	for (; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * 'text' in exactly 'w' display columns: control bytes become spaces, a
 * longer text is cut on a code point boundary and ends with "…".
 */
static const char *
fit(struct arena *a, const char *text, size_t w)
{
	size_t len = strlen(text), cols = 0, i = 0, keep;
	char *out = arena_alloc(a, len + w + 4);
	size_t o = 0;
	bool cut = disp_width(text) > w;

	keep = cut ? (w ? w - 1 : 0) : w;
	while (text[i]) {
		unsigned char c = (unsigned char)text[i];
		size_t n = 1;
		while (((unsigned char)text[i + n] & 0xC0) == 0x80)
			n++;
		if (cols == keep)
			break;
		if (c < 0x20 || c == 0x7F) {
			out[o++] = ' ';
		} else {
			memcpy(out + o, text + i, n);
			o += n;
		}
		i += n;
		cols++;
	}
	if (cut && w) {
		memcpy(out + o, "\xE2\x80\xA6", 3);
		o += 3;
		cols++;
	}
	while (cols < w) {
		out[o++] = ' ';
		cols++;
	}
	out[o] = '\0';
	return out;
}

/* Terminal width for the grid. */
static size_t
term_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int64_t n;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		n = ws.ws_col;
	else if (!env || !str_to_i64(env, 1, 10000, &n))
		n = GRID_MIN;
	if (n < GRID_MIN)
		n = GRID_MIN;
	if (n > GRID_MAX)
		n = GRID_MAX;
	return (size_t)n;
}

/* "HH:MM" of 'utc' in 'zone'. */
static const char *
hhmm(struct arena *a, const char *zone, int64_t utc)
{
	struct tz_local l;

	if (tz_utc_to_local(zone, utc, &l, NULL, NULL))
		return "??:??";
	return arena_printf(a, "%02d:%02d", l.hour, l.minute);
}

/* The start shown for an item on its day. */
static const char *
item_time(struct arena *a, const char *zone, const struct cal_item *it)
{
	if (it->occ->appt->all_day)
		return "all  ";
	if (it->continued)
		return "cont.";
	return hhmm(a, zone, it->occ->start_utc);
}

/* Lines of one day's column: "HH:MM subject", then the customer. */
static size_t
day_lines(struct arena *a, const char *zone, const struct cal_day *d, size_t w,
	  const char ***out)
{
	const char **v = arena_alloc(a, (2 * d->n_items + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t k = 0; k < d->n_items; k++) {
		const struct appointment *p = d->items[k].occ->appt;
		v[n++] = fit(a,
			     arena_printf(a, "%s %s",
					  item_time(a, zone, &d->items[k]),
					  p->subject ? p->subject : ""),
			     w);
		if (p->customer_name)
			v[n++] =
			    fit(a, arena_printf(a, " %s", p->customer_name), w);
	}
	*out = v;
	return n;
}

/* Print a grid cell and its separator; the last one without padding. */
static void
put_cell(const char *cell, int col)
{
	size_t len = strlen(cell);

	if (col == 6)
		while (len > 0 && cell[len - 1] == ' ')
			len--;
	fwrite(cell, 1, len, stdout);
	fputc(col < 6 ? ' ' : '\n', stdout);
}

/* One grid of up to seven days; slot i is weekday i+1, NULL if absent. */
static void
print_grid(struct arena *a, const char *zone, const struct cal_day *slot[7],
	   size_t width)
{
	size_t w = (width - 6) / 7, rows = 0, n[7];
	const char **lines[7];

	for (int i = 0; i < 7; i++) {
		const struct cal_day *d = slot[i];
		const char *head =
		    d ? arena_printf(a, "%s %02d.%02d", wday_names[i + 1],
				     d->day, d->month)
		      : "";
		put_cell(fit(a, head, w), i);
		n[i] = d ? day_lines(a, zone, d, w, &lines[i]) : 0;
		if (n[i] > rows)
			rows = n[i];
	}
	for (int i = 0; i < 7; i++) {
		for (size_t k = 0; k < w; k++)
			fputc('-', stdout);
		fputs(i < 6 ? " " : "\n", stdout);
	}
	for (size_t r = 0; r < rows; r++) {
		for (int i = 0; i < 7; i++) {
			put_cell(r < n[i] ? lines[i][r] : fit(a, "", w), i);
		}
	}
}

static void
print_grids(struct arena *a, const struct calendar *c)
{
	size_t width = term_width();
	const struct cal_day *slot[7] = {0};
	int iso_year, week = 0;
	bool any = false;

	for (size_t i = 0; i < c->n_days; i++) {
		const struct cal_day *d = &c->days[i];
		int wk = tz_iso_week(d->year, d->month, d->day, &iso_year);
		if (any && wk != week) {
			print_grid(a, c->zone, slot, width);
			fputc('\n', stdout);
			memset(slot, 0, sizeof(slot));
		}
		if (!any || wk != week)
			printf("Week %d, %d (%s)\n", wk, iso_year, c->zone);
		week = wk;
		any = true;
		slot[d->weekday - 1] = d;
	}
	if (any)
		print_grid(a, c->zone, slot, width);
}

/* Agenda: one block per day, one line per item. */
static void
print_agenda(struct arena *a, const struct calendar *c)
{
	bool first = true;

	for (size_t i = 0; i < c->n_days; i++) {
		const struct cal_day *d = &c->days[i];
		if (c->view == CAL_AGENDA && d->n_items == 0)
			continue;
		if (!first)
			fputc('\n', stdout);
		first = false;
		printf("%s %04d-%02d-%02d\n", wday_names[d->weekday], d->year,
		       d->month, d->day);
		if (d->n_items == 0)
			printf("  (nothing)\n");
		for (size_t k = 0; k < d->n_items; k++) {
			const struct cal_item *it = &d->items[k];
			const struct appointment *p = it->occ->appt;
			const char *times =
			    p->all_day
				? "all day    "
				: arena_printf(
				      a, "%s-%s",
				      it->continued ? "cont."
						    : hhmm(a, c->zone,
							   it->occ->start_utc),
				      it->continues
					  ? "cont."
					  : hhmm(a, c->zone, it->occ->end_utc));
			printf("  %s  %s  %s  %s  %s\n", times,
			       fit(a, p->type ? p->type : "", 10),
			       fit(a, p->customer_name ? p->customer_name : "-",
				   24),
			       fit(a, p->subject ? p->subject : "", 30),
			       appt_status_name(p->status));
		}
	}
}

int
cmd_calendar(int argc, char **argv, struct cli_ctx *ctx)
{
	const char *text[O__END - O_DAY] = {0};
	bool set[O__END - O_DAY] = {0};
	struct cal_query q = {0};
	struct calendar c;
	struct av_error err = {0};
	const struct user *me;
	int ch, views = 0;

	if (cli_wants_help(argc, argv))
		return cli_usage(usage, false, EXIT_OK);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (ch == ':')
			return cli_errorf(EXIT_USAGE,
					  "option '%s' needs a value",
					  argv[optind - 1]);
		if (ch < O_DAY || ch >= O__END)
			return cli_errorf(EXIT_USAGE, "unknown option '%s'",
					  argv[optind - 1]);
		text[ch - O_DAY] = optarg;
		set[ch - O_DAY] = true;
	}
	if (optind < argc)
		return cli_errorf(EXIT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	q.view = CAL_WEEK;
	for (int v = O_DAY; v <= O_AGENDA; v++)
		if (set[v - O_DAY]) {
			views++;
			q.view = (enum cal_view)(v - O_DAY);
		}
	if (views > 1)
		return cli_errorf(EXIT_USAGE, "give one of --day, --week, "
					      "--month and --agenda");
	if (set[O_FROM - O_DAY] != set[O_TO - O_DAY])
		return cli_errorf(EXIT_USAGE, "--from and --to go together");
	if (set[O_FROM - O_DAY] && set[O_DATE - O_DAY])
		return cli_errorf(EXIT_USAGE, "give --date or --from and --to, "
					      "not both");
	if (set[O_MINE - O_DAY] && set[O_CUSTOMERS - O_DAY])
		q.scope = CAL_SCOPE_BOTH;
	else if (set[O_MINE - O_DAY])
		q.scope = CAL_SCOPE_HELD;
	else if (set[O_CUSTOMERS - O_DAY])
		q.scope = CAL_SCOPE_CUSTOMERS;
	else
		q.scope = CAL_SCOPE_BOTH;
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	q.zone = OPT(O_TZ)
		     ? OPT(O_TZ)
		     : (me->time_zone && tz_valid(me->time_zone) ? me->time_zone
								 : "UTC");
	if (!tz_valid(q.zone))
		return cli_errorf(EXIT_FAIL, "unknown time zone '%s' (--tz)",
				  q.zone);
	q.owner_id = me->id;
	q.team_territory = me->territory_id;
	if (OPT(O_OWNER) && cli_find_user(ctx, OPT(O_OWNER), &q.owner_id, &err))
		return cli_fail(&err);
	if (OPT(O_OWNER)) {
		struct user u;
		if (store_user_get(ctx->store, q.owner_id, &ctx->arena, &u,
				   &err))
			return cli_fail(&err);
		q.team_territory = u.territory_id;
	}
	if (OPT(O_TEAM)) {
		if (cli_find_territory(ctx, OPT(O_TEAM), &q.team_territory,
				       &err))
			return cli_fail(&err);
		q.scope = CAL_SCOPE_TEAM;
	}
	if (OPT(O_TERRITORY) &&
	    cli_find_territory(ctx, OPT(O_TERRITORY), &q.territory_id, &err))
		return cli_fail(&err);
	if (OPT(O_DATE)) {
		struct tz_local l;
		if (tz_parse_local(OPT(O_DATE), "date", &l, &err))
			return cli_errorf(EXIT_FAIL, "%s (--date)", err.msg);
		q.year = l.year;
		q.month = l.month;
		q.day = l.day;
	}
	if (OPT(O_FROM)) {
		if (tz_parse_instant(OPT(O_FROM), "from", q.zone, &q.from, NULL,
				     &err) ||
		    tz_parse_instant(OPT(O_TO), "to", q.zone, &q.to, NULL,
				     &err))
			return cli_errorf(EXIT_FAIL, "%s (--%s)", err.msg,
					  err.field);
		if (q.to <= q.from)
			return cli_errorf(EXIT_FAIL,
					  "--to must be after --from");
	}
	q.types = OPT(O_TYPE);
	q.channels = OPT(O_CHANNEL);
	q.statuses = OPT(O_STATUS);
	if (!cli_store(ctx))
		return EXIT_FAIL;
	if (calendar_build(ctx->store, &q, &ctx->arena, &c, &err)) {
		if (err.field[0])
			return cli_errorf(EXIT_FAIL, "%s (--%s)", err.msg,
					  strcmp(err.field, "time_zone") == 0
					      ? "tz"
					      : err.field);
		return cli_fail(&err);
	}
	if (ctx->json) {
		cli_print_json(calendar_to_json(&c));
		return EXIT_OK;
	}
	if (q.view == CAL_WEEK || q.view == CAL_MONTH)
		print_grids(&ctx->arena, &c);
	else
		print_agenda(&ctx->arena, &c);
	return EXIT_OK;
}
