/* SPDX-License-Identifier: MIT */
/* Time zone lookups through libical's built-in zone database. */
#include <string.h>

#include <libical/ical.h>

#include "core/tz.h"

#include "core/banned.h"

bool
tz_valid(const char *name)
{
	if (!name || !*name)
		return false;
	if (strcmp(name, "UTC") == 0)
		return true;
	return icaltimezone_get_builtin_timezone(name) != NULL;
}

/* The zone most of a country's people live in; countries with several
 * zones get their capital's, and a record can always override it. */
static const struct {
	const char *country;
	const char *zone;
} country_zones[] = {
    {"NO", "Europe/Oslo"},	   {"SE", "Europe/Stockholm"},
    {"DK", "Europe/Copenhagen"},   {"FI", "Europe/Helsinki"},
    {"IS", "Atlantic/Reykjavik"},  {"DE", "Europe/Berlin"},
    {"GB", "Europe/London"},	   {"IE", "Europe/Dublin"},
    {"NL", "Europe/Amsterdam"},	   {"BE", "Europe/Brussels"},
    {"LU", "Europe/Luxembourg"},   {"FR", "Europe/Paris"},
    {"ES", "Europe/Madrid"},	   {"PT", "Europe/Lisbon"},
    {"IT", "Europe/Rome"},	   {"CH", "Europe/Zurich"},
    {"AT", "Europe/Vienna"},	   {"PL", "Europe/Warsaw"},
    {"CZ", "Europe/Prague"},	   {"SK", "Europe/Bratislava"},
    {"HU", "Europe/Budapest"},	   {"EE", "Europe/Tallinn"},
    {"LV", "Europe/Riga"},	   {"LT", "Europe/Vilnius"},
    {"GR", "Europe/Athens"},	   {"RO", "Europe/Bucharest"},
    {"BG", "Europe/Sofia"},	   {"HR", "Europe/Zagreb"},
    {"SI", "Europe/Ljubljana"},	   {"UA", "Europe/Kyiv"},
    {"TR", "Europe/Istanbul"},	   {"US", "America/New_York"},
    {"CA", "America/Toronto"},	   {"MX", "America/Mexico_City"},
    {"BR", "America/Sao_Paulo"},   {"AR", "America/Argentina/Buenos_Aires"},
    {"JP", "Asia/Tokyo"},	   {"CN", "Asia/Shanghai"},
    {"IN", "Asia/Kolkata"},	   {"SG", "Asia/Singapore"},
    {"AU", "Australia/Sydney"},	   {"NZ", "Pacific/Auckland"},
    {"ZA", "Africa/Johannesburg"}, {"AE", "Asia/Dubai"},
    {"FO", "Atlantic/Faroe"},	   {"GL", "America/Nuuk"},
    {"SJ", "Arctic/Longyearbyen"},
};

const char *
tz_for_country(const char *country)
{
	if (!country)
		return NULL;
	for (size_t i = 0; i < sizeof(country_zones) / sizeof(country_zones[0]);
	     i++)
		if (strcmp(country_zones[i].country, country) == 0)
			return country_zones[i].zone;
	return NULL;
}
