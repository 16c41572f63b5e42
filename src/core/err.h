/* SPDX-License-Identifier: MIT */
/*
 * The one error vocabulary of Avtale. Codes are append-only and never
 * renumbered: the HTTP layer and the CLI map them to statuses and exit codes.
 * A struct av_error carries a code, a human message and, for validation
 * failures, the name of the field that failed.
 */
#ifndef AV_ERR_H
#define AV_ERR_H

enum av_err {
	AV_OK = 0,
	AV_EINVAL,	 /* bad input from outside; field names which */
	AV_ENOTFOUND,	 /* the record does not exist (or is not visible) */
	AV_ECONFLICT,	 /* unique key or overlapping booking */
	AV_ETOOBIG,	 /* input over a configured limit */
	AV_EDB,		 /* the database failed */
	AV_EIO,		 /* file or socket I/O failed */
	AV_EUNSUPPORTED, /* feature compiled out or not implemented */
	AV_EINTERNAL,	 /* a bug: should never reach a user */
	AV_ESTALE,	 /* If-Match version does not match the stored one */
	AV_EUNAUTH,	 /* no valid credentials */
	AV_EFORBIDDEN,	 /* credentials valid but the action is not allowed */
	AV_ELIMIT,	 /* too many attempts: try again later */
	AV_ERR__MAX
};

struct av_error {
	enum av_err code; /* AV_OK when nothing failed */
	char field[64];	  /* failing input field, "" when none */
	char msg[256];	  /* lowercase, no final period, problem first */
};

/* Static text naming the code ("invalid input", ...). Never NULL. */
const char *av_strerror(enum av_err code);

/* Stable machine name of the code ("invalid", "not_found", ...). */
const char *av_errname(enum av_err code);

/*
 * Fill 'err' (may be NULL) and return 'code', so a failure is one line:
 *   return av_errorf(err, AV_ENOTFOUND, "customer '%lld' not found", id);
 */
enum av_err av_errorf(struct av_error *err, enum av_err code, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));

/* As av_errorf, also naming the input field that failed. */
enum av_err av_field_errorf(struct av_error *err, enum av_err code,
			    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reset 'err' to AV_OK with empty texts. */
void av_error_clear(struct av_error *err);

#endif
