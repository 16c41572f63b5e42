/* SPDX-License-Identifier: MIT */
/*
 * Records to and from JSON (jansson), with the field names that scripts
 * rely on. Used by the API, the CLI's --json output and the audit log, so a
 * record looks the same everywhere.
 */
#ifndef AV_CODEC_H
#define AV_CODEC_H

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/appointment.h"
#include "domain/model.h"

/* New references; never NULL (jansson allocation aborts on OOM). */
json_t *customer_to_json(const struct customer *c);
json_t *contact_to_json(const struct contact *c);
json_t *territory_to_json(const struct territory *t);
json_t *user_to_json(const struct user *u);

/*
 * Read the fields present in 'obj' into 'c' (absent fields are left as
 * they are, so the same call serves create and partial update). Unknown
 * fields, wrong types and read-only fields give AV_EINVAL naming the field.
 * Strings are copied into 'a'. 'territory' and 'owner' are returned as
 * names for the caller to resolve (*territory_out, *owner_out; NULL when
 * absent, "" when explicitly null).
 */
enum av_err customer_from_json(json_t *obj, struct customer *c,
			       const char **territory_out,
			       const char **owner_out, struct arena *a,
			       struct av_error *err);
enum av_err contact_from_json(json_t *obj, struct contact *c, struct arena *a,
			      struct av_error *err);

/*
 * An appointment, or one occurrence of it ('start'/'end' of the instance;
 * 'recurrence_id' its original start, 0 for a plain appointment), with
 * the field names scripts rely on. New reference.
 */
json_t *appt_to_json(const struct appointment *p, int64_t start, int64_t end,
		     int64_t recurrence_id);

/* A JSON value as text in the arena (compact, keys in insertion order). */
char *json_to_arena(struct arena *a, json_t *v);

#endif
