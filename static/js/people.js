// The list of users, read once per page load (GET /api/v1/users): the
// owner pickers of the schedule form and the calendar.
import * as api from './api.js';

let cached = null;

export function users() {
  if (!cached) cached = api.get('/api/v1/users').then((r) => r.items.filter((u) => !u.disabled));
  return cached;
}

// The users whose calendars 'me' may see and book for: a manager's own
// territory, everyone for an admin, nobody else for a rep.
export async function colleagues(me) {
  if (me.role === 'rep') return [];
  const all = await users();
  return me.role === 'admin' ? all : all.filter((u) => u.id === me.id || (u.territory_id && u.territory_id === me.territory_id));
}

export function forgetUsers() { cached = null; }
