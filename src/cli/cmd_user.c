/* SPDX-License-Identifier: MIT */
/*
 * `avtale user`, `avtale token` and `avtale audit`: people, their API
 * tokens and the audit log, from the machine that holds the database.
 * Changing users and reading the audit log need an admin as --as.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/password.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/users.h"

#include "core/banned.h"

static const char *const user_usage[] = {
    "usage: avtale user add EMAIL --name NAME --role rep|manager|admin",
    "                       [--territory T] [--tz ZONE] [--locale nb|en]",
    "                       [--password-stdin]",
    "       avtale user list",
    "       avtale user passwd EMAIL [--password-stdin]",
    "       avtale user role EMAIL rep|manager|admin",
    "       avtale user territory EMAIL T|-",
    "       avtale user disable|enable EMAIL",
    "       avtale user reassign EMAIL --to EMAIL",
    "",
    "Without --password-stdin a random password is made and printed once.",
    "A disabled user is signed out everywhere; 'reassign' hands all of a",
    "user's customers to another (their history is kept).",
    NULL,
};

/* The --as user, who must be an admin to change people. */
static bool
require_admin(struct cli_ctx *ctx)
{
	const struct user *me = cli_actor(ctx);

	if (!me)
		return false;
	if (me->role != ROLE_ADMIN) {
		cli_errorf(EXIT_FAIL,
			   "only an admin may do this (--as %s is a "
			   "%s)",
			   me->email, user_role_name(me->role));
		return false;
	}
	return true;
}

/* One line from stdin, without its line break, into buf[size]. */
static bool
read_password(char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, stdin))
		return false;
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return true;
}

static void
print_user(struct cli_ctx *ctx, const struct user *u, const char *password)
{
	if (ctx->json) {
		json_t *o = json_pack("{so}", "user", user_to_json(u));
		if (password && *password)
			json_object_set_new(o, "password",
					    json_string(password));
		cli_print_json(o);
		return;
	}
	printf("%lld\t%s\t%s\t%s\n", (long long)u->id, u->email,
	       user_role_name(u->role), u->name);
	if (password && *password)
		printf("password\t%s\n", password);
}

static int
user_add(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"role", required_argument, NULL, 'r'},
	    {"territory", required_argument, NULL, 't'},
	    {"tz", required_argument, NULL, 'z'},
	    {"locale", required_argument, NULL, 'L'},
	    {"password-stdin", no_argument, NULL, 'p'},
	    {"admin", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct av_error err = {0};
	struct user u = {0};
	char pw[PASSWORD_MAX_LEN + 2], generated[21];
	const char *terr = NULL;
	bool from_stdin = false, role_set = false;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			u.name = optarg;
			break;
		case 'r':
			if (!user_role_parse(optarg, &u.role))
				return cli_errorf(EXIT_USAGE,
						  "--role must be rep, manager "
						  "or admin");
			role_set = true;
			break;
		case 'a':
			u.role = ROLE_ADMIN;
			role_set = true;
			break;
		case 't':
			terr = optarg;
			break;
		case 'z':
			u.time_zone = optarg;
			break;
		case 'L':
			u.locale = optarg;
			break;
		case 'p':
			from_stdin = true;
			break;
		default:
			return cli_usage(user_usage, true, EXIT_USAGE);
		}
	}
	if (optind + 1 != argc || !u.name || !role_set)
		return cli_errorf(EXIT_USAGE, "usage: avtale user add EMAIL "
					      "--name NAME --role "
					      "rep|manager|admin");
	u.email = argv[optind];
	if (!require_admin(ctx))
		return EXIT_FAIL;
	if (terr && cli_find_territory(ctx, terr, &u.territory_id, &err))
		return cli_fail(&err);
	if (from_stdin && !read_password(pw, sizeof(pw)))
		return cli_errorf(EXIT_FAIL, "no password on stdin");
	if (users_add(ctx->store, &u, from_stdin ? pw : NULL, ctx->actor.id,
		      generated, &err))
		return cli_fail(&err);
	print_user(ctx, &u, generated);
	return EXIT_OK;
}

static int
user_list(struct cli_ctx *ctx)
{
	struct av_error err = {0};
	struct user *v;
	size_t n;

	if (!cli_store(ctx))
		return EXIT_FAIL;
	if (store_user_list(ctx->store, &ctx->arena, &v, &n, &err))
		return cli_fail(&err);
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, user_to_json(&v[i]));
		cli_print_json(arr);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s%s\n", (long long)v[i].id,
		       v[i].email, v[i].name, user_role_name(v[i].role),
		       v[i].time_zone, v[i].disabled ? "\tdisabled" : "");
	return EXIT_OK;
}

