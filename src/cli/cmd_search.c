/* SPDX-License-Identifier: MIT */
/* `avtale search QUERY`: find the record. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/str.h"
#include "service/search.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale search [--limit N] QUERY...",
    "",
    "Finds customers and prospects by phone number (any written form, or",
    "its last digits), customer number (exact or prefix), contact name or",
    "company name (any part), ignoring case and accents: 'osterbro' finds",
    "'Østerbro'. Prints: rank, customer id, number, name, status, the",
    "matched field, the matched contact and the phone.",
    NULL,
};

int
cmd_search(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"limit", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct search_hit *hits;
	struct av_error err = {0};
	struct buf q;
	int64_t limit = SEARCH_LIMIT_DEFAULT;
	size_t n;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+:hn:", opts, NULL)) != -1) {
		if (o == ':')
			return cli_errorf(EXIT_USAGE,
					  "option '%s' needs a value",
					  argv[optind - 1]);
		if (o == 'h')
			return cli_usage(usage, false, EXIT_OK);
		if (o == 'n' && str_to_i64(optarg, 1, SEARCH_LIMIT_MAX, &limit))
			continue;
		if (o == 'n')
			return cli_errorf(EXIT_USAGE, "--limit must be 1..%d",
					  SEARCH_LIMIT_MAX);
		return cli_errorf(EXIT_USAGE, "unknown option '%s'",
				  argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage(usage, true, EXIT_USAGE);
	if (!cli_store(ctx))
		return EXIT_FAIL;
	/* several words are one query: avtale search Kari Nordmann */
	buf_init(&q, 1024);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			buf_addc(&q, ' ');
		buf_adds(&q, argv[i]);
	}
	if (search_run(ctx->store, q.p, (size_t)limit, &ctx->arena, &hits, &n,
		       &err)) {
		buf_release(&q);
		return cli_fail(&err);
	}
	buf_release(&q);
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr,
					      search_hit_to_json(&hits[i]));
		cli_print_json(arr);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++) {
		char rank[8], id[24];
		const char *row[8];

		snprintf(rank, sizeof(rank), "%d", hits[i].rank);
		snprintf(id, sizeof(id), "%lld",
			 (long long)hits[i].customer_id);
		row[0] = rank;
		row[1] = id;
		row[2] = hits[i].customer_number;
		row[3] = hits[i].name;
		row[4] = customer_status_name(hits[i].status);
		row[5] = hits[i].matched;
		row[6] = hits[i].contact;
		row[7] = hits[i].phone;
		cli_print_row(8, row);
	}
	if (n == 0)
		fprintf(stderr, "avtale: no matches\n");
	return EXIT_OK;
}
