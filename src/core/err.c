/* SPDX-License-Identifier: MIT */
/* Error codes, their names and the helpers that fill struct av_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#include "core/banned.h"

static const char *const err_text[AV_ERR__MAX] = {
    [AV_OK] = "success",
    [AV_EINVAL] = "invalid input",
    [AV_ENOTFOUND] = "not found",
    [AV_ECONFLICT] = "conflict",
    [AV_ETOOBIG] = "too large",
    [AV_EDB] = "database error",
    [AV_EIO] = "input/output error",
    [AV_EUNSUPPORTED] = "not supported",
    [AV_EINTERNAL] = "internal error",
    [AV_ESTALE] = "version mismatch",
    [AV_EUNAUTH] = "not signed in",
    [AV_EFORBIDDEN] = "forbidden",
    [AV_ELIMIT] = "too many requests",
};

static const char *const err_name[AV_ERR__MAX] = {
    [AV_OK] = "ok",
    [AV_EINVAL] = "invalid",
    [AV_ENOTFOUND] = "not_found",
    [AV_ECONFLICT] = "conflict",
    [AV_ETOOBIG] = "too_large",
    [AV_EDB] = "database",
    [AV_EIO] = "io",
    [AV_EUNSUPPORTED] = "unsupported",
    [AV_EINTERNAL] = "internal",
    [AV_ESTALE] = "stale_version",
    [AV_EUNAUTH] = "unauthenticated",
    [AV_EFORBIDDEN] = "forbidden",
    [AV_ELIMIT] = "rate_limited",
};

const char *
av_strerror(enum av_err code)
{
	if ((unsigned)code >= AV_ERR__MAX)
		return "unknown error";
	return err_text[code];
}

const char *
av_errname(enum av_err code)
{
	if ((unsigned)code >= AV_ERR__MAX)
		return "unknown";
	return err_name[code];
}

static enum av_err
fill(struct av_error *err, enum av_err code, const char *field, const char *fmt,
     va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

enum av_err
av_errorf(struct av_error *err, enum av_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fill(err, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

enum av_err
av_field_errorf(struct av_error *err, enum av_err code, const char *field,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fill(err, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void
av_error_clear(struct av_error *err)
{
	if (!err)
		return;
	err->code = AV_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}
