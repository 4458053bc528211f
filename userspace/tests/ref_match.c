// SPDX-License-Identifier: GPL-2.0
/* Reference matchers: see ref_match.h. Slow and obviously right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref_match.h"

/* The byte a non-star token at @m matches, and its width in *@w. */
static char literal(const char *m, size_t *w)
{
	if (m[0] == '\\' && m[1]) {
		*w = 2;
		return m[1];
	}
	*w = 1;
	return m[0];
}

int ref_mask_match(const char *m, const char *s)
{
	const char *star_m = NULL, *star_s = NULL;
	size_t w;

	/*
	 * The classic wildcard walk: on a mismatch, let the last star seen
	 * swallow one more byte and go on from just after it. Retrying only
	 * the last star is enough since a star matches anything; this keeps
	 * the oracle O(len(m) * len(s)) where plain backtracking is
	 * exponential in the number of stars (the fuzzer finds those).
	 */
	while (*s) {
		if (*m == '*') {
			star_m = ++m;
			star_s = s;
		} else if (*m && literal(m, &w) == *s) {
			m += w;
			s++;
		} else if (star_m) {
			m = star_m;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (*m == '*')
		m++;
	return !*m;
}

int ref_init(struct ref_pattern *p, enum kcs_pattern_kind kind,
	     const char *text)
{
	size_t len = strlen(text) + 5;
	char *wrapped;
	int r;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->text = text;
	if (kind != KCS_PATTERN_REGEX)
		return 0;
	/* A regex glibc refuses alone could still parse once wrapped ("a)(b"). */
	if (regcomp(&p->re, text, REG_EXTENDED | REG_NOSUB))
		return -1;
	regfree(&p->re);
	wrapped = malloc(len);
	if (!wrapped)
		return -1;
	snprintf(wrapped, len, "^(%s)$", text);
	r = regcomp(&p->re, wrapped, REG_EXTENDED | REG_NOSUB);
	free(wrapped);
	return r ? -1 : 0;
}

void ref_free(struct ref_pattern *p)
{
	if (p->kind == KCS_PATTERN_REGEX)
		regfree(&p->re);
}

int ref_match(const struct ref_pattern *p, const char *s)
{
	if (p->kind == KCS_PATTERN_MASK)
		return ref_mask_match(p->text, s);
	return regexec(&p->re, s, 0, NULL, 0) == 0;
}