/* The user named by e-mail in argv[2], loaded into *u. */
static bool
load_user(struct cli_ctx *ctx, const char *email, struct user *u)
{
	struct av_error err = {0};

	if (store_user_by_email(ctx->store, email, &ctx->arena, u, &err)) {
		if (err.code == AV_ENOTFOUND)
			cli_errorf(EXIT_FAIL, "user '%s' not found", email);
		else
			cli_fail(&err);
		return false;
	}
	return true;
}

static int
user_passwd(int argc, char **argv, struct cli_ctx *ctx, struct user *u)
{
	struct av_error err = {0};
	char generated[21];

	if (argc == 4 && strcmp(argv[3], "--password-stdin") == 0) {
		char pw[PASSWORD_MAX_LEN + 2];

		if (!read_password(pw, sizeof(pw)))
			return cli_errorf(EXIT_FAIL, "no password on stdin");
		if (auth_set_password(ctx->store, u->id, pw, ctx->actor.id,
				      &err))
			return cli_fail(&err);
		return EXIT_OK;
	}
	if (argc != 3)
		return cli_usage(user_usage, true, EXIT_USAGE);
	if (users_reset_password(ctx->store, u->id, ctx->actor.id, generated,
				 &err))
		return cli_fail(&err);
	print_user(ctx, u, generated);
	return EXIT_OK;
}

static int
user_change(int argc, char **argv, struct cli_ctx *ctx, struct user *u)
{
	struct av_error err = {0};
	const char *verb = argv[1];

	if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) {
		if (argc != 3)
			return cli_usage(user_usage, true, EXIT_USAGE);
		u->disabled = strcmp(verb, "disable") == 0;
		if (u->id == ctx->actor.id && u->disabled)
			return cli_errorf(EXIT_FAIL,
					  "you cannot disable yourself");
	} else if (strcmp(verb, "role") == 0) {
		if (argc != 4 || !user_role_parse(argv[3], &u->role))
			return cli_errorf(EXIT_USAGE,
					  "usage: avtale user role EMAIL "
					  "rep|manager|admin");
	} else {
		if (argc != 4)
			return cli_usage(user_usage, true, EXIT_USAGE);
		u->territory_id = 0;
		if (strcmp(argv[3], "-") != 0 &&
		    cli_find_territory(ctx, argv[3], &u->territory_id, &err))
			return cli_fail(&err);
	}
	if (users_change(ctx->store, u, ctx->actor.id, &err))
		return cli_fail(&err);
	print_user(ctx, u, NULL);
	return EXIT_OK;
}

static int
user_reassign(int argc, char **argv, struct cli_ctx *ctx, struct user *from)
{
	struct av_error err = {0};
	struct user to;
	int64_t moved;

	if (argc != 5 || strcmp(argv[3], "--to") != 0)
		return cli_errorf(EXIT_USAGE, "usage: avtale user reassign "
					      "EMAIL --to EMAIL");
	if (!load_user(ctx, argv[4], &to))
		return EXIT_FAIL;
	if (users_reassign(ctx->store, from->id, to.id, ctx->actor.id, &moved,
			   &err))
		return cli_fail(&err);
	if (ctx->json)
		cli_print_json(json_pack("{ss ss sI}", "from", from->email,
					 "to", to.email, "customers",
					 (json_int_t)moved));
	else
		printf("%lld customers moved from %s to %s\n", (long long)moved,
		       from->email, to.email);
	return EXIT_OK;
}

int
cmd_user(int argc, char **argv, struct cli_ctx *ctx)
{
	static const char *const verbs[] = {"passwd",  "role",	 "territory",
					    "disable", "enable", "reassign",
					    NULL};
	struct user u;
	const char *verb;

	if (argc < 2 || cli_wants_help(argc, argv))
		return cli_usage(user_usage, argc < 2,
				 argc < 2 ? EXIT_USAGE : EXIT_OK);
	verb = argv[1];
	if (strcmp(verb, "add") == 0)
		return user_add(argc - 1, argv + 1, ctx);
	if (strcmp(verb, "list") == 0)
		return user_list(ctx);
	for (size_t i = 0; verbs[i]; i++) {
		if (strcmp(verb, verbs[i]) != 0)
			continue;
		if (argc < 3)
			return cli_usage(user_usage, true, EXIT_USAGE);
		if (!cli_store(ctx) || !require_admin(ctx) ||
		    !load_user(ctx, argv[2], &u))
			return EXIT_FAIL;
		if (strcmp(verb, "passwd") == 0)
			return user_passwd(argc, argv, ctx, &u);
		if (strcmp(verb, "reassign") == 0)
			return user_reassign(argc, argv, ctx, &u);
		return user_change(argc, argv, ctx, &u);
	}
	return cli_errorf(EXIT_USAGE, "unknown verb 'user %s'", verb);
}

/* ---- tokens ---- */

