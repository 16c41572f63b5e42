/* SPDX-License-Identifier: MIT */
/* argon2id hashing with a process-wide cap on parallel work. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/password.h"
#include "core/str.h"

#include "core/banned.h"

/* Interactive limits: about 64 MiB and a few passes per hash. */
#define OPS crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_free = PTHREAD_COND_INITIALIZER;
static int slots_used;

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void
slot_take(void)
{
	pthread_mutex_lock(&slot_lock);
	while (slots_used >= PASSWORD_MAX_PARALLEL)
		pthread_cond_wait(&slot_free, &slot_lock);
	slots_used++;
	pthread_mutex_unlock(&slot_lock);
}

static void
slot_give(void)
{
	pthread_mutex_lock(&slot_lock);
	slots_used--;
	pthread_cond_signal(&slot_free);
	pthread_mutex_unlock(&slot_lock);
}

static void
make_dummy(void)
{
	char pw[21];

	if (sodium_init() < 0)
		abort();
	password_generate(pw);
	if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), OPS, MEM,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		abort(); /* out of memory at start: nothing sensible to do */
	sodium_memzero(pw, sizeof(pw));
}

enum av_err
password_check(const char *pw, struct av_error *err)
{
	size_t n = pw ? strlen(pw) : 0;

	if (n < PASSWORD_MIN_LEN)
		return av_field_errorf(err, AV_EINVAL, "password",
				       "the password must have at least %d "
				       "characters",
				       PASSWORD_MIN_LEN);
	if (n > PASSWORD_MAX_LEN)
		return av_field_errorf(err, AV_EINVAL, "password",
				       "the password must have at most %d "
				       "bytes",
				       PASSWORD_MAX_LEN);
	if (!str_valid_utf8(pw, n))
		return av_field_errorf(err, AV_EINVAL, "password",
				       "the password is not valid UTF-8");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
			return av_field_errorf(err, AV_EINVAL, "password",
					       "the password holds a control "
					       "character");
	return AV_OK;
}

enum av_err
password_hash(const char *pw, char *out, struct av_error *err)
{
	char h[crypto_pwhash_STRBYTES];
	int rc;

	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX,
		       "hash buffer");
	if (sodium_init() < 0)
		return av_errorf(err, AV_EINTERNAL, "libsodium cannot start");
	slot_take();
	rc = crypto_pwhash_str_alg(h, pw, strlen(pw), OPS, MEM,
				   crypto_pwhash_ALG_ARGON2ID13);
	slot_give();
	if (rc != 0)
		return av_errorf(err, AV_EINTERNAL,
				 "out of memory while hashing a password");
	memcpy(out, h, sizeof(h));
	return AV_OK;
}

bool
password_verify(const char *pw, const char *hash)
{
	bool real = hash && strncmp(hash, "$argon2id$", 10) == 0 &&
		    strlen(hash) < crypto_pwhash_STRBYTES;
	int rc;

	pthread_once(&dummy_once, make_dummy);
	slot_take();
	rc = crypto_pwhash_str_verify(real ? hash : dummy_hash, pw, strlen(pw));
	slot_give();
	return real && rc == 0;
}

bool
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, OPS, MEM) != 0;
}

void
password_generate(char out[21])
{
	/* no 0/O, 1/l/I: read aloud or copied from a terminal */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz"
				       "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	if (sodium_init() < 0)
		abort();
	for (int i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[20] = '\0';
}
