/* SPDX-License-Identifier: MIT */
/*
 * A growable output buffer, always NUL-terminated, with a hard maximum fixed
 * at init and a sticky error: appends never fail loudly, the caller checks
 * buf_failed() once at the end. Invariant: p is never NULL after buf_init.
 */
#ifndef AV_BUF_H
#define AV_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *p;     /* owned: the bytes, NUL-terminated */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* hard limit on len; 0 means SIZE_MAX/2 */
	bool failed; /* an append hit max; content is truncated */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
/* Forget the content, keep the memory and the sticky error cleared. */
void buf_reset(struct buf *b);
/* Hand the bytes to the caller (free() them); the buf is re-initialised. */
char *buf_detach(struct buf *b, size_t *len_out);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Drop trailing bytes so that len becomes 'len' (no-op if longer). */
void buf_truncate(struct buf *b, size_t len);
/* Append 'text' (NULL: nothing) escaped for XML and HTML text and
 * attribute values: & < > " ' as entities, control bytes as spaces. */
void buf_add_xml_escaped(struct buf *b, const char *text);

static inline bool
buf_failed(const struct buf *b)
{
	return b->failed;
}

#endif
