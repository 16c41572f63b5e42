/* SPDX-License-Identifier: MIT */
/*
 * Calendar feeds: a secret 256-bit token per user, kept only as its hash,
 * regenerated (the old link stops working) or revoked. Wrong tokens are
 * counted per client address in the same table as failed sign-ins, so the
 * limit holds across server processes.
 */
#include <string.h>

#include "core/str.h"
#include "service/ical.h"

#include "core/banned.h"

enum av_err
feed_create(struct store *s, int64_t user_id, char out[TOKEN_TEXT_LEN + 1],
	    struct av_error *err)
{
	char hash[TOKEN_HASH_LEN + 1];

	token_new(out, TOKEN_TEXT_LEN + 1, NULL);
	token_hash(out, hash);
	return store_feed_set(s, user_id, hash, err);
}

enum av_err
feed_owner(struct store *s, const char *token, int64_t *user_id,
	   int64_t *created_at, struct av_error *err)
{
	char hash[TOKEN_HASH_LEN + 1];

	*user_id = 0;
	*created_at = 0;
	if (!token || !token_well_formed(token, NULL))
		return av_errorf(err, AV_ENOTFOUND, "no such feed");
	token_hash(token, hash);
	if (store_feed_user(s, hash, user_id, created_at, err))
		return av_errorf(err, AV_ENOTFOUND, "no such feed");
	return AV_OK;
}

enum av_err
feed_limited(struct store *s, const char *client, bool *limited,
	     struct av_error *err)
{
	char key[96];
	int64_t n = 0;
	enum av_err rc;

	str_printf(key, sizeof(key), "feed:%s", client ? client : "");
	rc = store_login_failures_since(
	    s, key, store_now() - FEED_FAIL_WINDOW_S, &n, err);
	*limited = !rc && n >= FEED_FAIL_MAX;
	return rc;
}

enum av_err
feed_failed(struct store *s, const char *client, struct av_error *err)
{
	char key[96];

	str_printf(key, sizeof(key), "feed:%s", client ? client : "");
	return store_login_failure_add(s, key, store_now(), err);
}
