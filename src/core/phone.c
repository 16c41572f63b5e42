/* SPDX-License-Identifier: MIT */
/*
 * Phone numbers to E.164 keys. A number is read as international when it
 * starts with "+", "00" or the record country's own international prefix
 * ("011" in North America); otherwise it is a national number of the record's
 * country: the trunk prefix ("0" in most of Europe) is dropped and the
 * calling code put in front. Pure string work: no allocation, no locale.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/phone.h"

#include "core/banned.h"

#define E164_MAX    15 /* digits after "+" */
#define E164_MIN    7  /* shortest real numbers: +683 4002, +690 1234 */
#define TYPED_MIN   5  /* digits the user wrote, international prefix aside */
#define SCAN_MAX    24 /* digits read before giving up, prefixes included */
#define NO_GROUP    SIZE_MAX
#define DEFAULT_ISO "NO"

struct country {
	char iso[3];	   /* ISO 3166 alpha-2, upper case */
	char cc[4];	   /* calling code digits */
	unsigned char nsn; /* fixed national number length, 0 if it varies */
	const char *trunk; /* national (trunk) prefix, "" if none */
	const char *idd;   /* international prefix besides "00", or NULL */
};

/*
 * Trunk prefixes and fixed lengths follow the national numbering plans (as
 * libphonenumber records them). Italy, San Marino, Spain, Portugal, Poland,
 * the Nordic countries without a trunk "0" and others keep every digit. A
 * non-"0" trunk ("1" in North America, "8" in Russia) is dropped only when
 * the length shows it is there. 'nsn' also lets "4791234567" (country code
 * without "+") be recognised where the national length is fixed.
 */
static const struct country countries[] = {
    /* Nordics */
    {"NO", "47", 8, "", NULL},
    {"SJ", "47", 8, "", NULL},
    {"SE", "46", 0, "0", NULL},
    {"DK", "45", 8, "", NULL},
    {"FI", "358", 0, "0", NULL},
    {"AX", "358", 0, "0", NULL},
    {"IS", "354", 7, "", NULL},
    {"FO", "298", 6, "", NULL},
    {"GL", "299", 6, "", NULL},
    /* rest of Europe */
    {"DE", "49", 0, "0", NULL},
    {"AT", "43", 0, "0", NULL},
    {"CH", "41", 9, "0", NULL},
    {"LI", "423", 7, "", NULL},
    {"GB", "44", 0, "0", NULL},
    {"IE", "353", 0, "0", NULL},
    {"NL", "31", 9, "0", NULL},
    {"BE", "32", 0, "0", NULL},
    {"LU", "352", 0, "", NULL},
    {"FR", "33", 9, "0", NULL},
    {"MC", "377", 0, "", NULL},
    {"ES", "34", 9, "", NULL},
    {"PT", "351", 9, "", NULL},
    {"IT", "39", 0, "", NULL},
    {"SM", "378", 0, "", NULL},
    {"VA", "39", 0, "", NULL},
    {"MT", "356", 8, "", NULL},
    {"GR", "30", 10, "", NULL},
    {"CY", "357", 8, "", NULL},
    {"PL", "48", 9, "", NULL},
    {"CZ", "420", 9, "", NULL},
    {"SK", "421", 9, "0", NULL},
    {"HU", "36", 0, "06", NULL},
    {"SI", "386", 0, "0", NULL},
    {"HR", "385", 0, "0", NULL},
    {"BA", "387", 0, "0", NULL},
    {"RS", "381", 0, "0", NULL},
    {"ME", "382", 0, "0", NULL},
    {"MK", "389", 0, "0", NULL},
    {"AL", "355", 0, "0", NULL},
    {"BG", "359", 0, "0", NULL},
    {"RO", "40", 9, "0", NULL},
    {"MD", "373", 8, "0", NULL},
    {"UA", "380", 9, "0", NULL},
    {"EE", "372", 0, "", NULL},
    {"LV", "371", 8, "", NULL},
    {"LT", "370", 8, "0", NULL},
    {"RU", "7", 10, "8", "810"},
    {"KZ", "7", 10, "8", "810"},
    {"TR", "90", 10, "0", NULL},
    {"IL", "972", 0, "0", NULL},
    /* Americas */
    {"US", "1", 10, "1", "011"},
    {"CA", "1", 10, "1", "011"},
    {"MX", "52", 10, "", NULL},
    {"BR", "55", 0, "0", NULL},
    {"AR", "54", 0, "0", NULL},
    {"CL", "56", 9, "", NULL},
    {"CO", "57", 10, "", NULL},
    /* Asia, Oceania, Africa */
    {"AU", "61", 9, "0", "0011"},
    {"NZ", "64", 0, "0", NULL},
    {"JP", "81", 0, "0", "010"},
    {"CN", "86", 0, "0", NULL},
    {"KR", "82", 0, "0", NULL},
    {"TW", "886", 0, "0", NULL},
    {"HK", "852", 8, "", NULL},
    {"SG", "65", 8, "", NULL},
    {"IN", "91", 10, "0", NULL},
    {"PK", "92", 0, "0", NULL},
    {"TH", "66", 0, "0", NULL},
    {"VN", "84", 0, "0", NULL},
    {"MY", "60", 0, "0", NULL},
    {"ID", "62", 0, "0", NULL},
    {"PH", "63", 10, "0", NULL},
    {"AE", "971", 0, "0", NULL},
    {"SA", "966", 9, "0", NULL},
    {"EG", "20", 0, "0", NULL},
    {"NG", "234", 0, "0", NULL},
    {"KE", "254", 9, "0", NULL},
    {"ZA", "27", 9, "0", NULL},
};

