/*
 * stats.h: the order statistics every bench prints, for the bench
 * programs (each one file of its own, so these are inline here).
 */
#ifndef FEEDD_BENCH_STATS_H
#define FEEDD_BENCH_STATS_H

#include <stddef.h>
#include <stdlib.h>

/* qsort() order of doubles, smallest first. */
static inline int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* The median of v[0..n-1], n > 0; sorts v. */
static inline double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

#endif /* FEEDD_BENCH_STATS_H */
