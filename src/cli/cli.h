/* SPDX-License-Identifier: MIT */
/*
 * The command line: `avtale <command> [<verb>] [options]`. Every command is
 * one function in the table of cli.c; it parses its own options, calls the
 * service, store and domain modules directly (never the HTTP API) and
 * returns the exit status: 0 success, 1 failure, 2 usage. Primary output
 * goes to stdout (tab-separated, or JSON with --json); progress and errors
 * go to stderr as "avtale: <problem>".
 */
#ifndef AV_CLI_H
#define AV_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/model.h"
#include "store/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* What every command gets: global options and lazily opened resources. */
struct cli_ctx {
	const char *db_path; /* --db, AVTALE_DB, or ./avtale.db */
	const char *as_user; /* --as: e-mail (or "admin") of the actor */
	bool json;	     /* --json: machine-readable stdout */
	bool may_create;     /* the command may create a new database */
	struct store *store; /* owned; opened by cli_store() */
	struct user actor;   /* resolved by cli_actor() */
	struct arena arena;  /* owned: freed when the command returns */
};

typedef int (*cmd_fn)(int argc, char **argv, struct cli_ctx *ctx);

/* Entry point from main(): parses global options and dispatches. */
int cli_main(int argc, char **argv);

/* Open the database (creating/upgrading it); prints the error itself. */
struct store *cli_store(struct cli_ctx *ctx);
/* The acting user (--as, default admin); NULL after printing an error. */
const struct user *cli_actor(struct cli_ctx *ctx);

/* Print "avtale: <msg>" (and the field) for 'err'; returns EXIT_FAIL. */
int cli_fail(const struct av_error *err);
/* Print "avtale: <fmt>" and return 'code'. */
int cli_errorf(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print usage text (NULL-terminated lines) to 'to_stderr' ? stderr:stdout. */
int cli_usage(const char *const *lines, bool to_stderr, int code);
/* True for -h/--help in argv[1..]. */
bool cli_wants_help(int argc, char **argv);
/* Print a JSON value on stdout with a newline; steals the reference. */
void cli_print_json(json_t *v);
/* Print a tab-separated line: fields may be NULL (empty); tabs and line
 * breaks inside values are replaced by spaces so columns stay aligned. */
void cli_print_row(int n, const char *const *fields);

/* A progress bar on stderr (draw it only when stderr is a terminal). */
struct cli_bar {
	int shown; /* percent last drawn, -1 for none */
};
/* Redraw 'b' for done/total 'unit's when the percentage changed. */
void cli_progress(struct cli_bar *b, uint64_t done, uint64_t total,
		  const char *unit);

/* Resolve a customer given as id or customer number. */
enum av_err cli_find_customer(struct cli_ctx *ctx, const char *id_or_number,
			      struct customer *out, struct av_error *err);
/* Resolve a territory by code or name and a user by e-mail. */
enum av_err cli_find_territory(struct cli_ctx *ctx, const char *name,
			       int64_t *id_out, struct av_error *err);
enum av_err cli_find_user(struct cli_ctx *ctx, const char *email,
			  int64_t *id_out, struct av_error *err);

/* The commands. */
int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
int cmd_version(int argc, char **argv, struct cli_ctx *ctx);
int cmd_init(int argc, char **argv, struct cli_ctx *ctx);
int cmd_serve(int argc, char **argv, struct cli_ctx *ctx);
int cmd_customer(int argc, char **argv, struct cli_ctx *ctx);
int cmd_contact(int argc, char **argv, struct cli_ctx *ctx);
int cmd_territory(int argc, char **argv, struct cli_ctx *ctx);
int cmd_user(int argc, char **argv, struct cli_ctx *ctx);
int cmd_token(int argc, char **argv, struct cli_ctx *ctx);
int cmd_audit(int argc, char **argv, struct cli_ctx *ctx);
int cmd_routes(int argc, char **argv, struct cli_ctx *ctx);
int cmd_search(int argc, char **argv, struct cli_ctx *ctx);
int cmd_import(int argc, char **argv, struct cli_ctx *ctx);
int cmd_demo(int argc, char **argv, struct cli_ctx *ctx);
int cmd_appointment(int argc, char **argv, struct cli_ctx *ctx);
int cmd_report(int argc, char **argv, struct cli_ctx *ctx);
int cmd_calendar(int argc, char **argv, struct cli_ctx *ctx);
int cmd_export(int argc, char **argv, struct cli_ctx *ctx);
int cmd_feed(int argc, char **argv, struct cli_ctx *ctx);
/* `avtale import ics FILE ...` (cmd_ical.c), argv[0] = "ics". */
int cmd_import_ics(int argc, char **argv, struct cli_ctx *ctx);

#endif
