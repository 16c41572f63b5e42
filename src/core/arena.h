/* SPDX-License-Identifier: MIT */
/*
 * A region allocator: many small allocations, one release. Each request,
 * CLI command or import owns one arena; everything parsed, read from the store
 * or rendered for it lives there, so handlers never call free().
 * Not thread-safe: one arena belongs to one thread at a time.
 */
#ifndef AV_ARENA_H
#define AV_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* owned: newest block first */
	size_t block_size;	  /* size of ordinary blocks */
	size_t used;		  /* bytes handed out, for limits and stats */
};

/* Initialise without allocating; block_size 0 picks 16 KiB. */
void arena_init(struct arena *a, size_t block_size);
/* Free every block; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

/* Zeroed memory aligned for any type; never NULL (aborts on OOM). */
void *arena_alloc(struct arena *a, size_t size);
/* Copy of s[0..len) with a NUL added. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/* Copy of a NUL-terminated string; NULL stays NULL. */
char *arena_strdup(struct arena *a, const char *s);
/*
 * Grow an arena array that is full: returns a copy of v[0..n) with room for
 * twice '*cap' elements of 'elem' bytes and doubles '*cap'. The old array
 * stays in the arena until it is released.
 */
void *arena_grow(struct arena *a, const void *v, size_t n, size_t *cap,
		 size_t elem);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
