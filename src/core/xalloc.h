/* SPDX-License-Identifier: MIT */
/*
 * Allocation that never returns NULL: out of memory prints a message and
 * aborts, as there is nothing sensible a request could do instead.
 */
#ifndef AV_XALLOC_H
#define AV_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

#endif
