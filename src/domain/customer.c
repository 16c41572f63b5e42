/* SPDX-License-Identifier: MIT */
/* Validation and defaults for customers and contacts. */
#include <ctype.h>
#include <string.h>

#include "core/phone.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/customer.h"

#include "core/banned.h"

static const char *const status_names[CUSTOMER_STATUS__MAX] = {
    [CUSTOMER_PROSPECT] = "prospect",
    [CUSTOMER_CUSTOMER] = "customer",
    [CUSTOMER_FORMER] = "former",
};

static const char *const role_names[ROLE__MAX] = {
    [ROLE_REP] = "rep",
    [ROLE_MANAGER] = "manager",
    [ROLE_ADMIN] = "admin",
};

const char *
customer_status_name(enum customer_status s)
{
	return (unsigned)s < CUSTOMER_STATUS__MAX ? status_names[s] : NULL;
}

const char *
user_role_name(enum user_role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : NULL;
}

bool
customer_status_parse(const char *s, enum customer_status *out)
{
	for (int i = 0; i < CUSTOMER_STATUS__MAX; i++) {
		if (s && strcmp(s, status_names[i]) == 0) {
			*out = (enum customer_status)i;
			return true;
		}
	}
	return false;
}

bool
user_role_parse(const char *s, enum user_role *out)
{
	for (int i = 0; i < ROLE__MAX; i++) {
		if (s && strcmp(s, role_names[i]) == 0) {
			*out = (enum user_role)i;
			return true;
		}
	}
	return false;
}

enum av_err
text_check(const char *field, const char *value, size_t max, bool multiline,
	   struct av_error *err)
{
	size_t len;

	if (!value)
		return AV_OK;
	len = strlen(value);
	if (len > max)
		return av_field_errorf(err, AV_EINVAL, field,
				       "'%s' is longer than %zu bytes", field,
				       max);
	if (!str_valid_utf8(value, len))
		return av_field_errorf(err, AV_EINVAL, field,
				       "'%s' is not valid UTF-8", field);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c == '\n' && multiline)
			continue;
		if (c < 0x20 || c == 0x7f)
			return av_field_errorf(
			    err, AV_EINVAL, field,
			    "'%s' contains a control character", field);
	}
	return AV_OK;
}

bool
email_valid(const char *s)
{
	const char *at;
	const char *dot;
	size_t len;

	if (!s)
		return false;
	len = strlen(s);
	if (len < 3 || len > EMAIL_MAX_LEN)
		return false;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == ',' || *p == ';' || *p == '"')
			return false;
	return true;
}

/* Trim in place (arena copy); empty -> NULL. */
static const char *
clean(struct arena *a, const char *s)
{
	struct str t;

	if (!s)
		return NULL;
	t = str_trim(str_from(s));
	if (t.len == 0)
		return NULL;
	return arena_strndup(a, t.p, t.len);
}

static bool
number_char_ok(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
}

/* Excel turns long digit strings into 4,79123E+10: never store that. */
static bool
looks_scientific(const char *s)
{
	const char *e = strpbrk(s, "eE");
	bool digits_before = false;

	if (!e || (e[1] != '+' && e[1] != '-'))
		return false;
	for (const char *p = s; p < e; p++) {
		if (isdigit((unsigned char)*p))
			digits_before = true;
		else if (*p != ',' && *p != '.')
			return false;
	}
	return digits_before && isdigit((unsigned char)e[2]);
}

static enum av_err
check_phone(const char *field, const char *value, const char *country,
	    struct av_error *err)
{
	char key[32];

	if (!value)
		return AV_OK;
	if (text_check(field, value, PHONE_MAX_LEN, false, err))
		return AV_EINVAL;
	if (looks_scientific(value))
		return av_field_errorf(err, AV_EINVAL, field,
				       "'%s' looks like a number mangled by a "
				       "spreadsheet (scientific notation)",
				       field);
	if (!phone_normalize(value, country, key, sizeof(key)))
		return av_field_errorf(err, AV_EINVAL, field,
				       "'%s' is not a phone number", field);
	return AV_OK;
}

