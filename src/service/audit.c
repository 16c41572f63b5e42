/* SPDX-License-Identifier: MIT */
/* Rendering audit entries (see audit.h). */
#include <string.h>

#include "service/audit.h"

#include "core/banned.h"

/* Stored text is JSON written by the store; anything else shows as text. */
static json_t *
snapshot(const char *text)
{
	json_t *v;

	if (!text)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

json_t *
audit_entry_to_json(const struct audit_entry *e)
{
	return json_pack("{sI sI sI ss ss sI so so}", "id", (json_int_t)e->id,
			 "at", (json_int_t)e->at, "actor_id",
			 (json_int_t)e->actor_id, "action", e->action, "entity",
			 e->entity, "entity_id", (json_int_t)e->entity_id,
			 "before", snapshot(e->before), "after",
			 snapshot(e->after));
}
