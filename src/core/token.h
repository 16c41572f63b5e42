/* SPDX-License-Identifier: MIT */
/*
 * Bearer secrets: session cookies, API tokens and calendar-feed tokens.
 * A token is 256 random bits shown once to its holder; the database keeps
 * only its BLAKE2b hash, so a copy of the database opens no session. The
 * tokens are long and random, so a fast hash is enough (no argon2 here).
 */
#ifndef AV_TOKEN_H
#define AV_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_TEXT_LEN 43 /* base64url of 32 bytes, no padding */
#define TOKEN_HASH_LEN 64 /* hex of a 32-byte BLAKE2b hash */

/* A new token as text: out[TOKEN_TEXT_LEN + 1]. A 'prefix' (such as
 * "avt_") is prepended when not NULL; then out needs room for it too. */
void token_new(char *out, size_t size, const char *prefix);

/* The stored form of 'token': out[TOKEN_HASH_LEN + 1]. */
void token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);

/* True if 'text' has the shape of a token (optional prefix, then 43
 * base64url characters): anything else is refused before a lookup. */
bool token_well_formed(const char *text, const char *prefix);

#endif