/* What the scanner read: the digits in order and where "+" and "(0)" were. */
struct scan {
	char d[SCAN_MAX]; /* digits, not NUL-terminated */
	size_t n;	  /* digits in d */
	bool plus;	  /* a leading "+" */
	size_t zero;	  /* index in d of the digit of a "(0)", or NO_GROUP */
};

static const struct country *
find_country(const char *iso)
{
	if (!iso || strlen(iso) != 2)
		return NULL;
	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
		if (strcasecmp(countries[i].iso, iso) == 0)
			return &countries[i];
	}
	return NULL;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes of a separator at p (ASCII or a UTF-8 space or dash), 0 if none. */
static size_t
separator_len(const char *p)
{
	static const char *const utf8_seps[] = {
	    "\xC2\xA0",	    /* no-break space */
	    "\xE2\x80\x89", /* thin space */
	    "\xE2\x80\xAF", /* narrow no-break space */
	    "\xE2\x80\x91", /* non-breaking hyphen */
	    "\xE2\x80\x93", /* en dash */
	};

	if (*p == ' ' || *p == '\t' || *p == '-' || *p == '.' || *p == '/')
		return 1;
	for (size_t i = 0; i < sizeof(utf8_seps) / sizeof(utf8_seps[0]); i++) {
		size_t l = strlen(utf8_seps[i]);
		if (strncmp(p, utf8_seps[i], l) == 0)
			return l;
	}
	return 0;
}

/* After ')': remember a "(0)" group, as in "+44 (0)20 ...". */
static void
close_group(struct scan *sc, size_t group_start)
{
	if (group_start > 0 && sc->n == group_start + 1 &&
	    sc->d[sc->n - 1] == '0')
		sc->zero = group_start;
}

/*
 * Read 'text' into 'sc'. Accepts digits, separators, one "+" before any
 * digit and unnested parentheses; a leading "tel:" is skipped. Letters
 * (extensions, "E+10" of a spreadsheet float), commas and the rest fail.
 */
static bool
scan_number(const char *text, struct scan *sc)
{
	const char *p = text;
	bool in_group = false;
	size_t group_start = 0;

	sc->n = 0;
	sc->plus = false;
	sc->zero = NO_GROUP;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "tel:", 4) == 0)
		p += 4;
	while (*p) {
		size_t sl;

		if (is_digit(*p)) {
			if (sc->n == SCAN_MAX)
				return false;
			sc->d[sc->n++] = *p++;
		} else if (*p == '+') {
			if (sc->plus || sc->n > 0)
				return false;
			sc->plus = true;
			p++;
		} else if (*p == '(') {
			if (in_group)
				return false;
			in_group = true;
			group_start = sc->n;
			p++;
		} else if (*p == ')') {
			if (!in_group)
				return false;
			in_group = false;
			close_group(sc, group_start);
			p++;
		} else if ((sl = separator_len(p)) > 0) {
			p += sl;
		} else {
			return false;
		}
	}
	return !in_group;
}

