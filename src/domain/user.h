/* SPDX-License-Identifier: MIT */
/* Validation of users and territories (records in domain/model.h). */
#ifndef AV_DOMAIN_USER_H
#define AV_DOMAIN_USER_H

#include "core/err.h"
#include "domain/model.h"

#define USER_EMAIL_MAX 254

/*
 * Check a new or changed user: e-mail valid (or the built-in "admin"),
 * name 1-200 characters of text, zone a known IANA zone, locale "nb" or
 * "en". Lowercases nothing: the store compares e-mails without case.
 * Errors name the field.
 */
enum av_err user_prepare(const struct user *u, struct av_error *err);

/* A territory: code of 1-16 letters, digits, '-' or '_', and a name. */
enum av_err territory_prepare(const struct territory *t, struct av_error *err);

#endif
