/* SPDX-License-Identifier: MIT */
/* Growable NUL-terminated buffer with a hard cap and a sticky error. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

#include "core/banned.h"

void
buf_init(struct buf *b, size_t max)
{
	b->cap = 64;
	b->p = xmalloc(b->cap);
	b->p[0] = '\0';
	b->len = 0;
	b->max = max ? max : SIZE_MAX / 2;
	b->failed = false;
}

void
buf_release(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->p[0] = '\0';
	b->failed = false;
}

char *
buf_detach(struct buf *b, size_t *len_out)
{
	char *p = b->p;
	size_t max = b->max;

	if (len_out)
		*len_out = b->len;
	buf_init(b, max);
	return p;
}

static bool
grow(struct buf *b, size_t extra)
{
	size_t need;

	if (b->failed)
		return false;
	if (extra > b->max - b->len) {
		b->failed = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need > b->cap) {
		size_t cap = b->cap * 2;
		while (cap < need)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	return true;
}

void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (!grow(b, len))
		return;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->p[len] = '\0';
	}
}

void
buf_add_xml_escaped(struct buf *b, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			/* control bytes are not allowed in XML 1.0 */
			buf_addc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
			break;
		}
	}
}
