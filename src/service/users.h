/* SPDX-License-Identifier: MIT */
/*
 * User administration shared by `avtale user` and /api/v1/users: adding a
 * user with a password (given or generated), changing role, territory or
 * status (a disabled user's sessions end at once), resetting a password and
 * handing a leaving rep's customers to a colleague. Every change is audited.
 */
#ifndef AV_SERVICE_USERS_H
#define AV_SERVICE_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/model.h"
#include "store/store.h"

/*
 * Add 'u' (defaults: zone Europe/Oslo, locale nb). 'password' NULL makes a
 * new random one, written to generated[21] (shown once to whoever set it
 * up); otherwise it is checked and generated[0] is '\0'. AV_ECONFLICT when
 * the e-mail is taken.
 */
enum av_err users_add(struct store *s, struct user *u, const char *password,
		      int64_t actor, char generated[21], struct av_error *err);

/* Store the changed fields of 'u' (id set); a disabled user is signed out
 * everywhere. */
enum av_err users_change(struct store *s, const struct user *u, int64_t actor,
			 struct av_error *err);

/* A new random password for 'user_id' into generated[21]; ends their
 * sessions. */
enum av_err users_reset_password(struct store *s, int64_t user_id,
				 int64_t actor, char generated[21],
				 struct av_error *err);

/* All customers of 'from' to 'to' (an active user); *n_out moved. */
enum av_err users_reassign(struct store *s, int64_t from, int64_t to,
			   int64_t actor, int64_t *n_out, struct av_error *err);

#endif
