/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the userspace tests (header-only so every test
 * binary stays a single file). tests/run.sh sums the results.
 */
#ifndef KCS_TAP_H
#define KCS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static inline void tap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Strings equal; on failure show both. */
#define tap_is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!tap_ok(g_ && !strcmp(g_, w_), __VA_ARGS__))		\
		tap_diag("got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_); \
} while (0)

/* @hay contains @needle; on failure show @hay. */
#define tap_has(hay, needle, ...) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	if (!tap_ok(h_ && strstr(h_, n_), __VA_ARGS__))			\
		tap_diag("\"%s\" lacks \"%s\"", h_ ? h_ : "(null)", n_); \
} while (0)

/* Print the plan and return the exit status for main(). */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* KCS_TAP_H */
