/* SPDX-License-Identifier: MIT */
/* JSON encoding and decoding of customers, contacts, users, territories. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/codec.h"

#include "core/banned.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

json_t *
customer_to_json(const struct customer *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "customer_number",
			    str_or_null(c->customer_number));
	json_object_set_new(o, "name", str_or_null(c->name));
	json_object_set_new(o, "status",
			    str_or_null(customer_status_name(c->status)));
	json_object_set_new(o, "phone", str_or_null(c->phone));
	json_object_set_new(o, "email", str_or_null(c->email));
	json_object_set_new(o, "address", str_or_null(c->address));
	json_object_set_new(o, "postcode", str_or_null(c->postcode));
	json_object_set_new(o, "city", str_or_null(c->city));
	json_object_set_new(o, "country", str_or_null(c->country));
	json_object_set_new(o, "time_zone", str_or_null(c->time_zone));
	json_object_set_new(o, "territory", str_or_null(c->territory));
	json_object_set_new(o, "territory_id", id_or_null(c->territory_id));
	json_object_set_new(o, "owner", str_or_null(c->owner));
	json_object_set_new(o, "owner_id", id_or_null(c->owner_id));
	json_object_set_new(o, "notes", str_or_null(c->notes));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "created_at", json_integer(c->created_at));
	json_object_set_new(o, "updated_at", json_integer(c->updated_at));
	return o;
}

/* "a\nb" -> ["a","b"]; NULL -> [] */
static json_t *
lines_to_array(const char *s)
{
	json_t *arr = json_array();

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		json_array_append_new(arr, json_stringn(s, len));
		s = nl ? nl + 1 : NULL;
	}
	return arr;
}

json_t *
contact_to_json(const struct contact *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "customer_id", json_integer(c->customer_id));
	json_object_set_new(o, "name", str_or_null(c->name));
	json_object_set_new(o, "title", str_or_null(c->title));
	json_object_set_new(o, "phone", str_or_null(c->phone));
	json_object_set_new(o, "mobile", str_or_null(c->mobile));
	json_object_set_new(o, "email", str_or_null(c->email));
	json_object_set_new(o, "notes", str_or_null(c->notes));
	json_object_set_new(o, "other_phones", lines_to_array(c->other_phones));
	json_object_set_new(o, "tags", lines_to_array(c->tags));
	json_object_set_new(o, "version", json_integer(c->version));
	return o;
}

json_t *
territory_to_json(const struct territory *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "code", str_or_null(t->code));
	json_object_set_new(o, "name", str_or_null(t->name));
	return o;
}

json_t *
user_to_json(const struct user *u)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(u->id));
	json_object_set_new(o, "email", str_or_null(u->email));
	json_object_set_new(o, "name", str_or_null(u->name));
	json_object_set_new(o, "role", str_or_null(user_role_name(u->role)));
	json_object_set_new(o, "time_zone", str_or_null(u->time_zone));
	json_object_set_new(o, "locale", str_or_null(u->locale));
	json_object_set_new(o, "territory_id", id_or_null(u->territory_id));
	json_object_set_new(o, "disabled", json_boolean(u->disabled));
	return o;
}

/* A string field: JSON string, or null to clear. */
static enum av_err
get_text(json_t *v, const char *key, const char **out, struct arena *a,
	 struct av_error *err)
{
	if (json_is_null(v)) {
		*out = NULL;
		return AV_OK;
	}
	if (!json_is_string(v))
		return av_field_errorf(err, AV_EINVAL, key,
				       "'%s' must be a string", key);
	/* jansson accepts embedded NUL (\u0000): refuse it at the edge */
	if (strlen(json_string_value(v)) != json_string_length(v))
		return av_field_errorf(err, AV_EINVAL, key,
				       "'%s' contains a NUL character", key);
	*out = arena_strndup(a, json_string_value(v), json_string_length(v));
	return AV_OK;
}

/*
 * A read-only field may come back unchanged (a client that PATCHes what it
 * got from a GET); any other value is refused rather than ignored, so a
 * client never believes it changed something it did not.
 */
static enum av_err
read_only(json_t *v, const char *key, int64_t current, const char *hint,
	  struct av_error *err)
{
	if ((json_is_integer(v) && json_integer_value(v) == current) ||
	    (json_is_null(v) && current == 0))
		return AV_OK;
	return av_field_errorf(err, AV_EINVAL, key, "'%s' is read-only%s%s",
			       key, hint ? "; " : "", hint ? hint : "");
}

enum av_err
customer_from_json(json_t *obj, struct customer *c, const char **territory_out,
		   const char **owner_out, struct arena *a,
		   struct av_error *err)
{
	const char *key;
	json_t *v;

