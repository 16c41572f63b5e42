/* SPDX-License-Identifier: MIT */
/* Random identifiers through libsodium (initialised once, thread-safe). */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/random.h"

#include "core/banned.h"

static void
ensure_init(void)
{
	/* sodium_init is idempotent and thread-safe; -1 means no entropy */
	if (sodium_init() < 0) {
		fprintf(stderr, "avtale: libsodium cannot initialise\n");
		abort();
	}
}

char *
random_hex(struct arena *a, size_t nbytes)
{
	unsigned char raw[64];
	char *hex;

	if (nbytes > sizeof(raw))
		nbytes = sizeof(raw);
	ensure_init();
	randombytes_buf(raw, nbytes);
	hex = arena_alloc(a, 2 * nbytes + 1);
	sodium_bin2hex(hex, 2 * nbytes + 1, raw, nbytes);
	return hex;
}

char *
random_uid(struct arena *a)
{
	const char *h = random_hex(a, 16);

	return arena_printf(a, "%.8s-%.4s-%.4s-%.4s-%.12s@avtale", h, h + 8,
			    h + 12, h + 16, h + 20);
}
