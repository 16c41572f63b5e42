/* SPDX-License-Identifier: MIT */
/*
 * Time zone names as calendar files write them, mapped to IANA zones:
 * IANA names as they are, Windows names ("W. Europe Standard Time", also
 * with Outlook's " 1" suffix) through CLDR's windowsZones table as ICU
 * carries it, and Outlook display names ("(UTC+01:00) Amsterdam, Berlin,
 * ...") by their cities, matched against ICU's zone list. Only the name is
 * mapped here; when a file carries a VTIMEZONE, its rules decide the
 * instants (ical/read.h). Thread-safe.
 */
#ifndef AV_ICAL_ZONES_H
#define AV_ICAL_ZONES_H

#include <stdbool.h>
#include <stddef.h>

#define ICAL_ZONE_NAME_MAX 64 /* room for any IANA name */

/*
 * The IANA zone for 'tzid' into out[0..size). 'prefer' (may be NULL; the
 * owner's zone) wins when it belongs to the same Windows zone, so a
 * Norwegian rep's "W. Europe Standard Time" is Europe/Oslo rather than
 * CLDR's default Europe/Berlin. False, with out "", when nothing fits.
 */
bool ical_zone_from_tzid(const char *tzid, const char *prefer, char *out,
			 size_t size);

/* The Windows name of an IANA zone ("Europe/Oslo" -> "W. Europe Standard
 * Time") into out; false when CLDR has none. */
bool ical_zone_windows_name(const char *zone, char *out, size_t size);

#endif
