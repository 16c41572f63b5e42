/* SPDX-License-Identifier: MIT */
/*
 * Invitation and reminder mail: messages built here (MIME by hand: three
 * parts and a few headers need no library, but every header value is
 * cleaned and RFC 2047-encoded, and every body base64-encoded, so no
 * user text can add a header or a part), queued through the store, sent
 * by a background thread with libcurl's SMTP.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/random.h"
#include "core/recur.h"
#include "core/str.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "service/ical.h"
#include "service/mail.h"

#include "core/banned.h"

#define REMINDER_HORIZON_S (28 * 86400 + 3600) /* the longest reminder */
#define RETRY_MAX_S	   3600

/* A header value: controls (CR, LF, tabs...) become spaces, trimmed. */
static char *
clean_header(struct arena *a, const char *s)
{
	size_t n = s ? strlen(s) : 0, o = 0;
	char *out = arena_alloc(a, n + 1);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = (char)c;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* A plain mailbox address: no controls, spaces, quotes or brackets. */
static bool
email_ok(const char *e)
{
	const char *at;

	if (!e || strlen(e) > 254 || !(at = strchr(e, '@')) || at == e ||
	    !at[1])
		return false;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '"' || *p == '(' || *p == ')' || *p == ',' ||
		    *p == ';' || *p == '\\' || (unsigned char)*p == 0x7f)
			return false;
	return true;
}

static bool
ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static void
add_base64(struct buf *b, const unsigned char *data, size_t len)
{
	size_t cap =
	    sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *enc = xmalloc(cap);

	sodium_bin2base64(enc, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
	buf_adds(b, enc);
	free(enc);
}

/* RFC 2047 encoded words of at most 45 bytes of text each, split between
 * characters, folded onto continuation lines. */
static void
add_encoded(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (ascii(s)) {
		buf_adds(b, s);
		return;
	}
	for (size_t i = 0; i < n;) {
		size_t k = n - i > 45 ? 45 : n - i;

		while (i + k < n && k > 0 &&
		       ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k--;
		if (i)
			buf_adds(b, "\r\n ");
		buf_adds(b, "=?UTF-8?B?");
		add_base64(b, (const unsigned char *)s + i, k);
		buf_adds(b, "?=");
		i += k;
	}
}

/* "Name" <email>, the name encoded or quoted. */
static void
add_address(struct buf *b, const char *name, const char *email, struct arena *a)
{
	const char *n = clean_header(a, name);

	if (*n && ascii(n)) {
		buf_addc(b, '"');
		for (; *n; n++) {
			if (*n == '"' || *n == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *n);
		}
		buf_adds(b, "\" ");
	} else if (*n) {
		add_encoded(b, n);
		buf_addc(b, ' ');
	}
	buf_addf(b, "<%s>", email);
}

static void
add_header(struct buf *b, const char *name, const char *value, struct arena *a)
{
	buf_addf(b, "%s: ", name);
	add_encoded(b, clean_header(a, value));
	buf_adds(b, "\r\n");
}

/* A body part of 'type', base64 in lines of 76. */
static void
add_part(struct buf *b, const char *boundary, const char *type,
	 const char *text)
{
	size_t n = strlen(text);

	buf_addf(b,
		 "--%s\r\nContent-Type: %s\r\n"
		 "Content-Transfer-Encoding: base64\r\n\r\n",
		 boundary, type);
	for (size_t i = 0; i < n; i += 57) {
		add_base64(b, (const unsigned char *)text + i,
			   n - i > 57 ? 57 : n - i);
		buf_adds(b, "\r\n");
	}
}

/* HTML text: escaped, one <br> per line break. */
static void
html_escape(struct buf *b, const char *s)
{
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *line = xmalloc(n + 1);

		memcpy(line, s, n);
		line[n] = '\0';
		buf_add_xml_escaped(b, line);
		free(line);
		if (!nl)
			break;
		buf_adds(b, "<br>");
		s = nl + 1;
	}
}

/* "2030-01-14 10:00-10:45 (Europe/Oslo)" */
static const char *
when_text(const struct appointment *p, struct arena *a)
{
	struct tz_local s, e;

	if (tz_utc_to_local(p->time_zone, p->start_utc, &s, NULL, NULL) ||
	    tz_utc_to_local(p->time_zone, p->end_utc, &e, NULL, NULL))
		return "";
	if (p->all_day)
		return arena_printf(a, "%04d-%02d-%02d (all day)", s.year,
				    s.month, s.day);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d-%02d:%02d (%s)",
			    s.year, s.month, s.day, s.hour, s.minute, e.hour,
			    e.minute, p->time_zone);
}

