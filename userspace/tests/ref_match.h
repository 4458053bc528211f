/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference matchers for the pattern compiler, independent of it: glibc's
 * regexec for regexes (REG_EXTENDED, the pattern wrapped as ^(...)$, which
 * is how the compiler anchors it) and a tiny recursive matcher for masks.
 * Shared by tests/test_compile.c and fuzz/fuzz_compile.c so that both
 * judge the compiler by the same oracle.
 */
#ifndef KCS_REF_MATCH_H
#define KCS_REF_MATCH_H

#include <regex.h>

#include "compile.h"

struct ref_pattern {
	enum kcs_pattern_kind kind;
	const char *text;	/* borrowed; must outlive the ref_pattern */
	regex_t re;		/* regex only: ^(text)$ */
};

/*
 * Prepare @p for matching. Returns 0, or -1 when regcomp refuses the
 * regex (alone or wrapped); nothing needs freeing then.
 */
int ref_init(struct ref_pattern *p, enum kcs_pattern_kind kind,
	     const char *text);
void ref_free(struct ref_pattern *p);

/* 1 when @p matches all of the NUL-terminated @s. */
int ref_match(const struct ref_pattern *p, const char *s);

/*
 * Mask semantics (lib/mask.c): '*' matches any run of bytes, '/' included;
 * "\x" matches the byte x literally; everything else matches itself.
 */
int ref_mask_match(const char *mask, const char *s);

#endif /* KCS_REF_MATCH_H */
