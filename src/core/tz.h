/* SPDX-License-Identifier: MIT */
/*
 * Time zones, backed by libical's built-in IANA zones; never by the
 * process's TZ. This is the only module that converts between UTC instants
 * and local wall-clock time.
 */
#ifndef AV_TZ_H
#define AV_TZ_H

#include <stdbool.h>
#include <stdint.h>

/* True if 'name' is an IANA zone libical knows ("Europe/Oslo", "UTC"). */
bool tz_valid(const char *name);

/* Default IANA zone of an ISO 3166 alpha-2 country, NULL if unknown. */
const char *tz_for_country(const char *country);

#endif
