/* SPDX-License-Identifier: MIT */
/*
 * The command table, global options (--db, --as, --json, accepted anywhere
 * on the line) and the helpers every command shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/str.h"

#include "core/banned.h"

struct cmd {
	const char *name;    /* argv[1] */
	cmd_fn fn;	     /* the command */
	const char *summary; /* one line for `avtale help` */
};

static const struct cmd cmds[] = {
    {"init", cmd_init, "create or upgrade the database"},
    {"serve", cmd_serve, "run the web server (JSON API and web UI)"},
    {"search", cmd_search, "find customers by phone, number or name"},
    {"customer", cmd_customer, "add, list, show, update, rm customers"},
    {"contact", cmd_contact, "add, list, update, rm contacts of a customer"},
    {"appointment", cmd_appointment,
     "add, move, complete, cancel, show, list appointments"},
    {"calendar", cmd_calendar, "day, week, month or agenda of appointments"},
    {"report", cmd_report, "appointments report and contact rate"},
    {"territory", cmd_territory, "add and list territories"},
    {"user", cmd_user, "add, list, disable users; passwords, roles"},
    {"token", cmd_token, "API tokens for scripts"},
    {"audit", cmd_audit, "the audit log (admins)"},
    {"routes", cmd_routes, "the API routes and who may use them"},
    {"import", cmd_import, "import customers (CSV) or calendar files (ics)"},
    {"export", cmd_export, "export appointments as an iCalendar file"},
    {"feed", cmd_feed, "a user's calendar feed link: show, new, revoke"},
    {"demo", cmd_demo, "fill the database with a demo organisation"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "show help for a command"},
};

static const char *const main_usage_head[] = {
    "usage: avtale [--db PATH] [--as USER] [--json] <command> [<args>]",
    "",
    "Avtale tracks appointments with customers and prospects.",
    "",
    "Global options (accepted anywhere on the line):",
    "  --db PATH    database file (default $AVTALE_DB or ./avtale.db)",
    "  --as USER    act as this user (e-mail; default admin)",
    "  --json       machine-readable output on stdout",
    "",
    "Commands:",
    NULL,
};

static void
print_main_usage(FILE *f)
{
	for (const char *const *l = main_usage_head; *l; l++)
		fprintf(f, "%s\n", *l);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s   %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nRun 'avtale <command> --help' for its options.\n");
}

static const struct cmd *
find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

int
cli_errorf(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("avtale: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
cli_fail(const struct av_error *err)
{
	if (!err || !err->msg[0])
		return cli_errorf(EXIT_FAIL, "%s",
				  av_strerror(err ? err->code : AV_EINTERNAL));
	return cli_errorf(EXIT_FAIL, "%s", err->msg);
}

int
cli_usage(const char *const *lines, bool to_stderr, int code)
{
	FILE *f = to_stderr ? stderr : stdout;

	for (; *lines; lines++)
		fprintf(f, "%s\n", *lines);
	return code;
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

void
cli_print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
}

void
cli_print_row(int n, const char *const *fields)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc('\t', stdout);
		for (const char *p = fields[i] ? fields[i] : ""; *p; p++)
			fputc((*p == '\t' || *p == '\n' || *p == '\r') ? ' '
								       : *p,
			      stdout);
	}
	fputc('\n', stdout);
}

struct store *
cli_store(struct cli_ctx *ctx)
{
	struct av_error err = {0};

	if (ctx->store)
		return ctx->store;
	/* A mistyped --db must not quietly start an empty database. */
	if (!ctx->may_create && strcmp(ctx->db_path, ":memory:") != 0 &&
	    access(ctx->db_path, F_OK) != 0) {
		cli_errorf(EXIT_FAIL,
			   "no database at '%s'; create it with 'avtale init' "
			   "(or fill a new one with 'avtale demo')",
			   ctx->db_path);
		return NULL;
	}
	if (store_open(ctx->db_path, 0, &ctx->store, &err)) {
		cli_fail(&err);
		return NULL;
	}
	/* --as names a user who must exist, for reads as well as writes */
	if (ctx->as_user && !cli_actor(ctx)) {
		store_close(ctx->store);
		ctx->store = NULL;
		return NULL;
	}
	return ctx->store;
}

const struct user *
cli_actor(struct cli_ctx *ctx)
{
	struct av_error err = {0};
	struct store *s = cli_store(ctx);
	const char *who = ctx->as_user ? ctx->as_user : "admin";

	if (!s)
		return NULL;
	if (ctx->actor.id)
		return &ctx->actor;
	if (store_user_by_email(s, who, &ctx->arena, &ctx->actor, &err)) {
		if (err.code == AV_ENOTFOUND)
			cli_errorf(EXIT_FAIL, "user '%s' not found (--as)",
				   who);
		else
			cli_fail(&err);
		return NULL;
	}
	if (ctx->actor.disabled) {
		cli_errorf(EXIT_FAIL, "user '%s' is disabled", who);
		ctx->actor.id = 0;
		return NULL;
	}
	return &ctx->actor;
}

enum av_err
cli_find_customer(struct cli_ctx *ctx, const char *id_or_number,
		  struct customer *out, struct av_error *err)
{
	struct store *s = cli_store(ctx);
	struct customer by_id;
	int64_t id;
	bool is_id;
	enum av_err rc;

