/* SPDX-License-Identifier: MIT */
/*
 * Password hashing with argon2id through libsodium. Hashing costs 64 MiB
 * and a fair part of a second, so at most PASSWORD_MAX_PARALLEL hashes run
 * at once in a process: parallel sign-ins queue instead of exhausting
 * memory. Thread-safe.
 */
#ifndef AV_PASSWORD_H
#define AV_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PASSWORD_MAX_PARALLEL 2	   /* hashes computed at once */
#define PASSWORD_MIN_LEN      10   /* characters (bytes of UTF-8) */
#define PASSWORD_MAX_LEN      1024 /* longer input is refused, not cut */
#define PASSWORD_HASH_MAX     128  /* buffer for an encoded hash */

/* Check length and content (valid UTF-8, no control characters);
 * AV_EINVAL naming field "password" otherwise. */
enum av_err password_check(const char *pw, struct av_error *err);

/* Hash 'pw' into out[PASSWORD_HASH_MAX] ("$argon2id$..."). */
enum av_err password_hash(const char *pw, char *out, struct av_error *err);

/*
 * True if 'pw' matches 'hash'. A NULL or malformed 'hash' (an unknown user,
 * a user without a password) still costs one full verification against a
 * dummy hash, so the answer takes the same time either way.
 */
bool password_verify(const char *pw, const char *hash);

/* True if 'hash' was made with weaker settings than today's preset. */
bool password_needs_rehash(const char *hash);

/* A new random password of 20 characters from an unambiguous alphabet
 * (about 110 bits), for first start and demo users; out[21]. */
void password_generate(char out[21]);

#endif