static void
begin_message(struct buf *m, const char *from_email, const char *from_name,
	      const char *to_email, const char *to_name, const char *subject,
	      int64_t now, struct arena *a)
{
	char date[40];

	tz_format_imf(now, true, date, sizeof(date));
	buf_adds(m, "From: ");
	add_address(m, from_name, from_email, a);
	buf_adds(m, "\r\nTo: ");
	add_address(m, to_name, to_email, a);
	buf_adds(m, "\r\n");
	add_header(m, "Subject", subject, a);
	buf_addf(m, "Date: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n",
		 date, random_uid(a));
}

char *
mail_invite_message(const struct appointment *p, enum cal_method method,
		    const char *calendar, const char *from_email,
		    const char *from_name, const char *to_email,
		    const char *to_name, int64_t now, struct arena *a)
{
	struct buf m, text, html;
	const char *boundary = arena_printf(a, "avtale-%s", random_uid(a));
	bool cancel = method == CAL_METHOD_CANCEL;
	const char *verb = cancel	     ? "Cancelled"
			   : p->sequence > 0 ? "Updated invitation"
					     : "Invitation";
	const char *where = p->location ? p->location : p->video_url;
	const char *when = when_text(p, a);
	char *out;

	buf_init(&m, 0);
	buf_init(&text, 0);
	buf_init(&html, 0);
	begin_message(&m, from_email, from_name, to_email, to_name,
		      arena_printf(a, "%s: %s", verb, p->subject), now, a);
	buf_addf(&m,
		 "Content-Type: multipart/alternative; boundary=\"%s\"\r\n"
		 "\r\n",
		 boundary);
	buf_addf(&text, "%s: %s\n\nWhen: %s\n", verb, p->subject, when);
	if (where)
		buf_addf(&text, "Where: %s\n", where);
	buf_addf(&text, "Organizer: %s <%s>\n", from_name ? from_name : "",
		 from_email);
	if (cancel)
		buf_adds(&text, "\nThis meeting is cancelled.\n");
	buf_adds(&html, "<!DOCTYPE html><html><body><p><b>");
	html_escape(&html, verb);
	buf_adds(&html, ": ");
	html_escape(&html, p->subject);
	buf_adds(&html, "</b></p><p>When: ");
	html_escape(&html, when);
	if (where) {
		buf_adds(&html, "<br>Where: ");
		html_escape(&html, where);
	}
	buf_adds(&html, "<br>Organizer: ");
	html_escape(&html, from_name);
	buf_adds(&html, " &lt;");
	html_escape(&html, from_email);
	buf_adds(&html, "&gt;</p>");
	if (cancel)
		buf_adds(&html, "<p>This meeting is cancelled.</p>");
	buf_adds(&html, "</body></html>\n");
	add_part(&m, boundary, "text/plain; charset=UTF-8", text.p);
	add_part(&m, boundary, "text/html; charset=UTF-8", html.p);
	add_part(&m, boundary,
		 cancel ? "text/calendar; charset=UTF-8; method=CANCEL"
			: "text/calendar; charset=UTF-8; method=REQUEST",
		 calendar);
	buf_addf(&m, "--%s--\r\n", boundary);
	out = arena_strndup(a, m.p, m.len);
	buf_release(&m);
	buf_release(&text);
	buf_release(&html);
	return out;
}

/* The attendees to invite: the row's, its series', else its contact. */
static enum av_err
invitees(struct store *s, const struct appointment *p, struct arena *a,
	 struct appt_attendee **out, size_t *n_out, bool *stored,
	 struct av_error *err)
{
	enum av_err rc = store_attendees_get(s, p->id, a, out, n_out, err);

	*stored = *n_out > 0;
	if (!rc && !*n_out && p->parent_id)
		rc = store_attendees_get(s, p->parent_id, a, out, n_out, err);
	if (!rc && !*n_out)
		rc = ical_attendees_of(s, p, a, out, n_out, err);
	return rc;
}

bool
invite_has_attendees(struct store *s, const struct appointment *p)
{
	struct arena a;
	struct appt_attendee *v;
	size_t n = 0;
	struct av_error e = {0};

	arena_init(&a, 0);
	if (store_attendees_get(s, p->id, &a, &v, &n, &e) == AV_OK && !n &&
	    p->parent_id)
		(void)store_attendees_get(s, p->parent_id, &a, &v, &n, &e);
	arena_release(&a);
	return n > 0;
}

enum av_err
invite_queue(struct store *s, int64_t id, enum cal_method method, size_t *n_out,
	     struct av_error *err)
{
	struct arena a;
	struct appointment p;
	struct appt_attendee *at = NULL;
	size_t n_at = 0, queued = 0;
	bool stored = false;
	char *cal = NULL;
	size_t len;
	int64_t now = store_now();
	enum av_err rc;