	if (!s)
		return av_errorf(err, AV_EDB, "no database");
	/* "#42" is always the id 42 */
	if (id_or_number[0] == '#') {
		if (!str_to_i64(id_or_number + 1, 1, INT64_MAX, &id))
			return av_errorf(err, AV_EINVAL,
					 "'%s' is not a customer id",
					 id_or_number);
		return store_customer_get(s, id, &ctx->arena, out, err);
	}
	/* A customer number wins over an id: numbers are what users see,
	 * but when both name different records, say so instead of
	 * guessing. */
	rc = store_customer_by_number(s, id_or_number, &ctx->arena, out, err);
	if (rc && rc != AV_ENOTFOUND)
		return rc;
	is_id = str_to_i64(id_or_number, 1, INT64_MAX, &id) &&
		store_customer_get(s, id, &ctx->arena, &by_id, NULL) == AV_OK;
	if (rc == AV_OK) {
		if (is_id && by_id.id != out->id)
			return av_errorf(
			    err, AV_EINVAL,
			    "'%s' is the customer number of %s and the "
			    "id of %s (number %s); write '#%s' "
			    "for the id",
			    id_or_number, out->name, by_id.name,
			    by_id.customer_number, id_or_number);
		return AV_OK;
	}
	if (is_id) {
		*out = by_id;
		av_error_clear(err);
		return AV_OK;
	}
	return av_errorf(err, AV_ENOTFOUND,
			 "no customer with id or number '%s'", id_or_number);
}

enum av_err
cli_find_territory(struct cli_ctx *ctx, const char *name, int64_t *id_out,
		   struct av_error *err)
{
	struct territory t;
	enum av_err rc;

	*id_out = 0;
	if (!cli_store(ctx))
		return av_errorf(err, AV_EDB, "no database");
	rc = store_territory_find(ctx->store, name, &ctx->arena, &t, err);
	if (!rc)
		*id_out = t.id;
	return rc;
}

enum av_err
cli_find_user(struct cli_ctx *ctx, const char *email, int64_t *id_out,
	      struct av_error *err)
{
	struct user u;
	enum av_err rc;

	*id_out = 0;
	if (!cli_store(ctx))
		return av_errorf(err, AV_EDB, "no database");
	rc = store_user_by_email(ctx->store, email, &ctx->arena, &u, err);
	if (rc == AV_ENOTFOUND)
		return av_errorf(err, rc, "user '%s' not found", email);
	if (!rc)
		*id_out = u.id;
	return rc;
}

/*
 * Take the global options out of argv wherever they stand, so that
 * `avtale search x --json` and `avtale --json search x` both work.
 * Returns -1 (after printing) on a missing value.
 */
static int
take_globals(int *argc, char **argv, struct cli_ctx *ctx)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--json") == 0) {
			ctx->json = true;
			continue;
		}
		if (strcmp(a, "--db") == 0 || strncmp(a, "--db=", 5) == 0)
			slot = &ctx->db_path;
		else if (strcmp(a, "--as") == 0 || strncmp(a, "--as=", 5) == 0)
			slot = &ctx->as_user;
		if (!slot) {
			argv[out++] = argv[i];
			continue;
		}
		if (a[4] == '=') {
			*slot = a + 5;
		} else if (i + 1 < *argc) {
			*slot = argv[++i];
		} else {
			cli_errorf(EXIT_USAGE, "option '%s' needs a value", a);
			return -1;
		}
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

int
cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
	const struct cmd *c;
	static char help_flag[] = "--help";
	char *hargv[3];

	(void)ctx;
	if (argc < 2) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	c = find_cmd(argv[1]);
	if (!c || c->fn == cmd_help)
		return cli_errorf(EXIT_USAGE, "'%s' is not an avtale command",
				  argv[1]);
	hargv[0] = argv[1];
	hargv[1] = help_flag;
	hargv[2] = NULL;
	return c->fn(2, hargv, ctx);
}

int
cmd_version(int argc, char **argv, struct cli_ctx *ctx)
{
	(void)argc;
	(void)argv;
	if (ctx->json) {
		json_t *o = json_object();
		json_object_set_new(o, "version", json_string(AVTALE_VERSION));
		json_object_set_new(o, "schema",
				    json_integer(store_schema_latest()));
		cli_print_json(o);
	} else {
		printf("avtale %s (schema %d)\n", AVTALE_VERSION,
		       store_schema_latest());
	}
	return EXIT_OK;
}

int
cli_main(int argc, char **argv)
{
	struct cli_ctx ctx = {0};
	const struct cmd *c;
	int rc;

	ctx.db_path = getenv("AVTALE_DB");
	if (!ctx.db_path || !*ctx.db_path)
		ctx.db_path = "avtale.db";
	if (take_globals(&argc, argv, &ctx))
		return EXIT_USAGE;
	if (argc < 2) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	c = find_cmd(strcmp(argv[1], "--version") == 0 ? "version" : argv[1]);
	if (!c) {
		cli_errorf(EXIT_USAGE,
			   "'%s' is not an avtale command; see "
			   "'avtale help'",
			   argv[1]);
		return EXIT_USAGE;
	}
	arena_init(&ctx.arena, 0);
	rc = c->fn(argc - 1, argv + 1, &ctx);
	store_close(ctx.store);
	arena_release(&ctx.arena);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_errorf(EXIT_FAIL, "writing output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return rc;
}

void
cli_progress(struct cli_bar *b, uint64_t done, uint64_t total, const char *unit)
{
	int pct = total ? (int)(done * 100 / total) : 100;
	int width = 30;
	int fill = pct * width / 100;

	if (pct == b->shown)
		return;
	b->shown = pct;
	fputs("\r  importing [", stderr);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3d%% %llu/%llu %s", pct, (unsigned long long)done,
		(unsigned long long)total, unit);
	fflush(stderr);
}