enum av_err
customer_prepare(struct customer *c, struct arena *a, struct av_error *err)
{
	char country[3];

	c->customer_number = clean(a, c->customer_number);
	c->name = clean(a, c->name);
	c->phone = clean(a, c->phone);
	c->email = clean(a, c->email);
	c->address = clean(a, c->address);
	c->postcode = clean(a, c->postcode);
	c->city = clean(a, c->city);
	c->country = clean(a, c->country);
	c->time_zone = clean(a, c->time_zone);
	c->notes = clean(a, c->notes);

	if (!c->customer_number)
		return av_field_errorf(err, AV_EINVAL, "customer_number",
				       "'customer_number' is required");
	if (text_check("customer_number", c->customer_number,
		       CUSTOMER_NUMBER_MAX, false, err))
		return AV_EINVAL;
	if (looks_scientific(c->customer_number))
		return av_field_errorf(err, AV_EINVAL, "customer_number",
				       "'customer_number' looks like a number "
				       "mangled by a spreadsheet");
	for (const char *p = c->customer_number; *p; p++)
		if (!number_char_ok((unsigned char)*p))
			return av_field_errorf(
			    err, AV_EINVAL, "customer_number",
			    "'customer_number' may hold only letters, "
			    "digits and - _ . /");
	if (!c->name)
		return av_field_errorf(err, AV_EINVAL, "name",
				       "'name' is required");
	if (text_check("name", c->name, NAME_MAX_LEN, false, err))
		return AV_EINVAL;
	if ((unsigned)c->status >= CUSTOMER_STATUS__MAX)
		return av_field_errorf(err, AV_EINVAL, "status",
				       "'status' must be prospect, customer "
				       "or former");
	if (!c->country)
		c->country = "NO";
	if (strlen(c->country) != 2 || !isalpha((unsigned char)c->country[0]) ||
	    !isalpha((unsigned char)c->country[1]))
		return av_field_errorf(err, AV_EINVAL, "country",
				       "'country' must be an ISO 3166 "
				       "two-letter code such as NO");
	country[0] = (char)toupper((unsigned char)c->country[0]);
	country[1] = (char)toupper((unsigned char)c->country[1]);
	country[2] = '\0';
	c->country = arena_strdup(a, country);
	if (check_phone("phone", c->phone, c->country, err))
		return AV_EINVAL;
	if (c->email && !email_valid(c->email))
		return av_field_errorf(err, AV_EINVAL, "email",
				       "'email' is not an e-mail address");
	if (text_check("address", c->address, ADDRESS_MAX_LEN, true, err) ||
	    text_check("postcode", c->postcode, POSTCODE_MAX_LEN, false, err) ||
	    text_check("city", c->city, CITY_MAX_LEN, false, err) ||
	    text_check("notes", c->notes, NOTES_MAX_LEN, true, err))
		return AV_EINVAL;
	if (!c->time_zone) {
		c->time_zone = tz_for_country(c->country);
		if (!c->time_zone)
			c->time_zone = "Europe/Oslo";
	}
	if (!tz_valid(c->time_zone))
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "'time_zone' is not a known IANA zone");
	return AV_OK;
}

enum av_err
contact_prepare(struct contact *c, const char *country, struct arena *a,
		struct av_error *err)
{
	c->name = clean(a, c->name);
	c->title = clean(a, c->title);
	c->phone = clean(a, c->phone);
	c->mobile = clean(a, c->mobile);
	c->email = clean(a, c->email);
	c->notes = clean(a, c->notes);
	if (!c->name)
		return av_field_errorf(err, AV_EINVAL, "name",
				       "'name' is required");
	if (text_check("name", c->name, NAME_MAX_LEN, false, err) ||
	    text_check("title", c->title, TITLE_MAX_LEN, false, err) ||
	    text_check("notes", c->notes, NOTES_MAX_LEN, true, err))
		return AV_EINVAL;
	if (check_phone("phone", c->phone, country, err) ||
	    check_phone("mobile", c->mobile, country, err))
		return AV_EINVAL;
	c->other_phones = clean(a, c->other_phones);
	c->tags = clean(a, c->tags);
	if (text_check("other_phones", c->other_phones, 20 * PHONE_MAX_LEN,
		       true, err) ||
	    text_check("tags", c->tags, 20 * NAME_MAX_LEN, true, err))
		return AV_EINVAL;
	for (const char *p = c->other_phones; p && *p;) {
		const char *nl = strchr(p, '\n');
		char *one =
		    arena_strndup(a, p, nl ? (size_t)(nl - p) : strlen(p));
		if (check_phone("other_phones", one, country, err))
			return AV_EINVAL;
		p = nl ? nl + 1 : NULL;
	}
	if (c->email && !email_valid(c->email))
		return av_field_errorf(err, AV_EINVAL, "email",
				       "'email' is not an e-mail address");
	return AV_OK;
}