static const char *const token_usage[] = {
    "usage: avtale token add EMAIL --name NAME [--write]",
    "       avtale token list [EMAIL]",
    "       avtale token revoke ID",
    "",
    "API tokens for scripts: 'Authorization: Bearer <token>'. Read-only",
    "unless --write. The token is printed once; only its hash is kept.",
    NULL,
};

int
cmd_token(int argc, char **argv, struct cli_ctx *ctx)
{
	struct av_error err = {0};
	struct user u = {0};

	if (argc < 2 || cli_wants_help(argc, argv))
		return cli_usage(token_usage, argc < 2,
				 argc < 2 ? EXIT_USAGE : EXIT_OK);
	if (!cli_store(ctx) || !require_admin(ctx))
		return EXIT_FAIL;
	if (strcmp(argv[1], "add") == 0) {
		char secret[AUTH_TOKEN_SIZE];
		struct api_token t;
		const char *name = NULL;
		bool write = false;
		for (int i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--write") == 0)
				write = true;
			else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
				name = argv[++i];
			else
				return cli_usage(token_usage, true, EXIT_USAGE);
		}
		if (argc < 3 || !load_user(ctx, argv[2], &u))
			return argc < 3
				   ? cli_usage(token_usage, true, EXIT_USAGE)
				   : EXIT_FAIL;
		if (auth_token_create(ctx->store, u.id, name, write,
				      ctx->actor.id, secret, &t, &err))
			return cli_fail(&err);
		printf("%s\n", secret);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "list") == 0) {
		struct api_token *v;
		size_t n;
		if (argc > 2 && !load_user(ctx, argv[2], &u))
			return EXIT_FAIL;
		if (store_token_list(ctx->store, u.id, &ctx->arena, &v, &n,
				     &err))
			return cli_fail(&err);
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%lld\t%s\t%s\t%s\n", (long long)v[i].id,
			       (long long)v[i].user_id, v[i].name,
			       v[i].write ? "write" : "read",
			       v[i].revoked_at ? "revoked" : "live");
		return EXIT_OK;
	}
	if (strcmp(argv[1], "revoke") == 0) {
		int64_t id;
		if (argc != 3 || !str_to_i64(argv[2], 1, INT64_MAX, &id))
			return cli_usage(token_usage, true, EXIT_USAGE);
		if (store_token_revoke(ctx->store, id, 0, &err))
			return cli_fail(&err);
		return EXIT_OK;
	}
	return cli_errorf(EXIT_USAGE, "unknown verb 'token %s'", argv[1]);
}

/* ---- audit ---- */

static const char *const audit_usage[] = {
    "usage: avtale audit [--entity customer|contact|appointment|user|...]",
    "                    [--id ID] [--limit N]",
    "",
    "The audit log, newest first (admins only): sign-ins, failed sign-ins,",
    "role changes and every change to customers and appointments, with the",
    "record before and after. It never holds passwords or tokens.",
    NULL,
};

int
cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
	struct av_error err = {0};
	struct audit_entry *v;
	const char *entity = NULL;
	int64_t id = 0, limit = 50;
	size_t n;

	if (cli_wants_help(argc, argv))
		return cli_usage(audit_usage, false, EXIT_OK);
	for (int i = 1; i < argc; i++) {
		bool has = i + 1 < argc;
		if (has && strcmp(argv[i], "--entity") == 0)
			entity = argv[++i];
		else if (has && strcmp(argv[i], "--id") == 0 &&
			 str_to_i64(argv[i + 1], 1, INT64_MAX, &id))
			i++;
		else if (has && strcmp(argv[i], "--limit") == 0 &&
			 str_to_i64(argv[i + 1], 1, 100000, &limit))
			i++;
		else
			return cli_usage(audit_usage, true, EXIT_USAGE);
	}
	if (!cli_store(ctx) || !require_admin(ctx))
		return EXIT_FAIL;
	if (store_audit_list(ctx->store, entity, id, (size_t)limit, &ctx->arena,
			     &v, &n, &err))
		return cli_fail(&err);
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, audit_entry_to_json(&v[i]));
		cli_print_json(arr);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++) {
		char when[TZ_UTC_SIZE], actor[24], id_text[24];
		const char *f[6];

		tz_format_utc(v[i].at, when, sizeof(when));
		str_printf(actor, sizeof(actor), "%lld",
			   (long long)v[i].actor_id);
		str_printf(id_text, sizeof(id_text), "%lld",
			   (long long)v[i].entity_id);
		f[0] = when;
		f[1] = actor;
		f[2] = v[i].action;
		f[3] = v[i].entity;
		f[4] = id_text;
		f[5] = v[i].after ? v[i].after : v[i].before;
		cli_print_row(6, f);
	}
	return EXIT_OK;
}
