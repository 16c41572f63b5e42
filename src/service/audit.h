/* SPDX-License-Identifier: MIT */
/* The audit log as the API and `avtale audit` show it. */
#ifndef AV_SERVICE_AUDIT_H
#define AV_SERVICE_AUDIT_H

#include <jansson.h>

#include "store/store.h"

/* {"id","at","actor_id","action","entity","entity_id","before","after"}
 * with before/after as JSON values (null when absent). */
json_t *audit_entry_to_json(const struct audit_entry *e);

#endif
