/* SPDX-License-Identifier: MIT */
/* Unpredictable identifiers and tokens from libsodium's CSPRNG. */
#ifndef AV_RANDOM_H
#define AV_RANDOM_H

#include <stddef.h>

#include "core/arena.h"

/* 'nbytes' random bytes as lowercase hex in the arena (2*nbytes chars). */
char *random_hex(struct arena *a, size_t nbytes);

/* A new iCalendar UID: 128 random bits as a UUID-shaped string with
 * "@avtale" appended, stable for the life of the appointment. */
char *random_uid(struct arena *a);

#endif
