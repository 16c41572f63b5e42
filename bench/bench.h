/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark program shares: a monotonic clock in microseconds
 * and nearest-rank statistics over latency samples. Header-only (static
 * inline) because each bench/X.c is linked as a program of its own.
 */
#ifndef AV_BENCH_H
#define AV_BENCH_H

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

static inline double
bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

static inline void
bench_sort(double *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(double), bench_cmp_double);
}

/* Nearest-rank percentile 'p' (0..1) of n sorted values; 0 when empty. */
static inline double
bench_pct(const double *sorted, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	i = (size_t)ceil(p * (double)n);
	return sorted[i ? i - 1 : 0];
}

static inline double
bench_mean(const double *v, size_t n)
{
	double t = 0;

	for (size_t i = 0; i < n; i++)
		t += v[i];
	return n ? t / (double)n : 0;
}

#endif