static bool
starts_with(const char *d, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);
	return l <= n && memcmp(d, prefix, l) == 0;
}

/* Length of the international prefix at the start of sc, 0 if none. */
static size_t
intl_prefix_len(const struct scan *sc, const struct country *c)
{
	if (sc->plus)
		return 0;
	if (starts_with(sc->d, sc->n, "00"))
		return 2;
	if (c && c->idd && starts_with(sc->d, sc->n, c->idd))
		return strlen(c->idd);
	return 0;
}

static bool
write_key(char *out, size_t size, const char *cc, const char *nat, size_t n)
{
	size_t cl = strlen(cc);
	size_t total = cl + n;

	if (total < E164_MIN || total > E164_MAX || size < total + 2)
		return false;
	out[0] = '+';
	memcpy(out + 1, cc, cl);
	memcpy(out + 1 + cl, nat, n);
	out[1 + total] = '\0';
	return true;
}

bool
phone_normalize(const char *text, const char *country, char *out, size_t size)
{
	const struct country *c;
	struct scan sc;
	size_t start;
	const char *nat;
	size_t n;
	size_t tl;
	size_t cl;

	if (size > 0 && out)
		out[0] = '\0';
	if (!text || !out)
		return false;
	c = find_country(country && *country ? country : DEFAULT_ISO);
	if (!scan_number(text, &sc))
		return false;
	start = intl_prefix_len(&sc, c);
	if (sc.plus || start > 0) {
		/* international: drop a "(0)" after the calling code */
		if (sc.zero != NO_GROUP && sc.zero > start) {
			memmove(sc.d + sc.zero, sc.d + sc.zero + 1,
				sc.n - sc.zero - 1);
			sc.n--;
		}
		n = sc.n - start;
		if (n < TYPED_MIN || sc.d[start] == '0')
			return false;
		return write_key(out, size, "", sc.d + start, n);
	}
	if (!c || sc.n < TYPED_MIN)
		return false;
	nat = sc.d;
	n = sc.n;
	tl = strlen(c->trunk);
	cl = strlen(c->cc);
	if (tl > 0 && n > tl && starts_with(nat, n, c->trunk) &&
	    (strcmp(c->trunk, "0") == 0 || c->nsn == 0 || n - tl == c->nsn)) {
		nat += tl;
		n -= tl;
	} else if (c->nsn > 0 && n == cl + c->nsn &&
		   starts_with(nat, n, c->cc)) {
		/* "4791234567": the calling code written without "+" */
		nat += cl;
		n -= cl;
	}
	return write_key(out, size, c->cc, nat, n);
}

int
phone_country_code(const char *country)
{
	const struct country *c = find_country(country);
	int code = 0;

	if (!c)
		return 0;
	for (const char *p = c->cc; *p; p++)
		code = code * 10 + (*p - '0');
	return code;
}

bool
phone_looks_like(const char *text)
{
	size_t digits = 0;

	if (!text)
		return false;
	for (const char *p = text; *p; p++) {
		if (is_digit(*p))
			digits++;
		else if (!strchr(" +-./()", *p))
			return false;
	}
	return digits >= 3;
}

bool
phone_digits(const char *text, char *out, size_t size)
{
	size_t n = 0;

	if (!out || size == 0)
		return false;
	out[0] = '\0';
	if (!text)
		return false;
	for (const char *p = text; *p; p++) {
		if (!is_digit(*p))
			continue;
		if (n + 1 >= size) {
			out[0] = '\0';
			return false;
		}
		out[n++] = *p;
	}
	if (n == 0)
		return false;
	out[n] = '\0';
	return true;
}
