/* SPDX-License-Identifier: MIT */
/*
 * Text folding for search, through utf8proc. Two strengths:
 *  - fold_case: NFC + full Unicode case folding (Æ->æ, ß->ss). NFD input
 *    gives the same key as NFC input.
 *  - fold_search: fold_case, then accents stripped and the Nordic letters
 *    spelled out as a Norwegian types them without the keys: æ->ae, ø->o,
 *    å->a (also ä->a, ö->o, ü->u via accent stripping), whitespace runs
 *    collapsed to one space, leading/trailing space trimmed.
 * A name matching a query under fold_case but not plain comparison is an
 * ordinary case-insensitive hit; one matching only under fold_search is a
 * "folded-only" hit, ranked last.
 */
#ifndef AV_FOLD_H
#define AV_FOLD_H

#include <stddef.h>

#include "core/arena.h"

/* Returns an arena copy; invalid UTF-8 gives NULL. */
char *fold_case(struct arena *a, const char *s, size_t len);
char *fold_search(struct arena *a, const char *s, size_t len);

#endif