	if (n_out)
		*n_out = 0;
	arena_init(&a, 0);
	if ((rc = store_begin(s, err)))
		goto out;
	rc = store_appt_get(s, id, &a, &p, err);
	if (!rc)
		rc = invitees(s, &p, &a, &at, &n_at, &stored, err);
	if (!rc && !stored && n_at && method == CAL_METHOD_REQUEST)
		rc = store_attendees_set(s, id, at, n_at, err);
	if (!rc && n_at)
		rc =
		    ical_export_one(s, id, false, method, now, &cal, &len, err);
	for (size_t i = 0; !rc && i < n_at; i++) {
		char *msg;

		if (!email_ok(at[i].email) || !email_ok(p.owner))
			continue;
		msg =
		    mail_invite_message(&p, method, cal, p.owner, p.owner_name,
					at[i].email, at[i].name, now, &a);
		rc = store_mail_enqueue(s, "invite", id, at[i].email, msg, NULL,
					err);
		queued += !rc;
	}
	free(cal);
	if (rc) {
		store_rollback(s);
		goto out;
	}
	rc = store_commit(s, err);
	if (!rc && n_out)
		*n_out = queued;
out:
	arena_release(&a);
	return rc;
}

static char *
reminder_message(const struct appointment *p, int64_t occurrence, int64_t now,
		 struct arena *a)
{
	struct buf m;
	struct appointment inst = *p;
	const char *when, *where = p->location ? p->location : p->video_url;
	char *out;

	inst.end_utc = occurrence + (p->end_utc - p->start_utc);
	inst.start_utc = occurrence;
	when = when_text(&inst, a);
	buf_init(&m, 0);
	begin_message(&m, p->owner, "Avtale", p->owner, p->owner_name,
		      arena_printf(a, "Reminder: %s", p->subject), now, a);
	buf_adds(&m, "Content-Type: multipart/alternative; boundary=\"r\"\r\n"
		     "\r\n");
	add_part(&m, "r", "text/plain; charset=UTF-8",
		 arena_printf(a, "Reminder: %s\n\nWhen: %s\n%s%s%s%s%s\n",
			      p->subject, when, where ? "Where: " : "",
			      where ? where : "", where ? "\n" : "",
			      p->customer_name ? "Customer: " : "",
			      p->customer_name ? p->customer_name : ""));
	buf_adds(&m, "--r--\r\n");
	out = arena_strndup(a, m.p, m.len);
	buf_release(&m);
	return out;
}

/* Queue the reminder of one occurrence unless it already was. */
static enum av_err
remind(struct store *s, const struct appointment *p, int64_t occurrence,
       int64_t now, struct arena *a, size_t *n, struct av_error *err)
{
	bool claimed = false;
	enum av_err rc;

	if (!email_ok(p->owner))
		return AV_OK;
	rc = store_reminder_claim(s, p->id, occurrence, p->reminder_minutes,
				  &claimed, err);
	if (rc || !claimed)
		return rc;
	rc = store_mail_enqueue(s, "reminder", p->id, p->owner,
				reminder_message(p, occurrence, now, a), NULL,
				err);
	*n += !rc;
	return rc;
}

/* The occurrences of series 'p' whose reminder is due at 'now'. */
static enum av_err
remind_series(struct store *s, const struct appointment *p, int64_t now,
	      struct arena *a, size_t *n, struct av_error *err)
{
	int64_t starts[64], *ex;
	size_t n_starts = 0, n_ex = appt_exdates_parse(p->exdates, a, &ex);
	struct appointment ov;
	struct av_error miss = {0};
	enum av_err rc;

	rc = recur_expand(p->rrule, p->time_zone, p->start_utc, ex, n_ex,
			  now + 1, now + p->reminder_minutes * 60 + 1, 64,
			  starts, &n_starts, err);
	if (rc && rc != AV_ETOOBIG)
		return AV_OK; /* a rule that stopped expanding: nothing due */
	for (size_t i = 0; i < n_starts; i++) {
		/* a changed occurrence is a row of its own */
		if (store_appt_override(s, p->id, starts[i], a, &ov, &miss) ==
		    AV_OK)
			continue;
		if ((rc = remind(s, p, starts[i], now, a, n, err)))
			return rc;
	}
	return AV_OK;
}

enum av_err
reminders_queue_due(struct store *s, int64_t now, size_t *n_out,
		    struct av_error *err)
{
	struct arena a;
	struct appointment *rows;
	size_t n_rows, n = 0;
	enum av_err rc;

	if (n_out)
		*n_out = 0;
	arena_init(&a, 0);
	if ((rc = store_begin(s, err)))
		goto out;
	rc = store_reminder_rows(s, now, REMINDER_HORIZON_S, &a, &rows, &n_rows,
				 err);
	for (size_t i = 0; i < n_rows && !rc; i++)
		rc = rows[i].rrule
			 ? remind_series(s, &rows[i], now, &a, &n, err)
			 : remind(s, &rows[i], rows[i].start_utc, now, &a, &n,
				  err);
	if (rc) {
		store_rollback(s);
		goto out;
	}
	rc = store_commit(s, err);
	if (!rc && n_out)
		*n_out = n;
out:
	arena_release(&a);
	return rc;
}

