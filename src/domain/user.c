/* SPDX-License-Identifier: MIT */
/* Users and territories: what a valid record is. */
#include <ctype.h>
#include <string.h>

#include "core/tz.h"
#include "domain/customer.h"
#include "domain/user.h"

#include "core/banned.h"

enum av_err
user_prepare(const struct user *u, struct av_error *err)
{
	enum av_err rc;

	if (!u->email ||
	    (!email_valid(u->email) && strcmp(u->email, "admin") != 0) ||
	    strlen(u->email) > USER_EMAIL_MAX)
		return av_field_errorf(err, AV_EINVAL, "email",
				       "'email' must be an e-mail address "
				       "such as kari@example.no");
	if (!u->name || !*u->name)
		return av_field_errorf(err, AV_EINVAL, "name",
				       "'name' is required");
	if ((rc = text_check("name", u->name, NAME_MAX_LEN, false, err)))
		return rc;
	if ((unsigned)u->role >= ROLE__MAX)
		return av_field_errorf(err, AV_EINVAL, "role",
				       "'role' must be rep, manager or admin");
	if (!u->time_zone || !tz_valid(u->time_zone))
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "'time_zone' must be an IANA zone such "
				       "as Europe/Oslo");
	if (!u->locale ||
	    (strcmp(u->locale, "nb") != 0 && strcmp(u->locale, "en") != 0))
		return av_field_errorf(err, AV_EINVAL, "locale",
				       "'locale' must be nb or en");
	return AV_OK;
}

enum av_err
territory_prepare(const struct territory *t, struct av_error *err)
{
	size_t len = t->code ? strlen(t->code) : 0;

	if (len == 0 || len > 16)
		return av_field_errorf(err, AV_EINVAL, "code",
				       "'code' must be 1 to 16 characters");
	for (const char *p = t->code; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return av_field_errorf(err, AV_EINVAL, "code",
					       "'code' may hold only letters, "
					       "digits, '-' and '_'");
	if (!t->name || !*t->name)
		return av_field_errorf(err, AV_EINVAL, "name",
				       "'name' is required");
	return text_check("name", t->name, NAME_MAX_LEN, false, err);
}
