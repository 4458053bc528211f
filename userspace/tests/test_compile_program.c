// SPDX-License-Identifier: GPL-2.0
/*
 * Program-scoped patterns: the compiler makes "\0" PROGRAM "\0" PATH of
 * them and flags the set KCS_DFA_F_PROGRAM; the walk the module makes
 * (kmod/match.c: the path from the start, then the path after "\0"
 * PROGRAM "\0") finds them for that program only, and the text blob names
 * the program. Errors in a program are told apart from errors in a path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kcs.h>

#include "compile.h"
#include "dfa.h"
#include "tap.h"

#define R KCS_PATTERN_REGEX
#define M KCS_PATTERN_MASK

/* What kmod/match.c returns for @prog (NULL: none) running @path. */
static u32 match(const struct kcs_dfa *d, const char *prog, const char *path)
{
	u32 hit = kcs_dfa_accept(d, kcs_dfa_walk(d, d->start, path,
						 strlen(path)));
	u32 s, h2;

	if (!prog || !(d->flags & KCS_DFA_F_PROGRAM))
		return hit;
	s = kcs_dfa_step(d, d->start, 0);
	s = kcs_dfa_walk(d, s, prog, strlen(prog));
	s = s ? kcs_dfa_step(d, s, 0) : 0;
	h2 = s ? kcs_dfa_accept(d, kcs_dfa_walk(d, s, path, strlen(path))) : 0;
	if (!hit)
		return h2;
	return h2 && h2 < hit ? h2 : hit;
}

/* Text @i (0-based) of a text blob. */
static const char *text_at(const struct kcs_blob *t, unsigned int i)
{
	const char *p = t->data, *end = p + t->len;

	for (; p < end && i; i--)
		p += strlen(p) + 1;
	return p < end ? p : NULL;
}

static void test_scoped(void)
{
	static const struct kcs_pattern p[] = {
		{ M, "/bin/sh", NULL, 0 },
		{ M, "/usr/bin/curl", "/usr/sbin/nginx", M },
		{ R, "/etc/[a-z]+", "/usr/s?bin/ng.*", R },
		{ M, "/tmp/*", "/opt/*/bin/*", M },
	};
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	struct kcs_dfa d;
	const char *why;

	if (!tap_ok(!kcs_compile(p, 4, NULL, &dfa, &text, &err),
		    "a set with scoped patterns compiles"))
		return tap_diag("%s", err.msg);
	tap_ok(!kcs_dfa_verify(dfa.data, dfa.len, &d, &why) &&
	       d.flags == KCS_DFA_F_PROGRAM, "it verifies, flagged KCS_DFA_F_PROGRAM");
	tap_ok(match(&d, "/usr/sbin/nginx", "/usr/bin/curl") == 2,
	       "the scoped pattern matches for its program");
	tap_ok(match(&d, "/bin/sh", "/usr/bin/curl") == 0,
	       "not for another program");
	tap_ok(match(&d, NULL, "/usr/bin/curl") == 0,
	       "nor for a task without a program");
	tap_ok(match(&d, "/usr/sbin/nginx2", "/usr/bin/curl") == 0 &&
	       match(&d, "/usr/sbin/ngin", "/usr/bin/curl") == 0,
	       "the program is matched whole, not as a prefix");
	tap_ok(match(&d, "/usr/sbin/nginx", "/bin/sh") == 1 &&
	       match(&d, NULL, "/bin/sh") == 1,
	       "an unscoped pattern matches whatever the program");
	tap_ok(match(&d, "/usr/bin/nginx", "/etc/passwd") == 3 &&
	       match(&d, "/usr/bin/nginx", "/etc/") == 0,
	       "regexes on both sides");
	/* '*' spans '/' in both parts, never the separator. */
	tap_ok(match(&d, "/opt/a/b/bin/x", "/tmp/y/z") == 4 &&
	       match(&d, "/opt/a/bin", "/tmp/y") == 0,
	       "masks on both sides, '*' within each part");
	tap_is_str(text_at(&text, 1), "/usr/bin/curl (program /usr/sbin/nginx)",
		   "the text names the program");
	tap_is_str(text_at(&text, 0), "/bin/sh", "an unscoped text is as written");
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);

	if (tap_ok(!kcs_compile(p, 1, NULL, &dfa, &text, &err) &&
		   !kcs_dfa_verify(dfa.data, dfa.len, &d, &why),
		   "a set without scoped patterns compiles"))
		tap_ok(d.flags == 0, "and is not flagged (older modules load it)");
	kcs_blob_free(&dfa);
	kcs_blob_free(&text);
}

static void test_errors(void)
{
	static const struct kcs_pattern bad_prog[] = {
		{ M, "/bin/sh", NULL, 0 },
		{ M, "/usr/bin/curl", "nginx", M },
	};
	static const struct kcs_pattern bad_prog_re[] = {
		{ M, "/usr/bin/curl", "/usr/(sbin", R },
	};
	static const struct kcs_pattern bad_path[] = {
		{ M, "curl", "/usr/sbin/nginx", M },
	};
	struct kcs_compile_error err;
	struct kcs_blob dfa, text;
	char longp[KCS_TEXT_ENTRY_MAX];
	struct kcs_pattern lp = { M, "/x", longp, M };

	tap_ok(kcs_compile(bad_prog, 2, NULL, &dfa, &text, &err) &&
	       err.index == 1 && err.in_program,
	       "a relative program mask: pattern 1, in its program");
	tap_has(err.msg, "must start with '/'", "and says why");
	tap_ok(kcs_compile(bad_prog_re, 1, NULL, &dfa, &text, &err) &&
	       err.index == 0 && err.in_program,
	       "a broken program regex: in its program");
	tap_ok(kcs_compile(bad_path, 1, NULL, &dfa, &text, &err) &&
	       err.index == 0 && !err.in_program,
	       "a relative path mask: in the pattern, not its program");
	memset(longp, 'a', sizeof(longp) - 10);
	longp[0] = '/';
	longp[sizeof(longp) - 10] = '\0';
	tap_ok(kcs_compile(&lp, 1, NULL, &dfa, &text, &err) && err.index == 0,
	       "a text with its program longer than KCS_TEXT_ENTRY_MAX is refused");
	tap_has(err.msg, "more than the", "and says so");
}

int main(void)
{
	test_scoped();
	test_errors();
	printf("# %d passed, %d failed\n", tap_n - tap_failed, tap_failed);
	return tap_done();
}
