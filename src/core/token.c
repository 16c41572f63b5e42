/* SPDX-License-Identifier: MIT */
/* Random bearer tokens and their stored hashes (libsodium). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/token.h"

#include "core/banned.h"

void
token_new(char *out, size_t size, const char *prefix)
{
	unsigned char raw[32];
	size_t plen = prefix ? strlen(prefix) : 0;

	if (sodium_init() < 0 || size < plen + TOKEN_TEXT_LEN + 1)
		abort(); /* a caller's bug or no entropy: never go on */
	memcpy(out, prefix ? prefix : "", plen);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out + plen, size - plen, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void
token_hash(const char *token, char out[TOKEN_HASH_LEN + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
			   strlen(token), NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_LEN + 1, h, sizeof(h));
}

bool
token_well_formed(const char *text, const char *prefix)
{
	size_t plen = prefix ? strlen(prefix) : 0;

	if (!text || strncmp(text, prefix ? prefix : "", plen) != 0)
		return false;
	text += plen;
	if (strlen(text) != TOKEN_TEXT_LEN)
		return false;
	for (; *text; text++) {
		char c = *text;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}