	*territory_out = NULL;
	*owner_out = NULL;
	if (!json_is_object(obj))
		return av_errorf(err, AV_EINVAL,
				 "the body must be a JSON object");
	json_object_foreach(obj, key, v)
	{
		const char *s = NULL;
		enum av_err rc = AV_OK;

		if (strcmp(key, "customer_number") == 0)
			rc = get_text(v, key, &c->customer_number, a, err);
		else if (strcmp(key, "name") == 0)
			rc = get_text(v, key, &c->name, a, err);
		else if (strcmp(key, "phone") == 0)
			rc = get_text(v, key, &c->phone, a, err);
		else if (strcmp(key, "email") == 0)
			rc = get_text(v, key, &c->email, a, err);
		else if (strcmp(key, "address") == 0)
			rc = get_text(v, key, &c->address, a, err);
		else if (strcmp(key, "postcode") == 0)
			rc = get_text(v, key, &c->postcode, a, err);
		else if (strcmp(key, "city") == 0)
			rc = get_text(v, key, &c->city, a, err);
		else if (strcmp(key, "country") == 0)
			rc = get_text(v, key, &c->country, a, err);
		else if (strcmp(key, "time_zone") == 0)
			rc = get_text(v, key, &c->time_zone, a, err);
		else if (strcmp(key, "notes") == 0)
			rc = get_text(v, key, &c->notes, a, err);
		else if (strcmp(key, "status") == 0) {
			rc = get_text(v, key, &s, a, err);
			if (!rc && !customer_status_parse(s, &c->status))
				rc = av_field_errorf(
				    err, AV_EINVAL, key,
				    "'status' must be prospect, customer "
				    "or former");
		} else if (strcmp(key, "territory") == 0) {
			rc = get_text(v, key, &s, a, err);
			*territory_out = s ? s : "";
		} else if (strcmp(key, "owner") == 0) {
			rc = get_text(v, key, &s, a, err);
			*owner_out = s ? s : "";
		} else if (strcmp(key, "id") == 0) {
			rc = read_only(v, key, c->id, NULL, err);
		} else if (strcmp(key, "version") == 0) {
			rc = read_only(v, key, c->version,
				       "send it in If-Match", err);
		} else if (strcmp(key, "created_at") == 0) {
			rc = read_only(v, key, c->created_at, NULL, err);
		} else if (strcmp(key, "updated_at") == 0) {
			rc = read_only(v, key, c->updated_at, NULL, err);
		} else if (strcmp(key, "territory_id") == 0) {
			rc = read_only(v, key, c->territory_id,
				       "set 'territory' to its code or name",
				       err);
		} else if (strcmp(key, "owner_id") == 0) {
			rc = read_only(v, key, c->owner_id,
				       "set 'owner' to the user's e-mail", err);
		} else {
			rc = av_field_errorf(err, AV_EINVAL, key,
					     "unknown field '%s'", key);
		}
		if (rc)
			return rc;
	}
	return AV_OK;
}

/* ["a","b"] -> "a\nb"; an empty array or null clears. */
static enum av_err
get_lines(json_t *v, const char *key, const char **out, struct arena *a,
	  struct av_error *err)
{
	struct buf b;
	size_t i;
	json_t *item;

	if (json_is_null(v)) {
		*out = NULL;
		return AV_OK;
	}
	if (!json_is_array(v) || json_array_size(v) > 20)
		return av_field_errorf(err, AV_EINVAL, key,
				       "'%s' must be an array of at most 20 "
				       "strings",
				       key);
	buf_init(&b, 4096);
	json_array_foreach(v, i, item)
	{
		const char *t = json_string_value(item);
		if (!t || strlen(t) != json_string_length(item) ||
		    strchr(t, '\n') || !*t) {
			buf_release(&b);
			return av_field_errorf(err, AV_EINVAL, key,
					       "'%s' items must be non-empty "
					       "one-line strings",
					       key);
		}
		if (i)
			buf_addc(&b, '\n');
		buf_adds(&b, t);
	}
	*out = b.len ? arena_strndup(a, b.p, b.len) : NULL;
	buf_release(&b);
	return AV_OK;
}

enum av_err
contact_from_json(json_t *obj, struct contact *c, struct arena *a,
		  struct av_error *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return av_errorf(err, AV_EINVAL,
				 "the body must be a JSON object");
	json_object_foreach(obj, key, v)
	{
		enum av_err rc = AV_OK;

		if (strcmp(key, "name") == 0)
			rc = get_text(v, key, &c->name, a, err);
		else if (strcmp(key, "title") == 0)
			rc = get_text(v, key, &c->title, a, err);
		else if (strcmp(key, "phone") == 0)
			rc = get_text(v, key, &c->phone, a, err);
		else if (strcmp(key, "mobile") == 0)
			rc = get_text(v, key, &c->mobile, a, err);
		else if (strcmp(key, "email") == 0)
			rc = get_text(v, key, &c->email, a, err);
		else if (strcmp(key, "notes") == 0)
			rc = get_text(v, key, &c->notes, a, err);
		else if (strcmp(key, "other_phones") == 0)
			rc = get_lines(v, key, &c->other_phones, a, err);
		else if (strcmp(key, "tags") == 0)
			rc = get_lines(v, key, &c->tags, a, err);
		else if (strcmp(key, "id") == 0)
			rc = read_only(v, key, c->id, NULL, err);
		else if (strcmp(key, "customer_id") == 0)
			rc = read_only(v, key, c->customer_id, NULL, err);
		else if (strcmp(key, "version") == 0)
			rc = read_only(v, key, c->version,
				       "send it in If-Match", err);
		else {
			rc = av_field_errorf(err, AV_EINVAL, key,
					     "unknown field '%s'", key);
		}
		if (rc)
			return rc;
	}
	return AV_OK;
}

char *
json_to_arena(struct arena *a, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char *r;

	if (!s)
		return arena_strdup(a, "null");
	r = arena_strdup(a, s);
	free(s);
	return r;
}