/* ---- sending ---- */

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *ctx)
{
	struct upload *u = ctx;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The address in the message's From header. */
static const char *
from_of(const char *msg, struct arena *a)
{
	const char *f =
	    strncmp(msg, "From: ", 6) == 0 ? msg : strstr(msg, "\r\nFrom: ");
	const char *lt, *gt;

	if (!f)
		return NULL;
	lt = strchr(f, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	return gt ? arena_strndup(a, lt + 1, (size_t)(gt - lt - 1)) : NULL;
}

/* One SMTP conversation; false with 'why' filled on failure. */
static bool
smtp_send(const struct mail_config *c, const struct mail_item *m,
	  const char *from, char *why, size_t why_size)
{
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct upload u = {m->message, strlen(m->message)};
	char *from_arg, *to_arg;
	CURLcode rc;

	if (!h) {
		str_printf(why, why_size, "libcurl could not start");
		return false;
	}
	from_arg = xmalloc(strlen(from) + 3);
	to_arg = xmalloc(strlen(m->recipient) + 3);
	str_printf(from_arg, strlen(from) + 3, "<%s>", from);
	str_printf(to_arg, strlen(m->recipient) + 3, "<%s>", m->recipient);
	rcpt = curl_slist_append(rcpt, to_arg);
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_arg);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT,
			 (long)(c->timeout_s > 0 ? c->timeout_s : 30));
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD,
				 c->password ? c->password : "");
	}
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		str_printf(why, why_size, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	free(from_arg);
	free(to_arg);
	return rc == CURLE_OK;
}

size_t
mail_send_due(struct store *s, const struct mail_config *c, int64_t now,
	      size_t max)
{
	int64_t lease = (c->timeout_s > 0 ? c->timeout_s : 30) + 60;
	int64_t retry = c->retry_s > 0 ? c->retry_s : 60;
	size_t sent = 0;

	if (!c->smtp_url)
		return 0;
	for (size_t i = 0; i < max; i++) {
		struct arena a;
		struct mail_item m;
		struct av_error err = {0};
		char why[256] = "";
		const char *from;
		int64_t delay = retry;

		arena_init(&a, 0);
		if (store_mail_claim(s, now, lease, &a, &m, &err)) {
			arena_release(&a);
			break;
		}
		from = c->from ? c->from : from_of(m.message, &a);
		if (from && smtp_send(c, &m, from, why, sizeof(why))) {
			(void)store_mail_sent(s, m.id, &err);
			sent++;
		} else {
			for (int64_t k = 1;
			     k < m.attempts && delay < RETRY_MAX_S; k++)
				delay *= 2;
			if (delay > RETRY_MAX_S)
				delay = RETRY_MAX_S;
			log_warn("mail %lld to the %s recipient failed (try "
				 "%lld, next in %llds): %s",
				 (long long)m.id, m.kind, (long long)m.attempts,
				 (long long)delay, from ? why : "no sender");
			(void)store_mail_failed(s, m.id,
						from ? why : "no sender",
						now + delay, &err);
		}
		arena_release(&a);
	}
	return sent;
}

/* ---- the background thread ---- */

struct mail_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	int interval_s;
	struct mail_config cfg;
	struct store *store;
};

static void *
worker_main(void *arg)
{
	struct mail_worker *w = arg;
	sigset_t block;

	/* SIGINT and SIGTERM belong to the thread that waits for them */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct timespec until;
		struct av_error err = {0};

		pthread_mutex_unlock(&w->mu);
		if (reminders_queue_due(w->store, store_now(), NULL, &err))
			log_warn("reminders: %s", err.msg);
		(void)mail_send_due(w->store, &w->cfg, store_now(), 100);
		pthread_mutex_lock(&w->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += w->interval_s;
		while (!w->stop &&
		       pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct mail_worker *
mail_worker_start(const char *db_url, const struct mail_config *c,
		  int interval_s, struct av_error *err)
{
	struct mail_worker *w = xcalloc(1, sizeof(*w));

	if (store_open(db_url, STORE_NO_MIGRATE, &w->store, err)) {
		free(w);
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	w->cfg = *c;
	w->interval_s = interval_s > 0 ? interval_s : 30;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		store_close(w->store);
		free(w);
		av_errorf(err, AV_EINTERNAL, "cannot start the mail thread");
		return NULL;
	}
	return w;
}

void
mail_worker_stop(struct mail_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	store_close(w->store);
	curl_global_cleanup();
	free(w);
}
