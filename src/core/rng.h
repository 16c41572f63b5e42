/* SPDX-License-Identifier: MIT */
/*
 * A small deterministic generator (splitmix64) for data that must be the
 * same for the same seed: demo organisations and benchmark samples. Not for
 * secrets: tokens and UIDs come from core/random.h.
 */
#ifndef AV_RNG_H
#define AV_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s; /* splitmix64 state; any value is a valid seed */
};

/* The splitmix64 finaliser: a good 64-bit mix of 'z'. */
uint64_t rng_mix64(uint64_t z);
/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* A stream of its own for item 'i' of a run seeded with 'seed'. */
struct rng rng_for(uint64_t seed, uint64_t i);
/* Uniform in [0, n) for n < 2^32 (multiply-shift, no modulo bias). */
uint32_t rng_below(struct rng *r, size_t n);
/* True with probability pct/100. */
bool rng_pct(struct rng *r, unsigned pct);

#endif
