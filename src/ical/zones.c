/* SPDX-License-Identifier: MIT */
/* Windows and display zone names to IANA names, through ICU's CLDR data. */
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

#include "core/str.h"
#include "core/tz.h"
#include "ical/zones.h"

#include "core/banned.h"

#define UNAME_MAX 128 /* UChars of a zone name */

static bool
to_uchars(const char *s, UChar *out, int32_t cap, int32_t *len)
{
	UErrorCode st = U_ZERO_ERROR;

	u_strFromUTF8(out, cap, len, s, -1, &st);
	return U_SUCCESS(st) && *len < cap;
}

static bool
from_uchars(const UChar *s, int32_t len, char *out, size_t size)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;

	u_strToUTF8(out, (int32_t)size, &n, s, len, &st);
	return U_SUCCESS(st) && n > 0 && (size_t)n < size;
}

bool
ical_zone_windows_name(const char *zone, char *out, size_t size)
{
	UChar id[UNAME_MAX], win[UNAME_MAX];
	int32_t len, n;
	UErrorCode st = U_ZERO_ERROR;

	if (size)
		out[0] = '\0';
	if (!zone || !to_uchars(zone, id, UNAME_MAX, &len))
		return false;
	n = ucal_getWindowsTimeZoneID(id, len, win, UNAME_MAX, &st);
	return U_SUCCESS(st) && n > 0 && from_uchars(win, n, out, size);
}

/* "W. Europe Standard Time 1" -> "W. Europe Standard Time". */
static void
strip_suffix(const char *tzid, char *out, size_t size)
{
	size_t n = strlen(tzid);
	size_t end = n;

	while (end > 0 && tzid[end - 1] >= '0' && tzid[end - 1] <= '9')
		end--;
	if (end < n && end > 1 && tzid[end - 1] == ' ')
		n = end - 1;
	if (n >= size)
		n = size - 1;
	memcpy(out, tzid, n);
	out[n] = '\0';
}

static bool
from_windows(const char *name, const char *prefer, char *out, size_t size)
{
	UChar win[UNAME_MAX], id[UNAME_MAX];
	int32_t len, n;
	UErrorCode st = U_ZERO_ERROR;
	char pref_win[UNAME_MAX];

	if (!to_uchars(name, win, UNAME_MAX, &len))
		return false;
	n = ucal_getTimeZoneIDForWindowsID(win, len, NULL, id, UNAME_MAX, &st);
	if (U_FAILURE(st) || n <= 0)
		return false;
	if (prefer && tz_valid(prefer) &&
	    ical_zone_windows_name(prefer, pref_win, sizeof(pref_win)) &&
	    strcmp(pref_win, name) == 0 && strlen(prefer) < size) {
		memcpy(out, prefer, strlen(prefer) + 1);
		return true;
	}
	return from_uchars(id, n, out, size) && tz_valid(out);
}

/* The canonical zone whose last component is 'city' ("Amsterdam",
 * "Sao Paulo" as "Sao_Paulo"). */
static bool
zone_of_city(const char *city, char *out, size_t size)
{
	UErrorCode st = U_ZERO_ERROR;
	UEnumeration *e = ucal_openTimeZoneIDEnumeration(
	    UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, &st);
	const char *id;
	int32_t len;
	bool found = false;

	if (U_FAILURE(st))
		return false;
	while (!found && (id = uenum_next(e, &len, &st)) && U_SUCCESS(st)) {
		const char *slash = strrchr(id, '/');

		if (slash && strcmp(slash + 1, city) == 0 && tz_valid(id) &&
		    strlen(id) < size) {
			memcpy(out, id, strlen(id) + 1);
			found = true;
		}
	}
	uenum_close(e);
	return found;
}

/* "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna": the
 * first city that names a zone. */
static bool
from_display(const char *name, char *out, size_t size)
{
	const char *p = strchr(name, ')');

	if (strncmp(name, "(UTC", 4) != 0 && strncmp(name, "(GMT", 4) != 0)
		return false;
	if (!p)
		return false;
	for (p++; *p;) {
		char city[UNAME_MAX] = "";
		size_t n = 0;

		while (*p == ' ' || *p == ',')
			p++;
		while (*p && *p != ',' && n + 1 < sizeof(city)) {
			city[n++] = *p == ' ' ? '_' : *p;
			p++;
		}
		while (n > 0 && city[n - 1] == '_')
			n--;
		city[n] = '\0';
		if (n && zone_of_city(city, out, size))
			return true;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

bool
ical_zone_from_tzid(const char *tzid, const char *prefer, char *out,
		    size_t size)
{
	char base[UNAME_MAX];

	if (size == 0)
		return false;
	out[0] = '\0';
	if (!tzid || !*tzid)
		return false;
	if (tz_valid(tzid) && strlen(tzid) < size) {
		memcpy(out, tzid, strlen(tzid) + 1);
		return true;
	}
	strip_suffix(tzid, base, sizeof(base));
	if (from_windows(base, prefer, out, size) ||
	    from_display(tzid, out, size))
		return true;
	out[0] = '\0';
	return false;
}
