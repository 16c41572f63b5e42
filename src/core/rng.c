/* SPDX-License-Identifier: MIT */
/* splitmix64: deterministic streams for demo data and benchmarks. */
#include "core/rng.h"

#include "core/banned.h"

uint64_t
rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t
rng_next(struct rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return rng_mix64(r->s);
}

struct rng
rng_for(uint64_t seed, uint64_t i)
{
	struct rng r = {
	    rng_mix64(seed ^ rng_mix64(i + UINT64_C(0x632be59bd9b4e019)))};

	return r;
}

uint32_t
rng_below(struct rng *r, size_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool
rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}
